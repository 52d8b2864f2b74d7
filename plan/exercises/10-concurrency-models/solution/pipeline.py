"""A bounded asyncio pipeline: one producer, a fixed pool of workers, back-pressure,
errors that stop everything, and cancellation that leaves nothing running."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE: Any = object()


async def run_pipeline(
    items: Iterable[T],
    worker: Callable[[T], Awaitable[R]],
    *,
    workers: int,
    maxsize: int,
) -> list[R]:
    """Run `await worker(item)` for every item and return the results in input order.

    - One producer takes items from `items` lazily, one at a time, and puts them on an
      asyncio.Queue of `maxsize`; when the queue is full the producer waits (back-pressure),
      so it never takes more than `maxsize + workers + 1` items that are not yet finished.
    - Exactly `workers` consumer tasks take items off the queue: at most `workers` calls
      of `worker` run at once, and every item is processed exactly once.
    - If a call raises, the pipeline stops taking items, cancels every other task it
      started, waits for them to finish, and raises that same exception (the first one,
      if several fail) itself, not wrapped in an ExceptionGroup. An exception raised
      while taking the next item from `items` is handled the same way.
    - If the coroutine running the pipeline is cancelled, every task it started is
      cancelled and awaited before the CancelledError propagates.
    - `workers < 1` or `maxsize < 1` raises ValueError before any item is taken.
    """
    if workers < 1 or maxsize < 1:
        raise ValueError(f"workers and maxsize must be at least 1, got {workers} and {maxsize}")
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)
    results: dict[int, R] = {}

    async def produce() -> None:
        for index, item in enumerate(items):
            await queue.put((index, item))
        for _ in range(workers):
            await queue.put(_DONE)

    async def consume() -> None:
        while True:
            job = await queue.get()
            if job is _DONE:
                return
            index, item = job
            results[index] = await worker(item)

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(produce())
            for _ in range(workers):
                group.create_task(consume())
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0] from None
    return [results[i] for i in range(len(results))]
