"""How many reviews a day a learner of the bundled plan faces: a simulation.

The learner studies one day of the plan each calendar day (no rest days) and marks it done in
the evening, which brings its reflection card and its five question cards; every morning they
review what `eng28 review` shows (what is due, at most `review_daily_limit`, the most at-risk
first) and recall each card with the probability FSRS gives it (a new card: `--first-recall`),
rating good when they recall it and again when they do not. The cards are scheduled by
eng28's own FSRS wrapper, without fuzz.

    python benchmarks/review_workload.py [--days 42] [--limit 30] [--seed 1] [--runs 20]

It prints the mean reviews per day of the plan and after it, the busiest day, and day 29.
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import UTC, datetime, time, timedelta

from eng28 import review

START = datetime(2026, 12, 1, tzinfo=UTC)
CARDS_PER_DAY = 6  # one reflection and five "Check yourself" questions


def simulate(days: int, limit: int, seed: int, first_recall: float, retention: float) -> list[int]:
    """The reviews given on each day 1..`days`."""
    rng = random.Random(seed)
    sched = review.scheduler(retention, fuzzing=False)
    cards: dict[str, object] = {}
    per_day = []
    for day in range(1, days + 1):
        today = START.date() + timedelta(days=day - 1)
        morning = datetime.combine(today, time(10), UTC)
        due = [
            (card_id, record)
            for card_id, record in cards.items()
            if datetime.fromisoformat(record.due).date() <= today
        ]
        # What `eng28 review` shows: the lowest retrievability first, up to the limit.
        due.sort(key=lambda item: review.retrievability(sched, item[1], morning))
        done = 0
        for card_id, record in due[:limit]:
            recall = review.retrievability(sched, record, morning) if record.last_review else None
            chance = first_recall if recall is None else recall
            rating = 3 if rng.random() < chance else 1
            moment = morning + timedelta(minutes=done)
            cards[card_id], _ = review.rate(sched, record, rating, moment, 10_000, "", card_id)
            done += 1
        per_day.append(done)
        if day <= 28:  # the day's study, done in the evening: its cards are due tomorrow
            first = datetime.combine(today + timedelta(days=1), time(4), UTC)
            for n in range(CARDS_PER_DAY):
                card_id = f"{day}:q{n}" if n else str(day)
                cards[card_id] = review.new_card(card_id, first)
    return per_day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=42)
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--first-recall", type=float, default=0.8)
    parser.add_argument("--retention", type=float, default=0.9)
    args = parser.parse_args()
    runs = [
        simulate(args.days, args.limit, args.seed + i, args.first_recall, args.retention)
        for i in range(args.runs)
    ]
    mean = [statistics.mean(run[d] for run in runs) for d in range(args.days)]
    plan = mean[1:28]  # day 1 has nothing to review yet
    print(f"reviews a day, mean of {args.runs} runs (limit {args.limit}):")
    print(f"  days 2-28 (the plan): {statistics.mean(plan):.1f} a day, busiest {max(plan):.1f}")
    print(f"  day 29: {mean[28]:.1f}")
    after = mean[28 : args.days]
    print(f"  days 29-{args.days}: {statistics.mean(after):.1f} a day, busiest {max(after):.1f}")
    print("  per day:", " ".join(f"{m:.0f}" for m in mean))


if __name__ == "__main__":
    main()
