"""Scale benchmark: a year-long plan against the bundled 28-day one, side by side in one run.

    python benchmarks/scale.py [--runs N] [--repeat 13] [--pty-cards 5]

Builds two homes in a temporary folder: the bundled plan with its 28 days done, and a plan of
the bundled one repeated `--repeat` times (364 days: renumbered, slugs made unique, the notes
and exercises copied next to it) with every day done. Each home's history is simulated study
day by study day through eng28's own models and helpers (`eng28.review`, as `eng28 done` and
`eng28 review` make cards and ratings, and `eng28.store.dump_state`), so it follows the state
schema when that changes: every due card is rated each morning (14 % again, 30 % hard, 51 %
good, 5 % easy, from a fixed seed: about 5,900 reviews for 364 reflection cards), and where the
models have question cards, a done day brings those too (about 2,000 cards, 35,000 reviews).
The last day's reviews are left due, for the review session.

Then it times, in interleaved rounds and under ENG28_NOW (the last study day), each command in
both homes and prints the ratios the targets are stated in:
    today --no-pager, review --list, stats, plan        <= 1.3 x  the 28-day home
    journal, export, export --format ics                 <= 1.5 x  the 28-day home
    import of the other home's export, sync with it      < 2 s    (a bare git repo on disk)
    peak memory of any one command                       < 100 MB (children's max RSS)
    rating key to the next card in `eng28 review`        <= 50 ms (in a pty, no fuzz)
`today --no-pager` takes the full path: the screen cache serves only a bare `eng28 today`.
Nothing touches your own files.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

#: The last study day of both homes (a fixed date: the figures do not move with the calendar).
LAST_DAY = date(2026, 11, 30)
#: How a struggling learner rates: again, hard, good, easy.
RATING_WEIGHTS = (0.14, 0.30, 0.51, 0.05)
RATIO_TARGETS = {
    "today --no-pager": 1.3,
    "review --list": 1.3,
    "stats": 1.3,
    "plan": 1.3,
    "journal": 1.5,
    "export": 1.5,
    "export --format ics": 1.5,
}
SECONDS_TARGET = 2.0
MEMORY_TARGET_MB = 100.0
KEY_TO_CARD_TARGET_MS = 50.0


def eng28_command() -> list[str]:
    found = shutil.which("eng28")
    return [found] if found else [sys.executable, "-m", "eng28"]


# --- the plans ----------------------------------------------------------------------------


def write_long_plan(bundled: Path, folder: Path, repeat: int) -> Path:
    """The bundled plan `repeat` times over as one plan in `folder`, its notes and exercises
    copied next to it so that every day's paths stay valid."""
    import tomli_w

    data = tomllib.loads(bundled.read_text(encoding="utf-8"))
    folder.mkdir()
    for part in ("notes", "exercises"):
        if (bundled.parent / part).is_dir():
            shutil.copytree(bundled.parent / part, folder / part)
    days = []
    for round_ in range(repeat):
        for day in data["days"]:
            copy = dict(day)
            copy["number"] = len(days) + 1
            if round_:
                copy["slug"] = f"{day['slug']}-{round_ + 1}"
            days.append(copy)
    data |= {
        "id": f"{data['id']}-x{repeat}",
        "title": f"{data['title']} ({repeat} times over)",
        "days": days,
    }
    path = folder / "plan.toml"
    path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    return path


# --- the homes ----------------------------------------------------------------------------


def build_home(home: Path, plan_path: Path, seed: int) -> dict[str, int | str]:
    """A home whose plan has every day done, one a study day up to LAST_DAY, with the review
    history a learner rating every due card each morning would have. Built through eng28's
    models, so it is whatever the current schema says. Returns what it holds."""
    from eng28 import config as cfg
    from eng28 import models, review, store
    from eng28.plan import load_plan
    from eng28.usecases.progress import first_due

    os.environ["ENG28_HOME"] = str(home)  # eng28 resolves its paths when asked, never before
    home.mkdir(parents=True, exist_ok=True)
    config = models.Config(plan=str(plan_path), review_fuzzing=False)
    cfg.save_config(config)
    plan = load_plan(plan_path)
    zone = cfg.zone(config)
    sched = review.scheduler(config.desired_retention, fuzzing=False)
    # Question cards exist where the models know them (models.question_card): then a done day
    # brings one card per question of its "Check yourself", as `eng28 done` makes them.
    question_card = getattr(models, "question_card", None)
    rng = random.Random(seed)

    def at(day: date, hour: int, second: int = 0) -> datetime:
        moment = datetime.combine(day, clock_time(hour, 0, second))
        return moment.replace(tzinfo=zone) if zone else moment.astimezone()

    start = LAST_DAY - timedelta(days=plan.total - 1)
    mine = models.PlanState(
        title=plan.title, path=str(plan_path), start=start, start_at=at(start, 9)
    )
    for index, day in enumerate(plan.days):
        today = start + timedelta(days=index)
        if index < plan.total - 1 or plan.total == 1:
            due = [
                k
                for k, c in mine.cards.items()
                if review.due_date(c, zone, config.rollover_hour) <= today
            ]
        else:
            due = []  # the last morning's reviews are left for the review session
        for second, key in enumerate(due):
            rating = rng.choices((1, 2, 3, 4), RATING_WEIGHTS)[0]
            extra = {"card_id": key} if question_card else {}
            when = at(today, 8, second % 60) + timedelta(minutes=second // 60)
            card, entry = review.rate(sched, mine.cards[key], rating, when, 20_000, **extra)
            mine.cards[key] = card
            mine.reviews.append(entry)
        done_at = at(today, 21)
        mine.days[day.number] = models.DayProgress(
            done=True,
            done_at=done_at,
            done_on=today,
            reflection=f"What day {day.number} taught me about {day.title.lower()}.\n"
            "One more line, as reflections usually have.",
            reflection_at=done_at,
            changed_at=done_at,
        )
        keys: list[int | str] = [day.number]
        if question_card:
            keys = [str(day.number), *(question_card(day.number, q.id) for q in day.questions)]
        for key in keys:
            mine.cards[key] = review.new_card(key, first_due(config, done_at))
    state = models.State(plans={plan.key: mine})
    store.save_state(cfg.state_path(), state)
    return {
        "days": plan.total,
        "cards": len(mine.cards),
        "reviews": len(mine.reviews),
        "kinds": "reflection and question cards" if question_card else "reflection cards only",
        "bytes": cfg.state_path().stat().st_size,
    }


# --- measuring ----------------------------------------------------------------------------


def median_seconds(
    commands: dict[str, tuple[list[str], dict[str, str]]],
    runs: int,
    prepare: dict[str, list[list[str]]] | None = None,
) -> dict[str, float]:
    """Median wall time of each command (argv, env), the commands taking turns round after
    round so that whatever else the machine does weighs on all alike; `prepare` runs untimed
    before each run of a command."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv, env in commands.values():  # warm-up: .pyc files, the plan's JSON copy
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for round_ in range(runs):
        for name, (argv, env) in commands.items():
            for step in (prepare or {}).get(name, []):
                subprocess.run(
                    [a.replace("{round}", str(round_ + 1)) for a in step],
                    env=env,
                    check=True,
                    capture_output=True,
                )
            begin = time.perf_counter()
            done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            samples[name].append(time.perf_counter() - begin)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stderr.decode(errors='replace')}")
    return {name: statistics.median(times) for name, times in samples.items()}


PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak / 1024 if sys.platform != "darwin" else peak / 2**20)
"""


def peak_mb(argv: list[str], env: dict[str, str]) -> float:
    """The largest resident set of `argv` or any process it waited for, in MB."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *argv], env=env, capture_output=True, text=True
    )
    return float(out.stdout)


def key_to_card_ms(argv: list[str], env: dict[str, str], cards: int) -> list[float]:
    """In a pty: for up to `cards` cards of `eng28 review`, the time from the rating key (with
    the follow-up note skipped at once) to the next card being drawn."""
    import pexpect

    child = pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(50, 100)
    )
    child.delaybeforesend = None  # pexpect's default pause would land inside the time
    times = []
    try:
        child.expect(r"(\d+) reviews? due")
        due = int(child.match.group(1))
        child.expect("press Enter to reveal")
        for _ in range(min(cards, due - 1)):
            child.sendline("")
            child.expect("Rate:")
            begin = time.perf_counter()
            child.sendline("3")
            child.expect("Follow-up note")
            child.sendline("")
            child.expect(r"Review \d+ of \d+")
            child.expect("press Enter to reveal")
            times.append((time.perf_counter() - begin) * 1000)
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return times


# --- the run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=13, help="copies of the bundled plan")
    parser.add_argument("--pty-cards", type=int, default=5, help="ratings timed in the pty")
    args = parser.parse_args()
    from eng28.plan import bundled_plan_path

    root = Path(tempfile.mkdtemp(prefix="eng28-scale-"))
    try:
        return run(args, root, bundled_plan_path())
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(args: argparse.Namespace, root: Path, bundled: Path) -> int:
    eng28 = eng28_command()
    long_plan = write_long_plan(bundled, root / "long-plan", args.repeat)
    base = {k: v for k, v in os.environ.items() if k not in ("ENG28_PLAN", "ENG28_HOME")}
    # Without PYTHONDONTWRITEBYTECODE: an installed eng28, like typer, runs from bytecode.
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    base |= {"NO_COLOR": "1", "ENG28_NOW": f"{LAST_DAY.isoformat()}T22:00", "COLUMNS": "100"}
    base |= {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    homes = {"month": root / "month", "year": root / "year", "other": root / "other"}
    built = {
        "month": build_home(homes["month"], bundled, seed=1),
        "year": build_home(homes["year"], long_plan, seed=1),
        "other": build_home(homes["other"], long_plan, seed=2),  # the other machine
    }
    env = {name: base | {"ENG28_HOME": str(home)} for name, home in homes.items()}

    def eng(home: str, *words: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*eng28, *words], env=env[home], check=True, capture_output=True, text=True
        )

    for name in ("month", "year"):
        eng(name, "today", "--no-pager")  # the plan's JSON copy, and a check that it works
    # Import: the other machine's export into the year home. Sync: the year home and the
    # other one through a bare repository; each timed sync first gets one new rating from the
    # other machine (untimed), then fetches, merges both whole states, commits and pushes.
    export = root / "other-export.json"
    export.write_text(eng("other", "export").stdout, encoding="utf-8")
    import_home = root / "import"
    shutil.copytree(homes["year"], import_home)
    env["import"] = base | {"ENG28_HOME": str(import_home)}
    # The sync runs in a copy of the year home: its first merge takes in the other machine's
    # whole history, which would leave the year home twice a year for the rows timed after it.
    sync_home = root / "sync-home"
    shutil.copytree(homes["year"], sync_home)
    env["sync"] = base | {"ENG28_HOME": str(sync_home)}
    bare = root / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], env=base, check=True)
    eng("other", "sync", "init", str(bare))
    eng("sync", "sync", "init", str(bare))
    eng("other", "sync")

    rows: dict[str, float] = {}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    for words in RATIO_TARGETS:
        for name in ("month", "year"):
            commands[f"{name}: {words}"] = ([*eng28, *words.split()], env[name])
    commands["year: import"] = ([*eng28, "import", str(export), "--yes"], env["import"])
    commands["year: sync"] = ([*eng28, "sync"], env["sync"])
    rate_there = [*eng28, "review", "{round}", "--rating", "good", "--early"]
    prepare = {
        "year: sync": [
            ["env", f"ENG28_HOME={homes['other']}", *rate_there],
            ["env", f"ENG28_HOME={homes['other']}", *eng28, "sync"],
        ]
    }
    rows |= median_seconds(commands, args.runs, prepare)

    memory = {name: peak_mb(argv, cmd_env) for name, (argv, cmd_env) in commands.items()}
    pty_home = root / "pty"
    shutil.copytree(homes["year"], pty_home)
    month_pty = root / "pty-month"
    shutil.copytree(homes["month"], month_pty)
    keys = {
        "month": key_to_card_ms([*eng28, "review"], base | {"ENG28_HOME": str(month_pty)}, 3),
        "year": key_to_card_ms(
            [*eng28, "review"], base | {"ENG28_HOME": str(pty_home)}, args.pty_cards
        ),
    }

    print(f"Python {sys.version.split()[0]}; the homes (state built through eng28's models):")
    for name in ("month", "year"):
        b = built[name]
        print(
            f"  {name}: {b['days']} days, all done, {b['cards']} cards ({b['kinds']}), "
            f"{b['reviews']} reviews, state.toml {int(b['bytes']) / 1e6:.2f} MB"
        )
    print("  today runs as `today --no-pager`: the full path (no kept screen)")
    print(f"median wall time over {args.runs} runs (interleaved rounds)")
    for name, seconds in rows.items():
        print(f"  {name:<36} {seconds * 1000:9.3f} ms")
    print("peak memory (max RSS of the command and its children)")
    for name, mb in memory.items():
        print(f"  {name:<36} {mb:9.1f} MB")
    print("rating key to the next card in `eng28 review` (pty, median)")
    for name, times in keys.items():
        shown = f"{statistics.median(times):9.3f} ms" if times else "      n/a"
        print(f"  {name + ': review key to next card':<36} {shown}  ({len(times)} cards)")

    checks = [
        (f"year / month: {w}", rows[f"year: {w}"] / rows[f"month: {w}"], target, "x")
        for w, target in RATIO_TARGETS.items()
    ]
    checks += [
        ("year: import", rows["year: import"], SECONDS_TARGET, "s"),
        ("year: sync", rows["year: sync"], SECONDS_TARGET, "s"),
        ("peak memory, any command (MB)", max(memory.values()), MEMORY_TARGET_MB, "MB"),
    ]
    if keys["year"]:
        median = statistics.median(keys["year"])
        checks.append(("year: review key to next card (ms)", median, KEY_TO_CARD_TARGET_MS, "ms"))
    print("ratios and limits (target):")
    failed = 0
    for name, value, target, _unit in checks:
        ok = value <= target
        failed += not ok
        print(f"  {name:<42} {value:8.3f}  (<= {target})  {'ok' if ok else 'OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
