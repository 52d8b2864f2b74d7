import asyncio

import pytest
from pipeline import run_pipeline


class Source:
    """An iterable that counts how many items were taken from it."""

    def __init__(self, n, fail_at=None):
        self.n, self.fail_at, self.taken = n, fail_at, 0

    def __iter__(self):
        for i in range(self.n):
            if i == self.fail_at:
                raise OSError(f"source broke at {i}")
            self.taken += 1
            yield i


def run(coro):
    """asyncio.run with a safety net: a pipeline that hangs fails the check instead."""

    async def bounded():
        try:
            async with asyncio.timeout(5):
                return await coro
        except TimeoutError:
            raise AssertionError("expected the pipeline to finish, it hung for 5 s") from None

    return asyncio.run(bounded())


async def settle(rounds=50):
    for _ in range(rounds):
        await asyncio.sleep(0)


def test_results_come_back_in_input_order():
    async def worker(x):
        for _ in range((7 - x) % 4):
            await asyncio.sleep(0)
        return x * x

    got = run(run_pipeline(range(20), worker, workers=3, maxsize=2))
    assert got == [x * x for x in range(20)], f"expected squares in input order, got {got}"


def test_empty_input_gives_an_empty_list():
    async def worker(x):
        return x

    got = run(run_pipeline([], worker, workers=2, maxsize=1))
    assert got == [], f"expected [], got {got!r}"


def test_every_item_is_processed_exactly_once():
    seen = []

    async def worker(x):
        await asyncio.sleep(0)
        seen.append(x)
        await asyncio.sleep(0)
        return x

    run(run_pipeline(range(100), worker, workers=7, maxsize=3))
    assert sorted(seen) == list(range(100)), (
        f"expected 0..99 each once, got {len(seen)} calls, duplicates {sorted({x for x in seen if seen.count(x) > 1})}"
    )


def test_bad_sizes_are_refused_before_anything_is_taken():
    async def worker(x):
        return x

    for workers, maxsize in [(0, 1), (1, 0), (-1, 5)]:
        source = Source(5)
        with pytest.raises(ValueError):
            run(run_pipeline(source, worker, workers=workers, maxsize=maxsize))
        assert source.taken == 0, f"workers={workers}, maxsize={maxsize}: took {source.taken} items"


def test_backpressure_bounds_what_is_taken_and_workers_run_in_parallel():
    async def main():
        gate = asyncio.Event()
        active = peak = 0

        async def worker(x):
            nonlocal active, peak
            active += 1
            peak = max(peak, active)
            await gate.wait()
            active -= 1
            return x

        source = Source(1000)
        task = asyncio.create_task(run_pipeline(source, worker, workers=4, maxsize=3))
        await settle()
        blocked_taken, blocked_peak = source.taken, peak
        gate.set()
        result = await task
        return blocked_taken, blocked_peak, peak, result

    taken, blocked_peak, peak, result = run(main())
    assert 4 <= taken <= 4 + 3 + 1, (
        f"with 4 stuck workers and a queue of 3, expected 4..8 items taken, got {taken}"
    )
    assert blocked_peak == 4, f"expected all 4 workers busy at once, got {blocked_peak}"
    assert peak <= 4, f"never more than 4 calls at once, got {peak}"
    assert result == list(range(1000))


def test_a_failing_worker_cancels_the_rest_and_its_error_propagates():
    cancelled = []
    boom = KeyError("item 5")

    async def main(source):
        async def worker(x):
            if x < 3:
                return x
            if x == 5:
                raise boom
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.append(x)
                raise
            return x

        with pytest.raises(KeyError) as caught:
            await run_pipeline(source, worker, workers=3, maxsize=2)
        await settle()
        return caught.value, [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]

    source = Source(1000)
    error, left = run(main(source))
    assert error is boom, f"expected the worker's own KeyError, got {error!r}"
    assert sorted(cancelled) == [3, 4], (
        f"expected the two other busy workers (items 3, 4) cancelled, got {cancelled}"
    )
    assert left == [], f"expected no task left running, got {left}"
    assert source.taken <= 5 + 2 + 3 + 1, (
        f"expected taking to stop soon after item 5, took {source.taken}"
    )


def test_the_first_of_several_failures_is_raised():
    async def worker(x):
        for _ in range(x):
            await asyncio.sleep(0)
        raise ValueError(f"item {x}")

    with pytest.raises(ValueError) as caught:
        run(run_pipeline(range(10), worker, workers=3, maxsize=1))
    assert str(caught.value) == "item 0", (
        f"item 0 fails first: expected 'item 0', got {caught.value!r}"
    )


def test_an_error_from_the_source_propagates():
    async def worker(x):
        await asyncio.sleep(0)
        return x

    with pytest.raises(OSError, match="source broke at 7"):
        run(run_pipeline(Source(20, fail_at=7), worker, workers=2, maxsize=2))


def test_cancelling_the_pipeline_cancels_every_worker_and_stops_taking():
    async def main():
        cancelled = []

        async def worker(x):
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.append(x)
                raise

        source = Source(1000)
        task = asyncio.create_task(run_pipeline(source, worker, workers=3, maxsize=2))
        await settle()
        taken = source.taken
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        await settle()
        return cancelled, left, taken, source.taken

    cancelled, left, before, after = run(main())
    assert sorted(cancelled) == [0, 1, 2], f"expected the 3 busy workers cancelled, got {cancelled}"
    assert left == [], f"expected every task finished when the cancellation arrives, got {left}"
    assert after == before, (
        f"expected no item taken after the cancel: {before} before, {after} after"
    )
