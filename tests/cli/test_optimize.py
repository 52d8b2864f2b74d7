"""`eng28 review optimize`: FSRS fitted to the learner's own review log."""

import json
import random
from datetime import UTC, datetime, timedelta

from eng28 import review, store
from eng28.models import PlanState, ReviewEntry, State, fsrs_number
from tests.conftest import setup

START = datetime(2026, 1, 5, 10, tzinfo=UTC)


def synthetic_log(cards: int, reviews_each: int, seed: int = 7) -> list[ReviewEntry]:
    """A learner whose memory fades faster than fsrs's defaults assume: each card is reviewed
    when fsrs says, and recalled with the chance a faster-forgetting model gives it."""
    rng = random.Random(seed)
    sched = review.scheduler(0.9, fuzzing=False)
    entries = []
    for n in range(cards):
        card_id = f"{n % 28 + 1}:q{n}"
        record = review.new_card(card_id, START)
        when = START
        for _ in range(reviews_each):
            chance = review.retrievability(sched, record, when) ** 3 if record.last_review else 0.7
            rating = 3 if rng.random() < chance else 1
            record, entry = review.rate(sched, record, rating, when, None, "", card_id)
            entries.append(entry)
            when = max(datetime.fromisoformat(record.due), when + timedelta(days=1))
    return entries


def write_log(home, entries):
    home.mkdir(parents=True, exist_ok=True)
    state = State(plans={"mini-plan": PlanState(reviews=entries)})
    (home / "state.toml").write_text(store.dump_state(state))
    (home / "reviews.jsonl").write_bytes(store.dump_log(state))


def test_optimize_fits_a_few_thousand_reviews_and_keeps_better_parameters(run, home, use_mini):
    entries = synthetic_log(cards=300, reviews_each=10)
    assert len(entries) == 3000 and fsrs_number(entries[0].key) > 10**6
    write_log(home, entries)
    dry = json.loads(run("review", "optimize", "--dry-run", "--json", now="2027-06-01").stdout)
    assert dry["reviews"] == 2700 and dry["dry_run"] is True and dry["kept"] is False
    assert dry["fitted_log_loss"] < dry["current_log_loss"]
    assert "fsrs_parameters" not in (home / "config.toml").read_text()
    result = run("review", "optimize", now="2027-06-01")
    assert result.exit_code == 0, result.output
    assert "Fitted FSRS to 2700 reviews. Log loss on them:" in result.stdout
    assert "Kept: the config key fsrs_parameters holds them" in result.stdout
    shown = run("config", "fsrs_parameters").stdout.split()
    assert [round(float(w), 4) for w in shown] == dry["parameters"]
    # The scheduler uses them; a second fit from them is no better, and nothing changes.
    again = json.loads(run("review", "optimize", "--json", now="2027-06-01").stdout)
    assert abs(again["current_log_loss"] - dry["fitted_log_loss"]) < 1e-3


def test_optimize_refuses_a_small_log_and_says_how_many_more(run, home, use_mini):
    write_log(home, synthetic_log(cards=10, reviews_each=5))
    result = run("review", "optimize", now="2027-06-01")
    assert result.exit_code == 0
    assert "Not enough reviews to fit FSRS to yet: 40 of the 400 it takes" in result.stdout
    assert "360 more" in result.stdout
    assert (
        not (home / "config.toml").exists()
        or "fsrs_parameters" not in (home / "config.toml").read_text()
    )
    assert run("review", "--dry-run").exit_code == 2


def test_the_scheduler_uses_the_parameters_in_the_config(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    slow = [0.1, 0.2, 0.5, 1.0, *review.scheduler(0.9, False).parameters[4:]]
    setup(run, "config", "fsrs_parameters", *map(str, slow))
    # A first Good now holds for 0.5 days' stability, not fsrs's 2.3: back tomorrow, not in 2.
    rated = run("review", "1", "--rating", "good", now="2026-12-02T10:00")
    assert "Next review Thursday 3 Dec 2026 (in 1 day)." in rated.stdout, rated.stdout
