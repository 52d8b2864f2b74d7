"""A workload a learner can keep up with: the daily limit and easy (rest) days, on one machine
and the same on two synced."""

import json
import subprocess
import tomllib
from datetime import UTC, date, datetime

from eng28 import review
from eng28.models import CardRecord
from tests.conftest import setup
from tests.helpers import only_plan, plan_state


def due_ids(run, now):
    return [c["id"] for c in json.loads(run("review", "--json", now=now).stdout)["due"]]


def test_the_daily_limit_caps_what_is_due_until_the_next_study_day(run, use_mini):
    setup(run, "config", "review_daily_limit", "3")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "y", now="2026-12-02T09:00")
    # Eight cards are due on the 3rd; three are shown, oldest due first.
    shown = due_ids(run, "2026-12-03T10:00")
    assert len(shown) == 3
    # The counts that show no card (today, stats, the prompt) say the same three.
    assert json.loads(run("today", "--json", now="2026-12-03T10:00").stdout)["reviews_due"] == 3
    assert json.loads(run("stats", "--json", now="2026-12-03T10:00").stdout)["reviews_due"] == 3
    assert "⟳3" in run("prompt", "--refresh", now="2026-12-03T10:00").stdout
    listing = run("review", "--list", now="2026-12-03T10:00").stdout
    assert "5 more cards due wait for the next study days" in listing
    assert "today's limit is 3 ratings (review_daily_limit)" in listing
    for card in shown:
        setup(run, "review", card, "--rating", "good", now="2026-12-03T10:05")
    # Three ratings given today: nothing more is due until tomorrow...
    assert due_ids(run, "2026-12-03T18:00") == []
    assert json.loads(run("today", "--json", now="2026-12-03T18:00").stdout)["reviews_due"] == 0
    # ...when the backlog comes back, three a day.
    assert len(due_ids(run, "2026-12-04T10:00")) == 3
    # The limit holds back nothing a learner asks for by name.
    held = next(c for c in ["1", "1:back-pressure", "2", "2:abc"] if c not in shown)
    assert run("review", held, "--rating", "good", now="2026-12-03T18:00").exit_code == 0


def test_the_cards_most_at_risk_come_first(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")  # due on the 4th
    setup(run, "done", "2", "-m", "y", now="2026-12-02T21:00")
    setup(run, "config", "review_daily_limit", "4", now="2026-12-05T09:00")
    # Due on the 5th: day 1's reflection (reviewed once, well recalled) and seven new cards,
    # which FSRS gives no chance of recall yet: those come first.
    due = due_ids(run, "2026-12-05T10:00")
    assert len(due) == 4 and "1" not in due


def test_no_card_falls_due_on_a_rest_day(run, home, use_mini):
    setup(run, "config", "rest_days", "sat", "sun")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    # Good on Thursday the 3rd: two days, Saturday the 5th, a rest day: Monday the 7th.
    rated = run("review", "1", "--rating", "good", now="2026-12-03T10:00")
    assert "Next review Monday 7 Dec 2026 (in 4 days)." in rated.stdout
    assert plan_state(home)["cards"]["1"]["due"] == "2026-12-07T10:00:00+00:00"


def test_with_fuzz_a_rest_day_moves_to_the_nearest_study_day_in_the_fuzz_range():
    weekend = frozenset({5, 6})
    reviewed = datetime(2026, 12, 1, 10, tzinfo=UTC)  # a Tuesday

    def card(due):
        return CardRecord(
            card_id=1, state=2, stability=10.0, difficulty=5.0,
            due=due.isoformat(), last_review=reviewed.isoformat(),
        )  # fmt: skip

    def moved(due, fuzzed):
        record = review.off_rest_days(card(due), weekend, UTC, 4, fuzzed)
        return datetime.fromisoformat(record.due).date()

    saturday, sunday = (
        datetime(2026, 12, 12, 10, tzinfo=UTC),
        datetime(2026, 12, 13, 10, tzinfo=UTC),
    )
    # 11 days: fuzz may pick 9 to 13, so the nearest study day: Friday for Saturday, Monday
    # for Sunday; without fuzz, the next study day.
    assert moved(saturday, fuzzed=True) == date(2026, 12, 11)
    assert moved(sunday, fuzzed=True) == date(2026, 12, 14)
    assert moved(saturday, fuzzed=False) == date(2026, 12, 14)
    assert moved(datetime(2026, 12, 10, 10, tzinfo=UTC), fuzzed=True) == date(2026, 12, 10)
    # Four days (fuzz range 3 to 5): Friday; two days have no fuzz: the next study day.
    assert moved(datetime(2026, 12, 5, 10, tzinfo=UTC), fuzzed=True) == date(2026, 12, 4)
    assert review.fuzz_range(2) == (2, 2)
    thursday = datetime(2026, 12, 3, 10, tzinfo=UTC)
    short = card(datetime(2026, 12, 5, 10, tzinfo=UTC)).model_copy(
        update={"last_review": thursday.isoformat()}
    )
    record = review.off_rest_days(short, weekend, UTC, 4, True)
    assert datetime.fromisoformat(record.due).date() == date(2026, 12, 7)


def test_limit_and_easy_days_are_the_same_on_two_machines_synced(tmp_path, run, mini_plan):
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    homes = {"laptop": tmp_path / "laptop", "work": tmp_path / "work"}

    def on(machine, *args, now="2026-12-03T10:00"):
        return run(*args, now=now, env={"ENG28_HOME": str(homes[machine])})

    for machine in homes:
        assert on(machine, "config", "plan", str(mini_plan), now="2026-11-30T08:00").exit_code == 0
    on("laptop", "config", "rest_days", "sat", "sun", now="2026-11-30T09:00")
    on("laptop", "config", "review_daily_limit", "5", now="2026-11-30T09:00")
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "-m", "queues", now="2026-12-01T20:00")
    on("laptop", "done", "2", "--ahead", "-m", "interfaces", now="2026-12-01T21:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T22:00").exit_code == 0
    assert on("work", "sync", "init", str(bare), now="2026-12-02T08:00").exit_code == 0
    # Each machine rates some cards offline; both sync twice.
    on("laptop", "review", "1", "--rating", "good", now="2026-12-03T09:00")
    on("work", "review", "1:why-bound", "--rating", "good", now="2026-12-03T09:30")
    on("work", "review", "2", "--rating", "again", now="2026-12-03T09:40")
    for machine in ("laptop", "work", "laptop"):
        assert on(machine, "sync", now="2026-12-03T12:00").exit_code == 0
    texts = [(homes[m] / "state.toml").read_text() for m in homes]
    assert texts[0] == texts[1]
    cards = only_plan(tomllib.loads(texts[0]))["cards"]
    dues = {datetime.fromisoformat(c["due"]).date() for c in cards.values()}
    assert all(d.weekday() < 5 for d in dues), dues  # no card on a weekend
    # The same cards are due on both, within the same allowance, whatever the day.
    for now in ("2026-12-03T13:00", "2026-12-04T10:00", "2026-12-07T10:00", "2026-12-20T10:00"):
        laptop, work = (
            [c["id"] for c in json.loads(on(m, "review", "--json", now=now).stdout)["due"]]
            for m in homes
        )
        assert laptop == work
        # Three ratings were given on the 3rd: two left of its allowance of five.
        assert len(laptop) <= (2 if now.startswith("2026-12-03") else 5)
