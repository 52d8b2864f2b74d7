"""Start-up benchmark: eng28's fast paths and its full path against baselines, in one run.

    python benchmarks/startup.py [--runs N] [--loop] [--jrnl PATH]

Times each command with hyperfine where it is installed (in several short rounds), otherwise
(or with --loop) in interleaved rounds from Python, and prints medians and the ratios the
targets are stated in:
    bash hook, fresh cache        < 0.1 x  sh -c true      (per prompt)
    eng28 prompt, fresh cache     <= 2 x   python3 -c pass
    eng28 today and eng28, warm   <= 2.5 x python3 -c pass, and <= 0.5 x jrnl -n 1
    eng28 today, cold             <= 1.25 x  a minimal Typer app printing a rich Panel
Warm: the screen the last run drew is kept (nothing changed since). Cold: no screen is kept
(the first run after a write, an edit of the plan, or on a terminal of another size), so the
full path draws it. Rows with no target: `eng28 prompt --refresh` (the full path of the
prompt) and Taskwarrior's `task next`. jrnl (`--jrnl`, else the one on PATH) lives best in a
virtual environment of its own, as it pins an older python-dateutil than eng28's:
    python3 -m venv ~/.venvs/jrnl && ~/.venvs/jrnl/bin/pip install jrnl
jrnl and task get a journal and a task list of their own in the temporary home, and their rows
(and ratios) are left out where they are not installed. Nothing touches your own files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

MINIMAL_TYPER = """
import typer
from rich.console import Console
from rich.panel import Panel

app = typer.Typer()

@app.command()
def main() -> None:
    Console().print(Panel("hello"))

app()
"""


def eng28_command() -> list[str]:
    found = shutil.which("eng28")
    return [found] if found else [sys.executable, "-m", "eng28"]


JRNL_CONFIG = """colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: true
indent_character: '|'
journals:
  default:
    journal: @JOURNAL@
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: v4.2
"""


def jrnl_command(home: Path, env: dict[str, str], given: str | None) -> list[str] | None:
    """`jrnl -n 1` on a journal of one entry in `home` (its config found through
    XDG_CONFIG_HOME, set in `env`), or None when jrnl is not installed."""
    found = given or shutil.which("jrnl")
    if not found:
        return None
    folder = home / "xdg" / "jrnl"
    folder.mkdir(parents=True)
    (folder / "jrnl.yaml").write_text(JRNL_CONFIG.replace("@JOURNAL@", str(home / "journal.txt")))
    for args in (["Read about attention. It is a weighted sum."], ["-n", "1"]):
        subprocess.run([found, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True)
    return [found, "-n", "1"]


def task_command(home: Path, env: dict[str, str]) -> list[str] | None:
    """`task next` on a list of one task in `home` (through TASKRC, set in `env`)."""
    found = shutil.which("task")
    if not found:
        return None
    (home / "task").mkdir()
    (home / "taskrc").write_text(f"data.location={home / 'task'}\nconfirmation=off\n")
    subprocess.run([found, "add", "read the notes"], env=env, capture_output=True)
    return [found, "next"]


def hyperfine_seconds(
    commands: dict[str, list[str]],
    runs: int,
    env: dict[str, str],
    rounds: int = 5,
    prepare: dict[str, list[str]] | None = None,
) -> dict:
    """Median wall time of each command, measured by hyperfine. hyperfine times one command
    after another, so a slow spell of the machine would land on one command only; it is run
    in `rounds` short rounds instead, and the medians are taken over all of them."""
    import json

    samples: dict[str, list[float]] = {name: [] for name in commands}
    prepared = []
    for name in commands:
        step = (prepare or {}).get(name, ["true"])
        prepared += ["--prepare", " ".join(_quote(a) for a in step)]
    for round_ in range(rounds):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [
                    "hyperfine",
                    "--warmup",
                    "3" if round_ == 0 else "1",
                    "--runs",
                    str(max(3, -(-runs // rounds))),
                    "-N",
                    *prepared,
                    "--output",
                    "null",
                    "--export-json",
                    out.name,
                    *(" ".join(_quote(a) for a in c) for c in commands.values()),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            results = json.loads(Path(out.name).read_text())["results"]
        for name, result in zip(commands, results, strict=True):
            samples[name].extend(result["times"])
    return {name: statistics.median(times) for name, times in samples.items()}


def median_seconds(
    commands: dict[str, list[str]],
    runs: int,
    env: dict[str, str],
    prepare: dict[str, list[str]] | None = None,
) -> dict:
    """Median wall time of each command. The commands take turns, round after round, so that
    whatever else the machine is doing weighs on every command alike: the ratios are what this
    benchmark is for, and they stay steady even when the absolute times do not."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm-up: caches, .pyc files
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
            if name in (prepare or {}):
                subprocess.run((prepare or {})[name], env=env, check=True)
            start = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def _quote(arg: str) -> str:
    return arg if arg and all(c.isalnum() or c in "/._-=" for c in arg) else "'" + arg + "'"


def bash_hook_seconds(env: dict[str, str], calls: int = 2000, repeats: int = 5) -> float:
    """Per-call time of the bash hook with a fresh cache, timed inside one bash process."""
    script = (
        'eval "$(' + " ".join(_quote(a) for a in eng28_command()) + ' init bash)"\n'
        "__eng28_hook\n"
        f"s=$EPOCHREALTIME; for ((i=0; i<{calls}; i++)); do __eng28_hook; done; e=$EPOCHREALTIME\n"
        f"b=$EPOCHREALTIME; for ((i=0; i<{calls}; i++)); do :; done; c=$EPOCHREALTIME\n"
        'echo "$s $e $b $c"\n'
    )
    samples = []
    for _ in range(repeats):
        out = subprocess.run(
            ["bash", "--norc", "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        s, e, b, c = (float(x.replace(",", ".")) for x in out)
        samples.append(((e - s) - (c - b)) / calls)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--loop",
        action="store_true",
        help="time with interleaved rounds in Python even where hyperfine is installed",
    )
    parser.add_argument("--jrnl", metavar="PATH", help="the jrnl to time (default: on PATH)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="eng28-bench-"))
    # The real clock, as a user has it (ENG28_NOW would send `prompt` down its slow path).
    # Without PYTHONDONTWRITEBYTECODE: an installed eng28, like typer, runs from bytecode.
    env = {k: v for k, v in os.environ.items() if k not in ("ENG28_NOW", "PYTHONDONTWRITEBYTECODE")}
    env |= {
        "ENG28_HOME": str(home),
        "NO_COLOR": "1",
        "XDG_CONFIG_HOME": str(home / "xdg"),  # jrnl's config (eng28 keeps to ENG28_HOME)
        "TASKRC": str(home / "taskrc"),
    }
    eng28 = eng28_command()
    started = (date.today() - timedelta(days=3)).isoformat()
    for step in (
        ["start", started],
        ["done", "1", "-m", "benchmark reflection"],
        ["done", "2", "-m", "another one"],
        # A learner past the first days has ratings: today then reads the review log's end.
        ["review", "1", "--rating", "good", "--early", "-m", "benchmark note"],
        ["prompt", "--refresh"],
        ["today"],  # keeps the screens the warm rows print
        [],
    ):
        subprocess.run([*eng28, *step], env=env, check=True, capture_output=True)
    cold_home = home / "cold"
    shutil.copytree(home, cold_home, ignore=shutil.ignore_patterns("cold"))
    typer_app = home / "minimal_typer.py"
    typer_app.write_text(MINIMAL_TYPER)
    jrnl = jrnl_command(home, env, args.jrnl)
    task = task_command(home, env)

    use_hyperfine = shutil.which("hyperfine") is not None and not args.loop
    measure = hyperfine_seconds if use_hyperfine else median_seconds
    commands = {
        "sh -c true": ["sh", "-c", "true"],
        "python3 -c pass": [sys.executable, "-c", "pass"],
        "minimal typer+rich app": [sys.executable, str(typer_app)],
        "eng28 prompt (fresh cache)": [*eng28, "prompt"],
        "eng28 prompt --refresh": [*eng28, "prompt", "--refresh"],
        "eng28 today (warm)": [*eng28, "today"],
        "eng28 (warm)": [*eng28],
        # In a copy of the home, so that dropping its screens leaves the warm rows theirs.
        "eng28 today (cold)": ["env", f"ENG28_HOME={cold_home}", *eng28, "today"],
    }
    if jrnl:
        commands["jrnl -n 1"] = jrnl
    if task:
        commands["task next"] = task
    cold = ["rm", "-f", str(cold_home / "screens.cache")]
    rows = measure(commands, args.runs, env, prepare={"eng28 today (cold)": cold})
    rows["bash hook, fresh cache (per call)"] = bash_hook_seconds(env)
    shutil.rmtree(home, ignore_errors=True)
    how = "hyperfine, 5 rounds" if use_hyperfine else "interleaved rounds"
    print(f"median wall time over {args.runs} runs ({how}); Python {sys.version.split()[0]}")
    for name, seconds in rows.items():
        print(f"  {name:<36} {seconds * 1000:9.3f} ms")
    python = rows["python3 -c pass"]
    checks = [
        (
            "bash hook / sh -c true",
            rows["bash hook, fresh cache (per call)"] / rows["sh -c true"],
            0.1,
        ),
        ("eng28 prompt / python3 -c pass", rows["eng28 prompt (fresh cache)"] / python, 2.0),
        ("eng28 today, warm / python3 -c pass", rows["eng28 today (warm)"] / python, 2.5),
        ("eng28, warm / python3 -c pass", rows["eng28 (warm)"] / python, 2.5),
    ]
    if jrnl:
        checks += [
            ("eng28 today, warm / jrnl -n 1", rows["eng28 today (warm)"] / rows["jrnl -n 1"], 0.5),
            ("eng28, warm / jrnl -n 1", rows["eng28 (warm)"] / rows["jrnl -n 1"], 0.5),
        ]
    checks.append(
        (
            "eng28 today, cold / minimal typer app",
            rows["eng28 today (cold)"] / rows["minimal typer+rich app"],
            1.25,
        )
    )
    print("ratios (target):")
    failed = 0
    for name, ratio, target in checks:
        ok = ratio <= target
        failed += not ok
        print(f"  {name:<42} {ratio:6.3f}  (<= {target})  {'ok' if ok else 'OVER'}")
    print("ratios (no target):")
    for name in ("jrnl -n 1", "task next"):
        if name in rows:
            print(
                f"  eng28 today, warm / {name:<21} {rows['eng28 today (warm)'] / rows[name]:6.3f}"
            )
            print(
                f"  eng28 today, cold / {name:<21} {rows['eng28 today (cold)'] / rows[name]:6.3f}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
