import pytest
from windows import Emission, WindowAggregator, sliding_windows, tumbling_window


def summary(emissions):
    return [(e.key, e.start, e.end, e.count, e.total, e.late) for e in emissions]


def test_tumbling_window_boundaries():
    cases = {(0, 5): (0, 5), (4, 5): (0, 5), (5, 5): (5, 10), (12, 5): (10, 15), (-1, 5): (-5, 0)}
    for (ts, size), want in cases.items():
        got = tumbling_window(ts, size)
        assert got == want, f"tumbling_window({ts}, {size}): expected {want}, got {got}"
    with pytest.raises(ValueError):
        tumbling_window(3, 0)


def test_sliding_windows_cover_each_time_size_over_slide_times():
    got = sliding_windows(7, 10, 5)
    assert got == [(0, 10), (5, 15)], f"expected [(0, 10), (5, 15)], got {got}"
    got = sliding_windows(10, 10, 5)
    assert got == [(5, 15), (10, 20)], (
        f"ts=10 is outside [0, 10): expected [(5, 15), (10, 20)], got {got}"
    )
    got = sliding_windows(3, 6, 2)
    assert got == [(-2, 4), (0, 6), (2, 8)], f"expected three windows, got {got}"


def test_sliding_windows_gaps_and_bad_arguments():
    assert sliding_windows(3, 2, 3) == [(3, 5)]
    assert sliding_windows(5, 2, 3) == [], "with slide 3 and size 2, time 5 lies in a gap"
    for size, slide in ((0, 1), (5, 0), (-5, 5)):
        with pytest.raises(ValueError):
            sliding_windows(1, size, slide)


def test_watermark_is_max_event_time_minus_delay_and_never_goes_back():
    agg = WindowAggregator(size=10, max_delay=3)
    assert agg.watermark is None, f"no events yet: expected None, got {agg.watermark}"
    seen = []
    for ts in (5, 12, 8, 20, 1):
        agg.process("k", ts, 1.0)
        seen.append(agg.watermark)
    assert seen == [2, 9, 9, 17, 17], f"expected watermarks [2, 9, 9, 17, 17], got {seen}"


def test_window_fires_once_when_the_watermark_reaches_its_end():
    agg = WindowAggregator(size=10, max_delay=2)
    assert agg.process("u", 1, 2.0) == []
    assert agg.process("u", 9, 3.0) == []
    assert agg.process("u", 11, 1.0) == [], "watermark 9 < end 10: [0, 10) must stay open"
    assert agg.process("u", 7, 4.0) == [], "7 is out of order but within the delay: counted"
    got = summary(agg.process("u", 12, 1.0))
    assert got == [("u", 0, 10, 3, 9.0, False)], (
        f"watermark 10 reaches end 10: expected [0, 10) with 3 events summing 9.0, got {got}"
    )
    assert agg.process("u", 13, 1.0) == [], "a window fires only once"
    assert agg.late_events == []


def test_late_events_without_allowed_lateness_go_to_the_side_output():
    agg = WindowAggregator(size=10, max_delay=0)
    agg.process("u", 3, 1.0)
    fired = agg.process("u", 15, 1.0)
    assert summary(fired) == [("u", 0, 10, 1, 1.0, False)]
    assert agg.process("u", 4, 5.0) == [], "a late event must not change a fired window"
    assert agg.late_events == [("u", 4, 5.0)], (
        f"expected the late event kept, got {agg.late_events}"
    )
    got = summary(agg.flush())
    assert got == [("u", 10, 20, 1, 1.0, False)], f"flush fires only [10, 20), got {got}"


def test_allowed_lateness_updates_a_fired_window_until_its_state_expires():
    agg = WindowAggregator(size=10, max_delay=0, allowed_lateness=5)
    agg.process("u", 2, 1.0)
    assert summary(agg.process("u", 12, 1.0)) == [("u", 0, 10, 1, 1.0, False)]
    got = summary(agg.process("u", 6, 2.0))
    assert got == [("u", 0, 10, 2, 3.0, True)], (
        f"watermark 12 < end 10 + lateness 5: expected a late firing with 2 events, got {got}"
    )
    got = summary(agg.process("u", 8, 1.0))
    assert got == [("u", 0, 10, 3, 4.0, True)], f"each late event refires, got {got}"
    agg.process("u", 15, 1.0)  # watermark 15 = end + lateness: state for [0, 10) is gone
    assert agg.process("u", 9, 7.0) == [], f"state expired: expected nothing, got {agg.late_events}"
    assert agg.late_events == [("u", 9, 7.0)]


def test_late_event_for_a_window_that_never_had_data_fires_at_once():
    agg = WindowAggregator(size=10, max_delay=0, allowed_lateness=10)
    agg.process("a", 25, 1.0)
    got = summary(agg.process("b", 12, 2.0))
    assert got == [("b", 10, 20, 1, 2.0, True)], (
        f"[10, 20) for b has already been passed by watermark 25 but is within lateness: "
        f"expected an immediate late firing, got {got}"
    )
    assert summary(agg.flush()) == [("a", 20, 30, 1, 1.0, False)], "b's window fired already"


def test_keys_are_windowed_separately_and_firings_are_ordered():
    agg = WindowAggregator(size=5, max_delay=5)
    for key, ts, value in (("b", 1, 1.0), ("a", 2, 2.0), ("a", 6, 3.0), ("b", 3, 4.0)):
        assert agg.process(key, ts, value) == [], "the watermark stays below 5: nothing closes"
    got = summary(agg.process("c", 30, 0.0))
    assert got == [
        ("a", 0, 5, 1, 2.0, False),
        ("b", 0, 5, 2, 5.0, False),
        ("a", 5, 10, 1, 3.0, False),
    ], f"expected per-key results ordered by (end, start, key), got {got}"


def test_sliding_windows_count_an_event_in_each_window_and_drop_it_only_when_all_are_gone():
    agg = WindowAggregator(size=10, slide=5, max_delay=0)
    agg.process("u", 7, 1.0)  # in [0, 10) and [5, 15)
    got = summary(agg.process("u", 10, 0.0))
    assert got == [("u", 0, 10, 1, 1.0, False)], f"expected [0, 10) to fire, got {got}"
    assert agg.process("u", 8, 2.0) == [], "8 is late for [0, 10) but on time for [5, 15)"
    assert agg.late_events == [], "an event kept by one of its windows is not a late event"
    got = summary(agg.process("u", 16, 0.0))
    assert got == [("u", 5, 15, 3, 3.0, False)], f"[5, 15) holds 7, 10 and 8: got {got}"
    agg.process("u", 12, 9.0)
    assert agg.late_events == [], "12 still lands in [10, 20)"
    agg.process("u", 9, 9.0)
    assert agg.late_events == [("u", 9, 9.0)], "both windows of 9 are closed: side output"


def test_flush_emits_open_windows_once_and_constructor_validates():
    agg = WindowAggregator(size=10, max_delay=100)
    agg.process("x", 1, 1.0)
    agg.process("x", 25, 2.0)
    got = summary(agg.flush())
    assert got == [("x", 0, 10, 1, 1.0, False), ("x", 20, 30, 1, 2.0, False)], got
    assert agg.flush() == [], "a second flush has nothing left"
    assert isinstance(Emission("k", 0, 1, 1, 1.0), Emission)
    for kwargs in (
        {"size": 0},
        {"size": 5, "slide": 0},
        {"size": 5, "max_delay": -1},
        {"size": 5, "allowed_lateness": -1},
    ):
        with pytest.raises(ValueError):
            WindowAggregator(**kwargs)
