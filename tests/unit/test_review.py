from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from eng28 import review


def rate_repeatedly(ratings, retention=0.9):
    sched = review.scheduler(retention, fuzzing=False)
    when = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    card = review.new_card(1, when + timedelta(days=1))
    intervals = []
    for rating in ratings:
        when = datetime.fromisoformat(card.due)
        card, _ = review.rate(sched, card, rating, when, 1000)
        intervals.append((datetime.fromisoformat(card.due) - when).days)
    return intervals


def test_golden_intervals_for_good_at_retention_0_9():
    assert rate_repeatedly([3, 3, 3, 3]) == [2, 11, 46, 163]


def test_again_resets_to_a_short_interval_and_hard_graduates():
    intervals = rate_repeatedly([3, 3, 1, 3])
    assert intervals[:2] == [2, 11]
    assert intervals[2] <= 2  # lapse: back to about a day
    assert intervals[3] < 11
    hard = rate_repeatedly([2, 2, 2, 2])
    assert hard == sorted(hard) and hard[-1] > hard[0] >= 1


def test_higher_retention_gives_shorter_intervals():
    assert rate_repeatedly([3, 3, 3], retention=0.95)[-1] < rate_repeatedly([3, 3, 3])[-1]


def test_new_card_is_due_at_the_start_of_the_next_study_day():
    from eng28.models import Config
    from eng28.usecases.progress import first_due as first_due_for

    config = Config(rollover_hour=4, timezone="UTC")
    for done_at, due in [
        (datetime(2026, 12, 1, 21, 0, tzinfo=UTC), datetime(2026, 12, 2, 4, 0, tzinfo=UTC)),
        # 01:30 still belongs to the study day of the 1st.
        (datetime(2026, 12, 2, 1, 30, tzinfo=UTC), datetime(2026, 12, 2, 4, 0, tzinfo=UTC)),
    ]:
        card = review.new_card(7, first_due_for(config, done_at))
        assert datetime.fromisoformat(card.due) == due
        assert review.due_date(card, UTC, 4) == date(2026, 12, 2)
    weekend = Config(rollover_hour=4, timezone="UTC", rest_days=["sat", "sun"])
    friday = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    assert first_due_for(weekend, friday).date() == date(2026, 12, 7)  # not on the weekend


def test_first_due_is_the_next_study_day_when_clocks_go_back():
    from eng28.models import Config
    from eng28.usecases.progress import first_due as first_due_for

    config = Config(rollover_hour=4, timezone="America/New_York")
    new_york = ZoneInfo("America/New_York")
    # 1 Nov 2026: clocks go back at 02:00. Done at 04:30 on 31 Oct, so on the study day of
    # the 31st: the first review is due at 04:00 on 1 Nov, not 24 hours later.
    done_at = datetime(2026, 10, 31, 4, 30, tzinfo=new_york)
    card = review.new_card(1, first_due_for(config, done_at))
    assert review.due_date(card, new_york, 4) == date(2026, 11, 1)
    assert datetime.fromisoformat(card.due).astimezone(new_york).hour == 4


def test_due_date_uses_the_local_zone_across_dst():
    london = ZoneInfo("Europe/London")
    # Due 03:30 UTC on 29 March 2026 = 04:30 BST: that study date is the 29th.
    card = review.new_card(1, datetime(2026, 3, 29, 3, 30, tzinfo=UTC))
    assert review.due_date(card, london, 4) == date(2026, 3, 29)
    assert review.due_date(card, UTC, 4) == date(2026, 3, 28)


def test_replaying_the_log_gives_the_same_card():
    sched = review.scheduler(0.9, fuzzing=False)
    created = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    card, log = review.new_card(3, created + timedelta(days=1)), []
    for rating, gap in [(3, 1), (2, 2), (4, 5)]:
        when = datetime.fromisoformat(card.due) + timedelta(hours=gap)
        card, entry = review.rate(sched, card, rating, when, None)
        log.append(entry)
    assert review.replay(sched, 3, log, created + timedelta(days=1)) == card


def test_parse_rating():
    assert [review.parse_rating(x) for x in ("1", "h", "Good", "e", "x", "")] == [
        1,
        2,
        3,
        4,
        None,
        None,
    ]
