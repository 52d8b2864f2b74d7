"""Event-time windows with a watermark, allowed lateness and a late-data side output,
the way Flink's window operator treats them. Times are integers (say, seconds)."""

from dataclasses import dataclass


def tumbling_window(ts: int, size: int) -> tuple[int, int]:
    """The window [start, end) of length `size` holding `ts`; windows start at multiples
    of `size` (0, size, 2*size, ... and below zero too). ValueError if size <= 0."""
    if size <= 0:
        raise ValueError(f"size must be positive, got {size}")
    start = ts - ts % size
    return start, start + size


def sliding_windows(ts: int, size: int, slide: int) -> list[tuple[int, int]]:
    """Every window [start, start + size) with `start` a multiple of `slide` that holds
    `ts`, sorted by start. With slide > size some times fall in no window (an empty
    list). ValueError if size <= 0 or slide <= 0."""
    if size <= 0 or slide <= 0:
        raise ValueError(f"size and slide must be positive, got {size} and {slide}")
    last = ts - ts % slide
    windows = []
    start = last
    while start > ts - size:
        windows.append((start, start + size))
        start -= slide
    return sorted(windows)


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
        if max_delay < 0 or allowed_lateness < 0:
            raise ValueError("max_delay and allowed_lateness must not be negative")
        sliding_windows(0, size, size if slide is None else slide)  # validates size and slide
        self.size, self.slide = size, slide
        self.max_delay, self.allowed_lateness = max_delay, allowed_lateness
        self.watermark: int | None = None
        self.late_events: list[tuple[str, int, float]] = []
        self._state: dict[tuple[str, int, int], list[float]] = {}  # -> [count, total]
        self._fired: set[tuple[str, int, int]] = set()

    def process(self, key: str, ts: int, value: float) -> list[Emission]:
        """Take one event and return what it causes, in this order: late firings of
        windows the event updated (by window start), then the on-time firings of windows
        the advanced watermark closes, ordered by (end, start, key).

        The event is judged against the watermark as it was before this event; then the
        watermark advances to max(watermark, ts - max_delay); then windows fire, and
        windows with end + allowed_lateness <= watermark are forgotten.
        """
        out: list[Emission] = []
        wm = self.watermark
        if self.slide is None:
            windows = [tumbling_window(ts, self.size)]
        else:
            windows = sliding_windows(ts, self.size, self.slide)
        accepted = False
        for start, end in windows:
            if wm is not None and end + self.allowed_lateness <= wm:
                continue  # state already gone
            accepted = True
            acc = self._state.setdefault((key, start, end), [0, 0.0])
            acc[0] += 1
            acc[1] += value
            if wm is not None and end <= wm:
                self._fired.add((key, start, end))
                out.append(Emission(key, start, end, int(acc[0]), acc[1], late=True))
        if not accepted:
            self.late_events.append((key, ts, value))
        self.watermark = ts - self.max_delay if wm is None else max(wm, ts - self.max_delay)
        out += self._fire(self.watermark)
        return out

    def flush(self) -> list[Emission]:
        """End of input: fire every window that has not fired yet (late=False), ordered
        by (end, start, key), as if the watermark had jumped to infinity."""
        ready = sorted(
            (k for k in self._state if k not in self._fired), key=lambda k: (k[2], k[1], k[0])
        )
        out = [self._emit(k) for k in ready]
        self._state.clear()
        self._fired.clear()
        return out

    def _fire(self, wm: int) -> list[Emission]:
        ready = sorted(
            (k for k in self._state if k not in self._fired and k[2] <= wm),
            key=lambda k: (k[2], k[1], k[0]),
        )
        out = [self._emit(k) for k in ready]
        self._fired.update(ready)
        for k in [k for k in self._state if k[2] + self.allowed_lateness <= wm]:
            del self._state[k]
            self._fired.discard(k)
        return out

    def _emit(self, k: tuple[str, int, int]) -> Emission:
        count, total = self._state[k]
        return Emission(k[0], k[1], k[2], int(count), total)
