"""Event-time windows with a watermark, allowed lateness and a late-data side output,
the way Flink's window operator treats them. Times are integers (say, seconds)."""

from dataclasses import dataclass


def tumbling_window(ts: int, size: int) -> tuple[int, int]:
    """The window [start, end) of length `size` holding `ts`; windows start at multiples
    of `size` (0, size, 2*size, ... and below zero too). ValueError if size <= 0."""
    raise NotImplementedError


def sliding_windows(ts: int, size: int, slide: int) -> list[tuple[int, int]]:
    """Every window [start, start + size) with `start` a multiple of `slide` that holds
    `ts`, sorted by start. With slide > size some times fall in no window (an empty
    list). ValueError if size <= 0 or slide <= 0."""
    raise NotImplementedError


@dataclass(frozen=True)
class Emission:
    """One result of one window for one key; `late` marks a late firing, an update sent
    after the window's on-time result because a late event was still allowed in."""

    key: str
    start: int
    end: int
    count: int
    total: float
    late: bool = False


class WindowAggregator:
    """Counts and sums values per key and event-time window.

    Events arrive one by one in processing order through `process`. The watermark is the
    largest event time seen so far minus `max_delay`; it never moves backwards, and is
    None before the first event. A window [start, end) fires (emits its on-time result,
    late=False) as soon as the watermark is >= end. Its state is kept while
    end + allowed_lateness > watermark; an event for a window that has fired but is still
    kept is added to it and causes an immediate late firing (late=True) with the updated
    count and total. An event that lands in no kept window goes to `late_events`.
    """

    def __init__(
        self, size: int, slide: int | None = None, max_delay: int = 0, allowed_lateness: int = 0
    ) -> None:
        """Tumbling windows of `size`, or sliding ones when `slide` is given.
        ValueError for size or slide <= 0, or a negative delay or lateness."""
        raise NotImplementedError

    def process(self, key: str, ts: int, value: float) -> list[Emission]:
        """Take one event and return what it causes, in this order: late firings of
        windows the event updated (by window start), then the on-time firings of windows
        the advanced watermark closes, ordered by (end, start, key).

        The event is judged against the watermark as it was before this event; then the
        watermark advances to max(watermark, ts - max_delay); then windows fire, and
        windows with end + allowed_lateness <= watermark are forgotten.
        """
        raise NotImplementedError

    def flush(self) -> list[Emission]:
        """End of input: fire every window that has not fired yet (late=False), ordered
        by (end, start, key), as if the watermark had jumped to infinity."""
        raise NotImplementedError
