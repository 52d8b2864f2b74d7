"""The commands of a day's checkable exercise: exercise (lay it out) and check (run its
checks, once or on every save)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eng28 import render
from eng28.cli.app import Eng28Command, JsonOption, OptionalDay, app, context_of


@app.command(cls=Eng28Command)
def exercise(
    ctx: typer.Context,
    day: OptionalDay = None,
    folder: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            metavar="PATH",
            help="Lay it out in this folder (default: the workspace, ~/eng28/NN-slug).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite files you changed, keeping a backup of each."),
    ] = False,
) -> None:
    """Lay out a day's checkable exercise: README, the starter files you edit, the checks.

    A file you changed is never overwritten, unless --force (which keeps a .bak copy).

    Example: eng28 exercise 7      (then: cd ~/eng28/07-... && eng28 check)
    """
    from eng28.usecases import exercises, progress, schedule

    c = context_of(ctx)
    number = schedule.check_day(c, day) if day is not None else progress.target_day(c, None)
    render.exercise_laid_out(exercises.lay_out(c, number, folder, force))


@app.command(cls=Eng28Command)
def check(
    ctx: typer.Context,
    day: OptionalDay = None,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Run again on every save, until Ctrl-C.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run your exercise's checks: which pass, and what the first failure expected.

    Run it in the folder `eng28 exercise` laid out, or name the day.

    The checks run with pytest in a separate process, under a timeout (60 s).

    Config keys: `python` (default: eng28's own), `check_timeout` (seconds).

    Exit 0: all pass, or a package they need is not installed (it is named).

    Exit 1: a check fails, your code does not import, or the time ran out.

    All passing is recorded in your state; --watch reruns on every save.

    Example: eng28 check --watch
    """
    from eng28.usecases import exercises

    c = context_of(ctx)
    number, folder = exercises.find_workspace(c, day, Path.cwd())

    def show(result: exercises.CheckResult) -> None:
        if as_json:
            render.print_json(result.to_json())
        else:
            render.check_result(result)

    if not watch:
        result = exercises.check(c, number, folder)
        show(result)
        if result.status in ("fail", "error"):
            raise typer.Exit(1)
        return
    render.watching(folder)
    try:
        for result in exercises.watch(c, number, folder):
            show(result)
            if not as_json:
                render.plain("")
    except KeyboardInterrupt:
        render.plain("Stopped watching.", stderr=True)
        raise typer.Exit(0) from None
