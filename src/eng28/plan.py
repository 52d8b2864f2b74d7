"""Reading and validating plan files, and finding the bundled plan."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from eng28 import files, tomlfile
from eng28.errors import Eng28Error, PlanError
from eng28.models import (
    FROM_COPY,
    MAX_TITLE_BYTES,
    Day,
    Plan,
    PlanOutline,
    text_problem,
    title_problem,
)
from eng28.text import find_controls, holds_controls, json_may_hold_controls

PLAN_FILE = "eng28.toml"


def bundled_plan_path() -> Path:
    """The plan shipped with eng28: inside the installed package, or `plan/` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "plan" / PLAN_FILE, here.parents[1] / "plan" / PLAN_FILE):
        if candidate.is_file():
            return candidate
    raise PlanError(f"the bundled plan is missing (looked for {here / 'plan' / PLAN_FILE})")


def resolve_plan_path(option: str | Path | None, configured: str | None) -> Path:
    """--plan (or ENG28_PLAN, which means the same) wins over the config key `plan`, which
    wins over the bundled plan."""
    import os

    chosen = option or os.environ.get("ENG28_PLAN") or configured
    return Path(chosen).expanduser() if chosen else bundled_plan_path()


def load_plan(path: Path) -> Plan:
    """Load a plan or raise PlanError naming the file, the day and the field of the first
    problem."""
    plan, problems = check_plan(path, cached=True)
    if problems:
        extra = f" (and {len(problems) - 1} more; run `eng28 plan validate {path}`)"
        raise PlanError(problems[0] + (extra if len(problems) > 1 else ""), problems)
    assert plan is not None
    return plan


def load_outline(path: Path) -> PlanOutline:
    """The plan's outline (see PlanOutline) from its JSON copy, else the whole plan as
    `load_plan` reads it: for a command that shows none of the days' content."""
    key = _copy_key(path)
    outline = _from_copy(path, key, _OutlineCopy) if key is not None else None
    return outline if outline is not None else load_plan(path)


def check_plan(path: Path, cached: bool = False) -> tuple[Plan | None, list[str]]:
    """Every problem in a plan file, each as one line `file: day N (slug): field: message`.
    With `cached` (how a command loads the plan it uses), the plan may come from its JSON
    copy (see `_from_copy`) and the notes are not read: that their questions agree with the
    plan's is for a full check (`plan validate`, `doctor`) to prove, as reading and parsing
    every day's notes would cost each command more than loading the plan does."""
    from pydantic import ValidationError

    shown = str(path)
    if "\n" in shown or "\r" in shown or text_problem(shown, MAX_TITLE_BYTES):
        # The state keeps the path of the plan in use beside its progress: one that it cannot
        # read back would stop every command after the first.
        return None, [
            f"{shown!r}: a plan file's path must be one line of at most {MAX_TITLE_BYTES} "
            "bytes without control characters: rename or move it"
        ]
    key = _copy_key(path) if cached else None
    try:
        plan = _from_copy(path, key, _PlanCopy) if key is not None else None
        if plan is not None:
            return plan, []
        data = tomlfile.read_toml(path, "plan", PlanError)
    except PlanError as exc:
        return None, [str(exc)]
    if data is None:
        return None, [f"{path}: plan file not found"]
    problems = [f"{path}: {p}" for p in _cross_check(data, path.parent, read=not cached)]
    if holds_controls(data):  # a plan's text reaches the terminal, the state and calendars
        problems += [
            f"{path}: {_describe({'type': 'text', 'loc': loc, 'msg': msg}, data)}"
            for loc, msg in find_controls(data)
        ]
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        return None, [f"{path}: {_describe(err, data)}" for err in exc.errors()] + problems
    if problems:
        return None, problems
    if key is not None:
        _keep_copy(key, data)
    return plan, problems


# --- the plan's JSON copy -----------------------------------------------------------------
# Parsing a plan's TOML costs more than the rest of `eng28 today`, and JSON almost nothing, so
# a plan that passed its checks is kept as JSON in the cache folder: its key (the file's path,
# size and mtime, and eng28's version), then its table. The copy is data, never code: it is
# validated (straight from its bytes, in one pass) and cross-checked as the file is, except
# for the answers' length (see models.FROM_COPY); a copy that is missing, stale, damaged or
# fails a check is ignored and the file read.


def _copy_key(path: Path) -> list[Any] | None:
    from eng28 import __version__

    try:
        info = os.stat(path)
    except OSError:
        return None
    return [os.path.abspath(path), info.st_size, info.st_mtime_ns, __version__]


def _from_copy(path: Path, key: list[Any], model: type[_Copy[P]]) -> P | None:
    try:
        raw = files.read_bytes(_copy_path(), "plan cache") or b""
        head = files.copy_head(key)
        if not raw.startswith(head):  # stale (or not a copy): not validated at all
            return None
        if json_may_hold_controls(raw, len(head)):  # past the key: a path holds backslashes
            return None
        plan = model.model_validate_json(raw, context=FROM_COPY).data
    except (Eng28Error, ValueError):  # ValidationError is a ValueError
        return None
    return None if _cross_check(_checked_fields(plan), path.parent, read=False) else plan


P = TypeVar("P", bound=PlanOutline)


class _Copy(BaseModel, Generic[P]):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    key: list[Any]
    data: P


_PlanCopy = _Copy[Plan]
_OutlineCopy = _Copy[PlanOutline]


def _checked_fields(plan: PlanOutline) -> dict[str, Any]:
    """What `_cross_check` reads of a plan, from its model (for a copy, validated already)."""
    return {
        "tracks": [{"id": t.id} for t in plan.tracks],
        "days": [
            {
                "number": d.number,
                "track": d.track,
                "slug": d.slug,
                "notes": d.notes,
                "questions": [{"id": q.id, "prompt": q.prompt} for q in d.questions],
                "check": {"folder": d.check.folder} if d.check else None,
            }
            for d in plan.days
        ],
    }


def _copy_path() -> str:
    from eng28 import paths

    return os.path.join(paths.cache_dir(), "plan.json")


def _keep_copy(key: list[Any], data: dict[str, Any]) -> None:
    import json

    try:
        text = json.dumps(data, ensure_ascii=False).encode("utf-8")
        files.atomic_write(_copy_path(), files.copy_head(key) + text + b"}", durable=False)
    except (Eng28Error, TypeError, ValueError):
        pass  # a plan with TOML dates, or no cache folder: only speed is lost


def _day_label(data: dict[str, Any], index: int) -> str:
    days = data.get("days")
    day = days[index] if isinstance(days, list) and index < len(days) else None
    if isinstance(day, dict):
        number, slug = day.get("number", index + 1), day.get("slug")
        return f"day {number}" + (f" ({slug})" if isinstance(slug, str) else "")
    return f"day entry {index + 1}"


def _describe(err: dict[str, Any], data: dict[str, Any]) -> str:
    loc = list(err["loc"])
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    elif err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "string_pattern_mismatch":
        message = f"{err['input']!r} does not have the expected form"
        if loc and loc[-1] == "url":
            message = f"{err['input']!r} is not an http(s) URL"
            if "leetcode" in loc:
                message = f"{err['input']!r} is not https://leetcode.com/problems/<slug>/"
        elif loc and loc[-1] in ("slug", "id"):
            message = f"{err['input']!r} must be lowercase-kebab-case"
    else:
        message = err["msg"]
    if loc[:1] == ["days"] and len(loc) >= 2 and isinstance(loc[1], int):
        field = _field_path(loc[2:]) or "day"
        return f"{_day_label(data, loc[1])}: {field}: {message}"
    if loc[:1] == ["tracks"] and len(loc) >= 2 and isinstance(loc[1], int):
        field = _field_path(loc[2:]) or "track"
        return f"track {loc[1] + 1}: {field}: {message}"
    return f"{'.'.join(str(p) for p in loc) or 'plan'}: {message}"


def _field_path(parts: list[Any]) -> str:
    """('readings', 0, 'kind') -> 'readings[1].kind': list positions counted from 1."""
    text = ""
    for part in parts:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _cross_check(data: dict[str, Any], base: Path, read: bool = True) -> list[str]:
    """What the per-field models cannot see: numbering, known tracks, notes files on disk,
    question ids unique within a day and (with `read`) the notes asking the plan's questions."""
    problems: list[str] = []
    tracks = data.get("tracks")
    track_ids = (
        [t["id"] for t in tracks if isinstance(t, dict) and isinstance(t.get("id"), str)]
        if isinstance(tracks, list)
        else []
    )
    if len(set(track_ids)) != len(track_ids):
        problems.append("tracks: track ids must be unique")
    days = data.get("days")
    if not isinstance(days, list):
        return problems
    slugs: dict[str, int] = {}
    folder = _PlanFolder(base)
    for index, day in enumerate(days):
        if not isinstance(day, dict):
            continue
        label = _day_label(data, index)
        if day.get("number") != index + 1:
            problems.append(
                f"{label}: number: days must be numbered 1..{len(days)} in order without gaps; "
                f"entry {index + 1} has number {day.get('number')!r}"
            )
        track = day.get("track")
        if isinstance(track, str) and track_ids and track not in track_ids:
            problems.append(
                f"{label}: track: unknown track {track!r} (known: {', '.join(track_ids)})"
            )
        slug = day.get("slug")
        if isinstance(slug, str):
            if slug in slugs:
                problems.append(f"{label}: slug: {slug!r} is already used by day {slugs[slug]}")
            slugs.setdefault(slug, index + 1)
        notes = day.get("notes")
        if isinstance(notes, str) and notes.strip():
            inside, info = folder.locate(notes)
            if not inside:
                problems.append(f"{label}: notes: {notes!r} is outside the plan's folder")
            elif not (stat.S_ISREG(info.st_mode) if info else (base / notes).is_file()):
                problems.append(f"{label}: notes: file {notes!r} not found next to the plan")
            else:
                problems += _question_problems(label, day.get("questions"), base, notes, read)
        else:
            problems += _question_problems(label, day.get("questions"), base, None, read)
        problems += _check_problems(label, day.get("check"), folder)
    return problems


def _check_problems(label: str, check: Any, plan_folder: _PlanFolder) -> list[str]:
    """A check's folder is inside the plan's folder and holds its three parts."""
    folder = check.get("folder") if isinstance(check, dict) else None
    if not isinstance(folder, str) or not folder.strip():
        return []  # absent, or a shape the model reports
    if not plan_folder.locate(folder)[0]:
        return [f"{label}: check: folder {folder!r} is outside the plan's folder"]
    missing = [
        part
        for part in ("starter", "checks", "solution")
        if not plan_folder.is_dir(f"{folder}/{part}")
    ]
    if missing:
        return [f"{label}: check: {folder!r} has no {', '.join(p + '/' for p in missing)} folder"]
    return []


def _question_problems(
    label: str, questions: Any, base: Path, notes: str | None, read: bool
) -> list[str]:
    """A day's questions have ids unique within the day, and are said in one place: their
    prompts are the notes' "Check yourself" questions, in the same order."""
    if not isinstance(questions, list) or not questions:
        return []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for position, question in enumerate(questions, start=1):
        qid = question.get("id") if isinstance(question, dict) else None
        if isinstance(qid, str):
            if qid in seen:
                problems.append(
                    f"{label}: questions[{position}].id: {qid!r} is already used by "
                    f"question {seen[qid]} of this day"
                )
            seen.setdefault(qid, position)
    prompts = [q.get("prompt") if isinstance(q, dict) else None for q in questions]
    if not read or notes is None or not all(isinstance(p, str) for p in prompts):
        return problems  # no notes to agree with, or a prompt the model reports
    try:
        raw = files.read_bytes(base / notes, f"notes of {label}", PlanError, NOTES_LIMIT)
        asked = check_questions((raw or b"").decode("utf-8"))
    except PlanError as exc:
        return [*problems, f"{label}: notes: {exc}"]
    except UnicodeDecodeError as exc:
        return [*problems, f"{label}: notes: {notes!r} is not UTF-8 (byte {exc.start})"]
    drift = _first_drift([p.strip() for p in prompts], asked, notes)
    return [*problems, f"{label}: {drift}"] if drift else problems


def _first_drift(prompts: list[str], asked: list[str], notes: str) -> str | None:
    """Where a day's prompts first differ from its notes' questions, or None."""

    def clip(text: str, start: int = 0) -> str:
        """Up to 60 characters of `text` from near `start`, marked where cut."""
        begin = max(0, start - 20)
        part = text[begin : begin + 60]
        return repr(("…" if begin else "") + part + ("…" if begin + 60 < len(text) else ""))

    where = f"{notes}'s Check yourself"
    for position, (prompt, question) in enumerate(zip(prompts, asked, strict=False), start=1):
        if prompt != question:
            # Shown from where they part: two long prompts often share their first words.
            at = len(os.path.commonprefix([prompt, question]))
            return (
                f"questions[{position}].prompt: differs from question {position} of {where}: "
                f"{clip(prompt, at)} here, {clip(question, at)} there"
            )
    if len(prompts) > len(asked):
        extra = len(asked) + 1
        return (
            f"questions[{extra}].prompt: {clip(prompts[extra - 1])} is not in {where} "
            f"({len(asked)} questions there)"
        )
    if len(asked) > len(prompts):
        extra = len(prompts) + 1
        return (
            f"questions: question {extra} of {where} is not in the plan: {clip(asked[extra - 1])}"
        )
    return None


def incomplete_days(plan: Plan, plan_path: Path) -> list[tuple[Day, list[str]]]:
    """Each day that lacks content, with what it lacks. A day whose notes ask questions the
    plan does not hold yet lacks them too (see `check_plan`: once held, they must agree)."""
    found = []
    for day in plan.days:
        missing = day.missing_fields()
        if not day.questions and day.notes:
            asked = len(check_questions(read_notes(plan_path, day) or ""))
            if asked:
                missing.append(f"questions (its notes ask {asked})")
        if missing:
            found.append((day, missing))
    return found


def _inside(base: Path, relative: str) -> bool:
    """Whether `relative` names a file inside the folder `base` (after resolving `..` and
    symlinks): a plan may only point at its own notes."""
    root = base.resolve()
    target = (base / relative).resolve()
    return target == root or root in target.parents


class _PlanFolder:
    """The plan's folder, for checking every path its days name: resolved once, and so is each
    folder on the way to a path, where `_inside` resolves the plan's folder and every part of
    the path anew (for 364 days, some 7,000 lstat calls). A path is taken this way only while
    each of its parts is a plain name that exists and is no symlink, so that it resolves to its
    resolved folder joined with its name, and its lstat is what a stat would say. Any other
    path (a link, `..`, an absolute or a missing one) goes through `_inside` and pathlib,
    exactly as before."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._root: str | None = None
        self._seen: dict[str, tuple[str, os.stat_result] | None] = {}

    @property
    def root(self) -> str:
        if self._root is None:
            self._root = str(self.base.resolve())  # raises where `_inside` would
        return self._root

    def locate(self, relative: str) -> tuple[bool, os.stat_result | None]:
        """Whether `relative` is inside the folder (as `_inside` says) and, when it was
        resolved here, its lstat (None: ask the file system again)."""
        root = self.root
        found = self._walk(relative) if _plain(relative) else None
        if found is None:
            return _inside(self.base, relative), None
        target, info = found
        prefix = root if root.endswith("/") else root + "/"
        return target == root or target.startswith(prefix), info

    def is_dir(self, relative: str) -> bool:
        found = self._walk(relative) if _plain(relative) else None
        if found is None:
            return (self.base / relative).is_dir()
        return stat.S_ISDIR(found[1].st_mode)

    def _walk(self, relative: str) -> tuple[str, os.stat_result] | None:
        """`relative`'s resolved path and lstat, or None if a part is missing or a link."""
        if relative in self._seen:
            return self._seen[relative]
        parent, _, name = relative.rpartition("/")
        above = self._walk(parent) if parent else (self.root, None)
        found = None
        if above is not None:
            path = os.path.join(above[0], name)
            try:
                info = os.lstat(path)
            except OSError:
                info = None
            if info is not None and not stat.S_ISLNK(info.st_mode):
                found = (path, info)
        self._seen[relative] = found
        return found


def _plain(relative: str) -> bool:
    """Whether `relative` is a relative POSIX path of plain names (no `.`, `..`, empty part
    or NUL), which resolves part by part under its folder."""
    return (
        os.name == "posix"
        and bool(relative)
        and "\x00" not in relative
        and all(part not in ("", ".", "..") for part in relative.split("/"))
    )


def notes_path(plan_path: Path, day: Day, folder: _PlanFolder | None = None) -> Path | None:
    """The day's notes file, if it is inside the plan's folder. `folder` (`plan_folder`):
    the plan's folder resolved once, for many days (`eng28 plan` names 364 notes files)."""
    if not day.notes:
        return None
    if folder is not None:
        inside = folder.locate(day.notes)[0]
    else:
        inside = _inside(plan_path.parent, day.notes)
    return plan_path.parent / day.notes if inside else None


def plan_folder(plan_path: Path) -> _PlanFolder:
    """The folder of the plan at `plan_path`, for `notes_path` on many days."""
    return _PlanFolder(plan_path.parent)


NOTES_LIMIT = 1024 * 1024


def read_notes(plan_path: Path, day: Day) -> str | None:
    path = notes_path(plan_path, day)
    if path is None:
        return None
    raw = files.read_bytes(path, f"notes of day {day.number}", PlanError, NOTES_LIMIT)
    if raw is None:
        raise PlanError(f"{path}: the notes of day {day.number} are missing")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"{path}: the notes of day {day.number} are not UTF-8 (byte {exc.start})"
        ) from None


def check_questions(notes: str) -> list[str]:
    """The bullet questions under the notes' `## Check yourself` heading, each whole: a
    question's wrapped lines (indented under it) are joined to it."""
    import re

    match = re.search(r"^##\s+Check yourself\s*\n(.*?)(?=^#{1,2}\s|\Z)", notes, re.S | re.M | re.I)
    if not match:
        return []
    questions: list[str] = []
    for line in match.group(1).splitlines():
        bullet = re.match(r"^\s*[-*]\s+(.+)$", line)
        if bullet:
            questions.append(bullet.group(1).strip())
        elif questions and line.strip() and line[:1].isspace():
            questions[-1] += " " + line.strip()
    return questions


#: `plan new --with-checks`: day 1's checkable exercise, to replace with the day's own. Its
#: starter fails every check and its solution passes them, so `plan validate --checks` passes.
STARTER_CHECK = {
    "README.md": "# Day 1: a checkable exercise\n\n"
    "Replace this example with the core of your day 1, built in 30 to 60 minutes.\n\n"
    "Edit `example.py` so that `add(a, b)` returns the sum of two whole numbers; the checks\n"
    "pin small numbers and negative ones. Run `eng28 check` in this folder to test your "
    "work.\n",
    "starter/example.py": '"""What the learner edits: each function\'s contract in its '
    'docstring."""\n\n\ndef add(a: int, b: int) -> int:\n    """The sum of a and b."""\n'
    "    raise NotImplementedError\n",
    "solution/example.py": '"""The reference solution: the same names as starter/."""\n\n\n'
    'def add(a: int, b: int) -> int:\n    """The sum of a and b."""\n    return a + b\n',
    "checks/test_example.py": "from example import add\n\n\n"
    "def test_adds_small_numbers():\n    got = add(2, 3)\n"
    '    assert got == 5, f"expected add(2, 3) == 5, got {got!r}"\n\n\n'
    "def test_adds_negative_numbers():\n    got = add(-2, -3)\n"
    '    assert got == -5, f"expected add(-2, -3) == -5, got {got!r}"\n',
}


def write_starter(path: Path, days: int, title: str, with_checks: bool = False) -> list[Path]:
    """A valid starter plan of `days` days (titles to rename, content to fill in) and one
    notes file per day; `with_checks`: day 1 gets a checkable exercise (STARTER_CHECK).
    Refuses to overwrite anything. Returns the files written."""
    import re

    import tomli_w

    if days < 1 or days > 366:
        raise PlanError(f"a plan needs 1 to 366 days, not {days}")
    if holds_controls(title) or title_problem(title) is not None:
        raise PlanError(
            f"a plan's title is one line of at most {MAX_TITLE_BYTES} bytes without control "
            "characters"
        )
    notes_dir = path.parent / "notes"
    notes = [notes_dir / f"{n:02d}-day-{n}.md" for n in range(1, days + 1)]
    check_dir = path.parent / "exercises" / "01-day-1"
    extra = [check_dir / name for name in STARTER_CHECK] if with_checks else []
    clash = next((p for p in [path, *notes, *extra] if p.exists()), None)
    if clash is not None:
        raise PlanError(f"{clash} already exists; choose another path")
    # Said in the notes and in the plan alike (check_plan holds them equal); no answer yet, so
    # `plan validate --complete` asks for one.
    question = "What is the one idea of this day you would explain to a colleague?"
    from eng28.models import slugify

    data = {
        "id": slugify(title),
        "title": title,
        "description": f"{title}: {days} days. Fill in each day, then run "
        f"`eng28 plan validate --complete {path.name}`.",
        "tracks": [{"id": "main", "name": "Main", "colour": "cyan"}],
        "days": [
            {
                "number": n,
                "slug": f"day-{n}",
                "title": f"Day {n}",
                "track": "main",
                "notes": f"notes/{notes[n - 1].name}",
                "questions": [{"id": "one-idea", "prompt": question}],
            }
            for n in range(1, days + 1)
        ],
    }
    if with_checks:
        data["days"][0]["check"] = {"folder": "exercises/01-day-1", "requires": []}
    try:
        notes_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "# A plan for eng28. Each day becomes complete once it has: summary, video, three\n"
            "# readings, exercise, leetcode, reflection_prompt and an answer to each of its\n"
            "# questions, whose prompts are its notes' Check yourself (see plan/examples/).\n\n"
            + tomli_w.dumps(data),
            encoding="utf-8",
        )
        for n, note in enumerate(notes, start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            note.write_text(
                f"# Day {n:02d}\n\nYour notes for day {n} of {slug}: key ideas, how it works, "
                f"trade-offs, pitfalls.\n\n## Check yourself\n\n- {question}\n",
                encoding="utf-8",
            )
        for file in extra:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(STARTER_CHECK[file.relative_to(check_dir).as_posix()], "utf-8")
    except OSError as exc:
        raise PlanError(f"{path}: cannot write the plan: {exc.strerror}") from None
    return [path, *notes, *extra]
