"""Plan files as the learner makes them: a starter plan, and a check of a whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eng28.plan import check_plan, incomplete_days, write_starter


@dataclass
class NewPlan:
    path: Path
    notes: int  # notes files written
    check: Path | None = None  # day 1's checkable exercise, with --with-checks


def new_plan(path: Path, days: int, title: str, with_checks: bool = False) -> NewPlan:
    write_starter(path, days, title, with_checks)
    check = path.parent / "exercises" / "01-day-1" if with_checks else None
    return NewPlan(path, days, check)


@dataclass
class Validation:
    path: Path
    problems: list[str]
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # number, slug
    total: int = 0
    complete: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.incomplete


def validate(path: Path, complete: bool) -> Validation:
    plan, problems = check_plan(path)
    if plan is None or problems:
        return Validation(path, problems)
    missing = incomplete_days(plan, path)
    return Validation(
        path,
        [],
        [(day.number, day.slug, fields) for day, fields in missing] if complete else [],
        plan.total,
        plan.total - len(missing),
    )
