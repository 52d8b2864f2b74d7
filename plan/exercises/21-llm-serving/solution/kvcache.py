"""A paged KV cache (blocks, block tables, copy-on-write sharing) and one step of a
continuous-batching scheduler that admits, pre-empts and frees, as vLLM does."""

import heapq
from dataclasses import dataclass, field


class OutOfBlocks(Exception):
    """The pool has no free block left."""


class BlockAllocator:
    """A pool of `num_blocks` physical blocks numbered 0..num_blocks-1, with a reference
    count per allocated block."""

    def __init__(self, num_blocks: int) -> None:
        """Every block starts free. ValueError if num_blocks < 1."""
        if num_blocks < 1:
            raise ValueError(f"need at least one block, got {num_blocks}")
        self._free = list(range(num_blocks))
        self._refs: dict[int, int] = {}

    def allocate(self) -> int:
        """Take the lowest-numbered free block and give it reference count 1.
        OutOfBlocks when none is free."""
        if not self._free:
            raise OutOfBlocks("no free KV block")
        block = heapq.heappop(self._free)
        self._refs[block] = 1
        return block

    def incref(self, block: int) -> None:
        """One more user of an allocated block (KeyError if it is free)."""
        self._refs[block] += 1

    def decref(self, block: int) -> None:
        """One user fewer; at zero the block returns to the free pool (KeyError if free)."""
        self._refs[block] -= 1
        if self._refs[block] == 0:
            del self._refs[block]
            heapq.heappush(self._free, block)

    def refcount(self, block: int) -> int:
        """The block's reference count, 0 when it is free."""
        return self._refs.get(block, 0)

    def free_count(self) -> int:
        """How many blocks are free."""
        return len(self._free)


class KVCache:
    """Block tables for sequences over a shared allocator. Token position p of a sequence
    lives in slot p % block_size of the block at index p // block_size of its table."""

    def __init__(self, allocator: BlockAllocator, block_size: int = 16) -> None:
        """No sequences yet. ValueError if block_size < 1."""
        if block_size < 1:
            raise ValueError(f"block_size must be positive, got {block_size}")
        self.allocator, self.block_size = allocator, block_size
        self._tables: dict[str, list[int]] = {}
        self._lengths: dict[str, int] = {}
        self.copies: list[tuple[int, int]] = []

    def add(self, seq_id: str, num_tokens: int) -> list[int]:
        """Give a new sequence the ceil(num_tokens / block_size) blocks its prompt needs and
        return its block table. All or nothing: on OutOfBlocks no block stays taken.
        ValueError for a known seq_id or num_tokens < 1."""
        if seq_id in self._tables or num_tokens < 1:
            raise ValueError(f"cannot add {seq_id!r} with {num_tokens} tokens")
        need = -(-num_tokens // self.block_size)
        if need > self.allocator.free_count():
            raise OutOfBlocks(f"{seq_id!r} needs {need} blocks")
        self._tables[seq_id] = [self.allocator.allocate() for _ in range(need)]
        self._lengths[seq_id] = num_tokens
        return list(self._tables[seq_id])

    def append(self, seq_id: str) -> list[int]:
        """Add one token to the sequence and return its block table.

        If the last block is full, a new block is allocated. If the token would be written
        into a last block that is shared (reference count above 1), that block is first
        copied: a new block replaces it in this table, (old, new) is appended to `copies`,
        and the old block's count drops by one. Nothing changes on OutOfBlocks.
        KeyError for an unknown sequence."""
        table = self._tables[seq_id]
        n = self._lengths[seq_id]
        if n % self.block_size == 0:
            table.append(self.allocator.allocate())
        elif self.allocator.refcount(table[-1]) > 1:
            new = self.allocator.allocate()
            old, table[-1] = table[-1], new
            self.copies.append((old, new))
            self.allocator.decref(old)
        self._lengths[seq_id] = n + 1
        return list(table)

    def fork(self, parent_id: str, child_id: str) -> list[int]:
        """Start `child_id` as a copy of the parent that shares every one of its blocks
        (each block's count goes up by one) and return its table. KeyError for an unknown
        parent, ValueError for a known child."""
        if child_id in self._tables:
            raise ValueError(f"{child_id!r} exists")
        table = self._tables[parent_id]
        for block in table:
            self.allocator.incref(block)
        self._tables[child_id] = list(table)
        self._lengths[child_id] = self._lengths[parent_id]
        return list(table)

    def free(self, seq_id: str) -> None:
        """Drop the sequence; each of its blocks loses one reference (KeyError if unknown)."""
        for block in self._tables.pop(seq_id):
            self.allocator.decref(block)
        del self._lengths[seq_id]

    def slot(self, seq_id: str, position: int) -> tuple[int, int]:
        """(physical block, offset) holding token `position` of the sequence.
        IndexError for a position outside 0..length-1."""
        if not 0 <= position < self._lengths[seq_id]:
            raise IndexError(position)
        return self._tables[seq_id][position // self.block_size], position % self.block_size


@dataclass
class Request:
    req_id: str
    prompt_len: int
    max_new_tokens: int
    generated: int = 0
    preemptions: int = 0
    arrival: int = field(default=0, repr=False)


@dataclass
class StepResult:
    admitted: list[str]
    preempted: list[str]
    finished: list[str]
    running: list[str]


class Scheduler:
    """Iteration-level (continuous) batching over a pool of KV blocks.

    A request holding n tokens (prompt + generated) holds ceil(n / block_size) blocks.
    `step()` runs one iteration, in this order:

    1. Grow: each running request, oldest admission first, is about to add a token at
       position n = prompt_len + generated; when n % block_size == 0 it needs one more
       block. While no block is free, pre-empt the most recently admitted running request
       (possibly the one asking): it frees all its blocks, keeps its `generated` count
       (it will be recomputed), counts one more `preemptions` and rejoins the waiting queue.
    2. Generate: every request still running gains one token; one that reaches
       max_new_tokens finishes and frees its blocks.
    3. Admit (skipped in a step that pre-empted, since the pool is under pressure):
       while requests wait and fewer than `max_batch` run, take the waiting request
       that arrived first; admit it if the free blocks cover ceil((prompt_len + generated) /
       block_size), else stop (no skipping ahead). Admitted requests are prefilled in
       this step and generate from the next one.

    The waiting queue is always ordered by arrival (the order of `add`). `waiting` and
    `running` (in admission order) hold the Request objects, `free_blocks` the count.
    """

    def __init__(self, num_blocks: int, block_size: int = 16, max_batch: int = 8) -> None:
        """ValueError if any argument is below 1."""
        if min(num_blocks, block_size, max_batch) < 1:
            raise ValueError("num_blocks, block_size and max_batch must be positive")
        self.num_blocks, self.block_size, self.max_batch = num_blocks, block_size, max_batch
        self.free_blocks = num_blocks
        self.waiting: list[Request] = []
        self.running: list[Request] = []  # in admission order
        self._held: dict[str, int] = {}
        self._arrivals = 0

    def add(self, request: Request) -> None:
        """Queue a request. ValueError if it could never finish even alone, i.e. if
        prompt_len + max_new_tokens tokens need more blocks than the pool has, or if
        prompt_len or max_new_tokens is below 1."""
        if request.prompt_len < 1 or request.max_new_tokens < 1:
            raise ValueError(f"{request.req_id}: prompt and output must be at least 1 token")
        if self._blocks(request.prompt_len + request.max_new_tokens) > self.num_blocks:
            raise ValueError(f"{request.req_id} can never fit in {self.num_blocks} blocks")
        request.arrival = self._arrivals
        self._arrivals += 1
        self.waiting.append(request)

    def step(self) -> StepResult:
        """Run one iteration as the class docstring describes and report the ids admitted,
        pre-empted and finished in it (each in the order it happened) and the ids running
        after it, in admission order."""
        preempted: list[str] = []
        for req in list(self.running):
            if req not in self.running:
                continue  # pre-empted earlier in this loop
            if (req.prompt_len + req.generated) % self.block_size == 0:
                while self.free_blocks == 0:
                    victim = self.running.pop()
                    self._release(victim)
                    victim.preemptions += 1
                    self.waiting.append(victim)
                    preempted.append(victim.req_id)
                    if victim is req:
                        break
                if req in self.running:
                    self.free_blocks -= 1
                    self._held[req.req_id] += 1
        self.waiting.sort(key=lambda r: r.arrival)
        finished: list[str] = []
        for req in list(self.running):
            req.generated += 1
            if req.generated == req.max_new_tokens:
                self.running.remove(req)
                self._release(req)
                finished.append(req.req_id)
        admitted: list[str] = []
        while not preempted and self.waiting and len(self.running) < self.max_batch:
            head = self.waiting[0]
            need = self._blocks(head.prompt_len + head.generated)
            if need > self.free_blocks:
                break
            self.waiting.pop(0)
            self.free_blocks -= need
            self._held[head.req_id] = need
            self.running.append(head)
            admitted.append(head.req_id)
        return StepResult(admitted, preempted, finished, [r.req_id for r in self.running])

    def _blocks(self, tokens: int) -> int:
        return -(-tokens // self.block_size)

    def _release(self, req: Request) -> None:
        self.free_blocks += self._held.pop(req.req_id)
