"""A bounded asyncio pipeline: one producer, a fixed pool of workers, back-pressure,
errors that stop everything, and cancellation that leaves nothing running."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
    raise NotImplementedError
