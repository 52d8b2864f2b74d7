"""A paged KV cache (blocks, block tables, copy-on-write sharing) and one step of a
continuous-batching scheduler that admits, pre-empts and frees, as vLLM does."""

from dataclasses import dataclass, field


class OutOfBlocks(Exception):
    """The pool has no free block left."""


class BlockAllocator:
    """A pool of `num_blocks` physical blocks numbered 0..num_blocks-1, with a reference
    count per allocated block."""

    def __init__(self, num_blocks: int) -> None:
        """Every block starts free. ValueError if num_blocks < 1."""
        raise NotImplementedError

    def allocate(self) -> int:
        """Take the lowest-numbered free block and give it reference count 1.
        OutOfBlocks when none is free."""
        raise NotImplementedError

    def incref(self, block: int) -> None:
        """One more user of an allocated block (KeyError if it is free)."""
        raise NotImplementedError

    def decref(self, block: int) -> None:
        """One user fewer; at zero the block returns to the free pool (KeyError if free)."""
        raise NotImplementedError

    def refcount(self, block: int) -> int:
        """The block's reference count, 0 when it is free."""
        raise NotImplementedError

    def free_count(self) -> int:
        """How many blocks are free."""
        raise NotImplementedError


class KVCache:
    """Block tables for sequences over a shared allocator. Token position p of a sequence
    lives in slot p % block_size of the block at index p // block_size of its table."""

    def __init__(self, allocator: BlockAllocator, block_size: int = 16) -> None:
        """No sequences yet. ValueError if block_size < 1."""
        raise NotImplementedError

    def add(self, seq_id: str, num_tokens: int) -> list[int]:
        """Give a new sequence the ceil(num_tokens / block_size) blocks its prompt needs and
        return its block table. All or nothing: on OutOfBlocks no block stays taken.
        ValueError for a known seq_id or num_tokens < 1."""
        raise NotImplementedError

    def append(self, seq_id: str) -> list[int]:
        """Add one token to the sequence and return its block table.

        If the last block is full, a new block is allocated. If the token would be written
        into a last block that is shared (reference count above 1), that block is first
        copied: a new block replaces it in this table, (old, new) is appended to `copies`,
        and the old block's count drops by one. Nothing changes on OutOfBlocks.
        KeyError for an unknown sequence."""
        raise NotImplementedError

    def fork(self, parent_id: str, child_id: str) -> list[int]:
        """Start `child_id` as a copy of the parent that shares every one of its blocks
        (each block's count goes up by one) and return its table. KeyError for an unknown
        parent, ValueError for a known child."""
        raise NotImplementedError

    def free(self, seq_id: str) -> None:
        """Drop the sequence; each of its blocks loses one reference (KeyError if unknown)."""
        raise NotImplementedError

    def slot(self, seq_id: str, position: int) -> tuple[int, int]:
        """(physical block, offset) holding token `position` of the sequence.
        IndexError for a position outside 0..length-1."""
        raise NotImplementedError


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
        raise NotImplementedError

    def add(self, request: Request) -> None:
        """Queue a request. ValueError if it could never finish even alone, i.e. if
        prompt_len + max_new_tokens tokens need more blocks than the pool has, or if
        prompt_len or max_new_tokens is below 1."""
        raise NotImplementedError

    def step(self) -> StepResult:
        """Run one iteration as the class docstring describes and report the ids admitted,
        pre-empted and finished in it (each in the order it happened) and the ids running
        after it, in admission order."""
        raise NotImplementedError
