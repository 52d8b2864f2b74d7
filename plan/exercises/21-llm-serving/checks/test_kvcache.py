import random

import pytest
from kvcache import BlockAllocator, KVCache, OutOfBlocks, Request, Scheduler


def test_allocator_hands_out_the_lowest_free_block_and_counts_references():
    pool = BlockAllocator(3)
    assert [pool.allocate(), pool.allocate()] == [0, 1]
    pool.incref(0)
    assert pool.refcount(0) == 2 and pool.free_count() == 1
    pool.decref(0)
    assert pool.refcount(0) == 1 and pool.free_count() == 1, "still one user: not free yet"
    pool.decref(0)
    assert pool.refcount(0) == 0 and pool.free_count() == 2
    assert pool.allocate() == 0, "block 0 is free again and is the lowest"
    assert pool.allocate() == 2
    with pytest.raises(OutOfBlocks):
        pool.allocate()
    with pytest.raises(KeyError):
        BlockAllocator(2).decref(1)
    with pytest.raises(ValueError):
        BlockAllocator(0)


def test_block_tables_map_positions_to_slots():
    cache = KVCache(BlockAllocator(8), block_size=16)
    assert cache.add("a", 16) == [0], "16 tokens fill exactly one block"
    assert cache.add("b", 17) == [1, 2], "17 tokens need two blocks"
    assert cache.slot("b", 0) == (1, 0)
    assert cache.slot("b", 16) == (2, 0), f"position 16 starts block 2, got {cache.slot('b', 16)}"
    assert cache.slot("a", 15) == (0, 15)
    with pytest.raises(IndexError):
        cache.slot("b", 17)
    assert cache.append("a") == [0, 3], "the 17th token of a opens a new block"
    assert cache.append("b") == [1, 2], "b's last block has room"
    assert cache.slot("a", 16) == (3, 0)
    with pytest.raises(ValueError):
        cache.add("a", 4)
    with pytest.raises(ValueError):
        cache.add("c", 0)


def test_add_is_all_or_nothing_and_free_returns_blocks():
    pool = BlockAllocator(3)
    cache = KVCache(pool, block_size=4)
    cache.add("a", 8)
    with pytest.raises(OutOfBlocks):
        cache.add("b", 5)  # needs 2 blocks, 1 is free
    assert pool.free_count() == 1, "a failed add must not keep any block"
    cache.free("a")
    assert pool.free_count() == 3
    assert cache.add("b", 5) == [0, 1]
    with pytest.raises(KeyError):
        cache.free("a")


def test_fork_shares_blocks_and_copies_on_write_only_a_shared_partial_block():
    pool = BlockAllocator(8)
    cache = KVCache(pool, block_size=4)
    cache.add("p", 6)  # blocks 0 (full) and 1 (2 of 4 slots used)
    assert cache.fork("p", "c") == [0, 1]
    assert pool.refcount(0) == 2 and pool.refcount(1) == 2
    table = cache.append("c")
    assert table == [0, 2], (
        f"c writes into shared block 1, so it gets a copy: expected [0, 2], got {table}"
    )
    assert cache.copies == [(1, 2)], f"one copy from block 1 to block 2, got {cache.copies}"
    assert pool.refcount(1) == 1 and pool.refcount(0) == 2, "the full prefix block stays shared"
    assert cache.append("p") == [0, 1], "block 1 is p's alone now: no copy"
    assert cache.copies == [(1, 2)]
    cache.append("p")
    cache.fork("p", "q")  # p holds 8 tokens: its last block is full
    assert cache.append("q") == [0, 1, 3], "a full shared block needs no copy, just a new block"
    assert cache.copies == [(1, 2)]
    for seq in ("p", "q", "c"):
        cache.free(seq)
    assert pool.free_count() == 8, "freeing every sequence returns every block"


def test_append_changes_nothing_when_the_pool_is_empty():
    pool = BlockAllocator(2)
    cache = KVCache(pool, block_size=4)
    cache.add("p", 3)
    cache.fork("p", "c")
    cache.add("x", 2)
    with pytest.raises(OutOfBlocks):
        cache.append("c")  # needs a copy of the shared block, but the pool is empty
    assert pool.refcount(0) == 2 and cache.copies == [], "a failed copy must leave sharing intact"
    assert cache.slot("c", 2) == (0, 2)
    with pytest.raises(IndexError):
        cache.slot("c", 3)


def test_scheduler_admits_grows_and_frees():
    s = Scheduler(num_blocks=4, block_size=4)
    s.add(Request("A", prompt_len=4, max_new_tokens=2))
    s.add(Request("B", prompt_len=3, max_new_tokens=2))
    r = s.step()
    assert (r.admitted, r.running, s.free_blocks) == (["A", "B"], ["A", "B"], 2), r
    r = s.step()
    assert s.free_blocks == 1, (
        f"A's 5th token needs a second block, B's 4th does not; free {s.free_blocks}"
    )
    assert r.finished == [] and r.running == ["A", "B"]
    r = s.step()
    assert r.finished == ["A", "B"] and r.running == [] and s.free_blocks == 4, r


def test_scheduler_respects_max_batch_and_first_come_first_served():
    s = Scheduler(num_blocks=4, block_size=4, max_batch=2)
    s.add(Request("big", prompt_len=10, max_new_tokens=4))  # 3 blocks, 4 at the end
    s.add(Request("tiny1", prompt_len=1, max_new_tokens=1))
    s.add(Request("tiny2", prompt_len=1, max_new_tokens=1))
    assert s.step().admitted == ["big", "tiny1"], "at most two run at once"
    r = s.step()
    assert r.finished == ["tiny1"] and r.admitted == ["tiny2"], r
    s2 = Scheduler(num_blocks=4, block_size=4)
    s2.add(Request("a", prompt_len=8, max_new_tokens=8))  # 2 blocks now, 4 at the end
    s2.step()
    s2.add(Request("b", prompt_len=12, max_new_tokens=1))  # 3 blocks: does not fit
    s2.add(Request("c", prompt_len=1, max_new_tokens=1))  # would fit, but must not jump b
    assert s2.step().admitted == [], "the head of the queue waits and nobody skips it"
    with pytest.raises(ValueError):
        s2.add(Request("huge", prompt_len=10, max_new_tokens=7))  # 17 tokens > 16 slots
    with pytest.raises(ValueError):
        s2.add(Request("empty", prompt_len=0, max_new_tokens=1))


def test_scheduler_preempts_the_newest_and_recomputes_it_later():
    s = Scheduler(num_blocks=2, block_size=4)
    a = Request("A", prompt_len=4, max_new_tokens=4)
    b = Request("B", prompt_len=2, max_new_tokens=3)
    s.add(a)
    s.add(b)
    assert s.step().admitted == ["A", "B"] and s.free_blocks == 0
    r = s.step()
    assert r.preempted == ["B"], (
        f"A needs a block and B is the newest: expected B pre-empted, got {r}"
    )
    assert r.admitted == [], "no admissions in a step that pre-empted"
    assert r.running == ["A"] and b.preemptions == 1 and b.generated == 0 and a.generated == 1
    assert [req.req_id for req in s.waiting] == ["B"]
    steps = [s.step() for _ in range(3)]
    assert steps[-1].finished == ["A"] and steps[-1].admitted == ["B"], steps
    while s.running or s.waiting:
        s.step()
    assert b.generated == 3 and s.free_blocks == 2


def test_the_newest_request_preempts_itself_and_is_not_readmitted_in_the_same_step():
    s = Scheduler(num_blocks=2, block_size=4)
    s.add(Request("A", prompt_len=3, max_new_tokens=4))
    b = Request("B", prompt_len=4, max_new_tokens=2)
    s.add(b)
    s.step()
    r = s.step()  # B's 5th token needs a block, none is free, and B is the newest
    assert r.preempted == ["B"] and r.running == ["A"], f"expected B to pre-empt itself, got {r}"
    assert r.admitted == [], "B's freed block must not readmit it in the step that pre-empted it"
    assert s.free_blocks == 1
    while s.running or s.waiting:
        s.step()
    assert b.generated == 2 and b.preemptions >= 1


def test_a_preempted_request_keeps_its_tokens_and_needs_blocks_for_them():
    s = Scheduler(num_blocks=4, block_size=2)
    old = Request("old", prompt_len=2, max_new_tokens=6)  # ends at 8 tokens: 4 blocks
    new = Request("new", prompt_len=1, max_new_tokens=5)
    s.add(old)
    s.add(new)
    s.step()  # both admitted, one block each
    s.step()  # old's 3rd token takes a block
    s.step()  # new's 3rd token takes the last block
    assert (old.generated, new.generated, s.free_blocks) == (2, 2, 0)
    r = s.step()  # old needs a block: new, the newest, is pre-empted with its 2 tokens
    assert r.preempted == ["new"] and new.generated == 2, r
    assert s.free_blocks == 1, (
        f"new gave back 2 blocks and old took 1: expected 1, got {s.free_blocks}"
    )
    r = s.step()
    assert r.admitted == [], (
        "new must be recomputed with 1 + 2 = 3 tokens, which need 2 blocks; only 1 is free"
    )
    s.step()
    r = s.step()
    assert r.finished == ["old"] and r.admitted == ["new"], r
    assert s.free_blocks == 2, (
        f"new holds 2 blocks for its 3 tokens: expected 2 free, got {s.free_blocks}"
    )
    while s.running or s.waiting:
        s.step()
    assert (old.generated, new.generated, new.preemptions) == (6, 5, 1)


def test_random_workload_keeps_the_books_and_finishes_everything():
    rng = random.Random(21)
    s = Scheduler(num_blocks=12, block_size=4, max_batch=5)
    reqs = [Request(f"r{i}", rng.randint(1, 20), rng.randint(1, 20)) for i in range(40)]
    pending = list(reqs)
    for step in range(5_000):
        if pending and rng.random() < 0.5:
            s.add(pending.pop(0))
        s.step()
        held = sum(-(-(r.prompt_len + r.generated) // 4) for r in s.running)
        assert s.num_blocks - s.free_blocks == held, (
            f"step {step}: running requests should hold {held} blocks, pool says "
            f"{s.num_blocks - s.free_blocks}"
        )
        assert s.free_blocks >= 0 and len(s.running) <= 5
        if not pending and not s.running and not s.waiting:
            break
    assert all(r.generated == r.max_new_tokens for r in reqs), "every request must finish"
    assert s.free_blocks == 12
    assert sum(r.preemptions for r in reqs) > 0, "this workload is meant to cause pre-emption"
