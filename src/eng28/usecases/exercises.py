"""A day's checkable exercise: laid out in a workspace (`eng28 exercise`), checked there
(`eng28 check`, once or on every save), and proved sound by `eng28 plan validate --checks`.

The plan is untrusted: an exercise is copied from regular files inside its own folder only
(a symlink anywhere is refused), and never written through a symlink. The workspace gets the
starter files, README.md and checks/, never solution/, and a marker file recording the plan,
the day and a hash of every file as laid out: so that `eng28 check` inside the folder knows
the day, and a second `eng28 exercise` knows which files the learner changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from eng28 import files, paths, runner
from eng28.errors import Eng28Error, PlanError
from eng28.models import Day
from eng28.text import one_line
from eng28.usecases.context import Context
from eng28.usecases.schedule import check_day

MARKER = ".eng28-exercise.json"
#: An exercise file bigger than this is no exercise (and a plan is untrusted).
MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 200
#: What pytest and editors leave behind: never copied, never watched.
IGNORED = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".git")
#: Each check must finish in this many seconds (`plan validate --checks`).
CHECK_SECONDS = 10.0


def checkable_day(ctx: Context, number: int) -> Day:
    """Day `number`, which must have a `[days.check]`."""
    day = ctx.plan.day(check_day(ctx, number))
    if day.check is None:
        raise Eng28Error(f"day {number} has no checkable exercise in this plan (no [days.check])")
    return day


def folder_name(day: Day) -> str:
    """`01-attention-rope`: the check folder's own name when it is a plain one."""
    assert day.check is not None
    name = Path(day.check.folder.strip().rstrip("/")).name
    plain = name and all(c.isalnum() or c in "-_." for c in name) and not name.startswith(".")
    return name if plain else f"{day.number:02d}-{day.slug}"


def default_folder(ctx: Context, day: Day) -> Path:
    """Where a day's exercise goes: under the config key `workspace`, else `~/eng28`."""
    base = ctx.config.workspace or paths.workspace_dir()
    return Path(base).expanduser() / folder_name(day)


# --- reading an exercise from the plan --------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise PlanError(f"{path}: is a symlink; an exercise is made of regular files only")


def _tree(source: Path, prefix: str) -> dict[str, bytes]:
    """Every regular file under `source` as {relative posix name: bytes}, prefixed."""
    found: dict[str, bytes] = {}
    _refuse_link(source)
    for top, dirs, names in os.walk(source, followlinks=False):
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if d not in IGNORED)
        for name in [*dirs, *names]:
            _refuse_link(here / name)
            if one_line(name) != name:
                raise PlanError(f"{here / one_line(name)}: a file name with control characters")
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            data = files.read_bytes(here / name, "exercise", PlanError, MAX_FILE_BYTES)
            relative = (here / name).relative_to(source).as_posix()
            found[f"{prefix}{relative}"] = data or b""
            if len(found) > MAX_FILES:
                raise PlanError(f"{source}: more than {MAX_FILES} files; not an exercise")
    return found


def exercise_root(plan_path: Path, day: Day) -> Path:
    """The day's check folder, inside the plan's folder (after resolving) and no symlink."""
    assert day.check is not None
    base = plan_path.parent.resolve()
    root = plan_path.parent / day.check.folder.strip()
    resolved = root.resolve()
    if resolved != base and base not in resolved.parents:
        raise PlanError(f"day {day.number}: check folder {day.check.folder!r} is outside the plan")
    probe = plan_path.parent
    for part in Path(day.check.folder.strip()).parts:
        probe = probe / part
        _refuse_link(probe)
    return root


def exercise_files(plan_path: Path, day: Day, side: str = "starter") -> dict[str, bytes]:
    """What a workspace receives: README.md, the files of `side` (starter/ for a learner,
    solution/ for `plan validate --checks`) at the top, and checks/."""
    root = exercise_root(plan_path, day)
    found: dict[str, bytes] = {}
    readme = root / "README.md"
    _refuse_link(readme)
    if readme.is_file():
        found["README.md"] = files.read_bytes(readme, "exercise", PlanError, MAX_FILE_BYTES) or b""
    top = _tree(root / side, "")
    clash = sorted(n for n in top if n == "README.md" or n == MARKER or n.startswith("checks/"))
    if clash:
        raise PlanError(f"{root / side}: {clash[0]!r} would clash with the exercise's own files")
    return {**found, **top, **_tree(root / "checks", "checks/")}


# --- laying it out ------------------------------------------------------------------------------


@dataclass
class Layout:
    """What `eng28 exercise` did in `folder`."""

    day: int
    title: str
    folder: Path
    written: list[str] = field(default_factory=list)  # new or refreshed
    unchanged: list[str] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)  # the learner's versions kept by --force
    starter: list[str] = field(default_factory=list)  # the files the learner edits


def read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        raw = files.read_bytes(folder / MARKER, "exercise marker", Eng28Error, MAX_FILE_BYTES)
        data = files.loads_json(raw) if raw else None
    except (Eng28Error, ValueError):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("day"), int)
    return data if ok and isinstance(data.get("files"), dict) else None


def _safe_target(folder: Path, relative: str) -> Path:
    """`folder/relative`, refusing a symlink anywhere on the way (never written through)."""
    probe = folder
    _refuse_target_link(probe)
    for part in Path(relative).parts:
        probe = probe / part
        _refuse_target_link(probe)
    if probe.is_dir():
        raise Eng28Error(f"{probe}: is a folder where the exercise has a file")
    return probe


def _refuse_target_link(path: Path) -> None:
    if path.is_symlink():
        raise Eng28Error(f"{path}: is a symlink; eng28 does not write through one")


def lay_out(ctx: Context, number: int, folder: Path | None, force: bool) -> Layout:
    """Lay day `number`'s exercise out in `folder` (default: its workspace). A file the
    learner changed is never overwritten: refused, or with `force` kept as a backup first."""
    day = checkable_day(ctx, number)
    target = (folder or default_folder(ctx, day)).expanduser().absolute()
    wanted = exercise_files(ctx.plan_path, day)
    if target.exists() and not target.is_dir():
        raise Eng28Error(f"{target}: is not a folder")
    marker = read_marker(target)
    if marker is not None and marker["day"] != number:
        raise Eng28Error(
            f"{target} holds the exercise of day {marker['day']}; choose another folder (--dir)"
        )
    recorded = marker["files"] if marker else {}
    result = Layout(number, day.title, target)
    changed: list[str] = []
    for relative, data in wanted.items():
        path = _safe_target(target, relative)
        current = files.read_bytes(path, "exercise", Eng28Error, MAX_FILE_BYTES)
        if current is None:
            continue
        if _digest(current) == _digest(data):
            result.unchanged.append(relative)
        elif recorded.get(relative) != _digest(current):
            changed.append(relative)
    if changed and not force:
        them = "them, keeping a backup of each" if len(changed) > 1 else "it, keeping a backup"
        raise Eng28Error(
            f"you changed {', '.join(changed)} in {target}; nothing was overwritten (pass "
            f"--force to replace {them} next to it)"
        )
    for relative in changed:
        path = target / relative
        names = [path.with_name(f"{path.name}.bak")]
        names += [path.with_name(f"{path.name}.bak{n}") for n in range(2, 1000)]
        old = files.read_bytes(path, "exercise", Eng28Error, MAX_FILE_BYTES) or b""
        result.backups.append(Path(files.write_new(names, old, Eng28Error)))
    for relative, data in wanted.items():
        if relative not in result.unchanged:
            files.atomic_write(target / relative, data, Eng28Error, mode=0o644)
            result.written.append(relative)
    result.starter = [n for n in wanted if n != "README.md" and not n.startswith("checks/")]
    note = {
        "plan": str(ctx.plan_path.absolute()),
        "plan_title": ctx.plan.title,
        "day": number,
        "requires": list(day.check.requires) if day.check else [],
        "files": {relative: _digest(data) for relative, data in wanted.items()},
    }
    text = json.dumps(note, indent=2, ensure_ascii=False) + "\n"
    files.atomic_write(target / MARKER, text.encode("utf-8"), Eng28Error, mode=0o644)
    return result


# --- checking it --------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """One `eng28 check`: the day, the folder, how it went, and whether this was the day's
    first pass (recorded in the state)."""

    day: int
    folder: Path
    run: runner.Run
    python: str
    first_pass: bool = False

    @property
    def status(self) -> str:
        return self.run.status

    @property
    def install(self) -> str:
        """The command that installs what is missing."""
        return f"{self.python} -m pip install {' '.join(self.run.missing)}"

    def to_json(self) -> dict[str, Any]:
        tests = [{"name": t.name, "status": t.status, "message": t.message} for t in self.run.tests]
        if self.status == "unavailable":
            tests = [
                {
                    "name": f"requires {name}",
                    "status": "unavailable",
                    "message": f"{name} is not installed for {self.python}: {self.install}",
                }
                for name in self.run.missing
            ]
        elif self.status == "error" and not any(t.status == "error" for t in self.run.tests):
            tests.append({"name": "(run)", "status": "error", "message": self.run.reason})
        return {"day": self.day, "status": self.status, "tests": tests}


def find_workspace(ctx: Context, number: int | None, here: Path) -> tuple[int, Path]:
    """The day and the folder to check: the exercise folder `here` is in (its marker), or
    day `number`'s workspace (here, when here is that day's)."""
    for folder in [here, *here.parents]:
        marker = read_marker(folder)
        if marker is not None and number in (None, marker["day"]):
            return marker["day"], folder
        if marker is not None:
            break
    if number is None:
        raise Eng28Error(
            f"{here} is not an exercise folder: run `eng28 check DAY`, or `eng28 exercise DAY` "
            "to lay one out"
        )
    folder = default_folder(ctx, checkable_day(ctx, number))
    if read_marker(folder) is None:
        raise Eng28Error(
            f"day {number}'s exercise is not laid out in {folder}: run `eng28 exercise {number}`"
        )
    return number, folder


def chosen_python(ctx: Context) -> str:
    return ctx.config.python or sys.executable


def check(ctx: Context, number: int, folder: Path) -> CheckResult:
    """Run day `number`'s checks in `folder`; a pass is recorded (the first one only)."""
    python = chosen_python(ctx)
    marker = read_marker(folder) or {}
    same_plan = marker.get("plan") in (None, str(ctx.plan_path.absolute()))
    day = ctx.plan.day(number) if same_plan and 1 <= number <= ctx.plan.total else None
    # The plan's own word when the folder came from it; else what the folder was laid out with.
    requires = list(day.check.requires) if day and day.check else marker.get("requires", [])
    if not isinstance(requires, list):
        requires = []
    missing = runner.missing_packages(python, [r for r in requires if isinstance(r, str)])
    if isinstance(missing, str):
        run = runner.Run("error", reason=missing)
    elif missing:
        run = runner.Run("unavailable", missing=missing)
    else:
        run = runner.run_checks(folder, python, ctx.config.check_timeout)
    result = CheckResult(number, folder, run, python)
    if run.status == "pass":
        result.first_pass = record_check_pass(ctx, number, ctx.now)
    return result


def record_check_pass(ctx: Context, day: int, when: datetime) -> bool:
    """Keep the first time day `day`'s check passed, and tick the day's exercise part; True
    when this was the first pass. (The one place that writes `checks_passed`.)"""
    from eng28.models import DayProgress, PartMark

    mine = ctx.load_state(history=False)
    progress = mine.days.get(day)
    if day in mine.checks_passed and progress is not None and progress.ticked("exercise"):
        return False
    with ctx.transaction(history=False) as state:
        first = day not in state.checks_passed
        state.checks_passed.setdefault(day, when)
        progress = state.days.get(day)
        if progress is None:
            progress = state.days[day] = DayProgress(changed_at=when)
        if not progress.ticked("exercise"):
            progress.parts["exercise"] = PartMark(ticked=True, at=when)
    return first


def snapshot(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file in `folder` with its mtime and size: what `--watch` compares (polling works
    on WSL2 and network folders, where change notifications do not)."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED and not d.startswith("."))
        for name in names:
            if name.startswith(".") or name.endswith((".pyc", ".bak")):
                continue
            try:
                info = os.stat(os.path.join(top, name))
            except OSError:
                continue
            found.append((os.path.join(top, name), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def watch(ctx: Context, number: int, folder: Path, interval: float = 0.5) -> Iterator[CheckResult]:
    """A check now and again after every change in `folder`, until the caller stops (Ctrl-C)."""
    import time

    while True:
        before = snapshot(folder)
        yield check(ctx, number, folder)
        while snapshot(folder) == before:
            time.sleep(interval)


# --- proving a plan's checks sound ----------------------------------------------------------------


def validate_checks(ctx: Context, numbers: list[int]) -> tuple[int, list[str]]:
    """For each day with a check (or those of `numbers`): every check fails on the starter
    and passes on the solution, each within CHECK_SECONDS. The days looked at, and one line
    per problem."""
    from concurrent.futures import ThreadPoolExecutor

    for number in numbers:
        checkable_day(ctx, number)
    days = [d for d in ctx.plan.days if d.check and (not numbers or d.number in numbers)]
    python = chosen_python(ctx)
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        found = pool.map(lambda d: _day_problems(ctx, d, python), days)
        return len(days), [line for lines in found for line in lines]


def _day_problems(ctx: Context, day: Day, python: str) -> list[str]:
    import tempfile

    label = f"day {day.number} ({day.slug})"
    assert day.check is not None
    try:
        missing = runner.missing_packages(python, list(day.check.requires))
        if missing:
            what = missing if isinstance(missing, str) else f"needs {', '.join(missing)}"
            return [f"{label}: cannot run its checks: {what}"]
        sides = {side: exercise_files(ctx.plan_path, day, side) for side in ("starter", "solution")}
    except Eng28Error as exc:
        return [f"{label}: {exc}"]
    names = {
        side: {n for n in found if "/" not in n} - {"README.md"} for side, found in sides.items()
    }
    problems = []
    if names["starter"] != names["solution"]:
        problems.append(f"{label}: starter/ and solution/ hold different files")
    for side, found in sides.items():
        with tempfile.TemporaryDirectory(prefix="eng28-validate-") as scratch:
            for relative, data in found.items():
                path = Path(scratch, relative)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            run = runner.run_checks(Path(scratch), python, max(60.0, ctx.config.check_timeout))
        problems += _side_problems(label, side, run)
    return problems


def _side_problems(label: str, side: str, run: runner.Run) -> list[str]:
    if run.status == "error":
        return [f"{label}: on the {side}: {run.reason}"]
    problems = []
    for test in run.tests:
        if side == "starter" and test.status != "fail":
            problems.append(f"{label}: {test.name} does not fail on the untouched starter")
        if side == "solution" and test.status != "pass":
            problems.append(f"{label}: {test.name} does not pass on the solution")
        if test.seconds > CHECK_SECONDS:
            problems.append(f"{label}: {test.name} takes {test.seconds:.1f} s on the {side}")
    return problems
