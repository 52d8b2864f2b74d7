"""Start-up benchmark: eng28's prompt path and `today` against baselines, in one run.

    python benchmarks/startup.py [--runs N]

Times each command with hyperfine where it is installed (in several short rounds), otherwise
(or with --loop) in interleaved rounds from Python, and prints medians and the ratios the
targets are stated in:
    bash hook, fresh cache      < 0.1 x  sh -c true      (per prompt)
    eng28 prompt, fresh cache   <= 2 x   python3 -c pass
    eng28 today                 <= 1.25 x  a minimal Typer app printing a rich Panel
and, with no target, `eng28 prompt --refresh` (the full path, taken when the cache runs out).
It works in a temporary ENG28_HOME and never touches your own state.
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


def hyperfine_seconds(
    commands: dict[str, list[str]], runs: int, env: dict[str, str], rounds: int = 5
) -> dict:
    """Median wall time of each command, measured by hyperfine. hyperfine times one command
    after another, so a slow spell of the machine would land on one command only; it is run
    in `rounds` short rounds instead, and the medians are taken over all of them."""
    import json

    samples: dict[str, list[float]] = {name: [] for name in commands}
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


def median_seconds(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict:
    """Median wall time of each command. The commands take turns, round after round, so that
    whatever else the machine is doing weighs on every command alike: the ratios are what this
    benchmark is for, and they stay steady even when the absolute times do not."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm-up: caches, .pyc files
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
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
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="eng28-bench-"))
    # The real clock, as a user has it (ENG28_NOW would send `prompt` down its slow path).
    # Without PYTHONDONTWRITEBYTECODE: an installed eng28, like typer, runs from bytecode.
    env = {k: v for k, v in os.environ.items() if k not in ("ENG28_NOW", "PYTHONDONTWRITEBYTECODE")}
    env |= {"ENG28_HOME": str(home), "NO_COLOR": "1"}
    eng28 = eng28_command()
    started = (date.today() - timedelta(days=3)).isoformat()
    for step in (
        ["start", started],
        ["done", "1", "-m", "benchmark reflection"],
        ["done", "2", "-m", "another one"],
        ["prompt", "--refresh"],
    ):
        subprocess.run([*eng28, *step], env=env, check=True, capture_output=True)
    typer_app = home / "minimal_typer.py"
    typer_app.write_text(MINIMAL_TYPER)

    use_hyperfine = shutil.which("hyperfine") is not None and not args.loop
    measure = hyperfine_seconds if use_hyperfine else median_seconds
    rows = measure(
        {
            "sh -c true": ["sh", "-c", "true"],
            "python3 -c pass": [sys.executable, "-c", "pass"],
            "minimal typer+rich app": [sys.executable, str(typer_app)],
            "eng28 prompt (fresh cache)": [*eng28, "prompt"],
            "eng28 prompt --refresh": [*eng28, "prompt", "--refresh"],
            "eng28 today": [*eng28, "today"],
        },
        args.runs,
        env,
    )
    rows["bash hook, fresh cache (per call)"] = bash_hook_seconds(env)
    shutil.rmtree(home, ignore_errors=True)
    how = "hyperfine, 5 rounds" if use_hyperfine else "interleaved rounds"
    print(f"median wall time over {args.runs} runs ({how}); Python {sys.version.split()[0]}")
    for name, seconds in rows.items():
        print(f"  {name:<36} {seconds * 1000:9.3f} ms")
    checks = [
        (
            "bash hook / sh -c true",
            rows["bash hook, fresh cache (per call)"] / rows["sh -c true"],
            0.1,
        ),
        (
            "eng28 prompt / python3 -c pass",
            rows["eng28 prompt (fresh cache)"] / rows["python3 -c pass"],
            2.0,
        ),
        (
            "eng28 today / minimal typer app",
            rows["eng28 today"] / rows["minimal typer+rich app"],
            1.25,
        ),
    ]
    print("ratios (target):")
    failed = 0
    for name, ratio, target in checks:
        ok = ratio <= target
        failed += not ok
        print(f"  {name:<42} {ratio:6.3f}  (<= {target})  {'ok' if ok else 'OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
