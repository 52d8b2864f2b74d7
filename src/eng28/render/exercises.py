"""What `eng28 exercise`, `eng28 check` and `plan validate --checks` say. Test names and
messages come from the learner's code and the plan: made safe (one line, or a few) first."""

from __future__ import annotations

from typing import Any

from eng28.render.base import plain
from eng28.text import one_line, plural, printable

MARKS = {"pass": "✓", "fail": "✗", "error": "!", "skip": "-"}


def exercise_laid_out(layout: Any) -> None:  # usecases.exercises.Layout
    folder = one_line(str(layout.folder))
    edit = ", ".join(one_line(n) for n in layout.starter) or "the starter files"
    plain(f"Day {layout.day}: {one_line(layout.title)}")
    if layout.written:
        plain(f"Laid out in {folder} ({plural(len(layout.written), 'file')} written).")
    else:
        plain(f"Already laid out in {folder}; nothing to change.")
    for backup in layout.backups:
        plain(f"Your changed version is kept as {one_line(str(backup))}")
    plain(
        f"Read README.md, edit {edit}, then check your work: cd {folder} && eng28 check",
        "(eng28 check --watch reruns the checks on every save.)",
    )


def check_result(result: Any) -> None:  # usecases.exercises.CheckResult
    run = result.run
    if result.status == "unavailable":
        plain(
            f"Day {result.day}: the checks need {', '.join(run.missing)}, not installed for "
            f"{one_line(result.python)}. Install with: {one_line(result.install)}"
        )
        return
    for test in run.tests:
        plain(f"  {MARKS.get(test.status, '?')} {one_line(test.name)}")
    if result.status == "error":
        plain(f"Day {result.day}: the checks could not run: {one_line(run.reason)}")
        return
    failed = [t for t in run.tests if t.status == "fail"]
    passed = sum(1 for t in run.tests if t.status == "pass")
    if failed:
        plain("", f"First failure: {one_line(failed[0].name)}")
        for line in printable(failed[0].message, keep="\n").splitlines():
            plain(f"    {line}")
        plain("", f"Day {result.day}: {passed} of {plural(len(run.tests), 'check')} pass.")
        return
    plain(f"Day {result.day}: all {plural(len(run.tests), 'check')} pass.")
    if result.first_pass:
        plain("Recorded: this day's exercise passed its checks.")


def watching(folder: Any) -> None:
    plain(f"Watching {one_line(str(folder))} for changes; Ctrl-C stops.", stderr=True)


def check_validation(path: Any, problems: list[str], days: int) -> None:
    plain(*problems)
    if problems:
        plain(f"{path}: {plural(len(problems), 'problem')} in the checks", stderr=True)
    else:
        plain(
            f"{path}: the checks of {plural(days, 'day')} fail on the starter and pass on the "
            "solution"
        )
