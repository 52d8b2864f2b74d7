"""The Typer app and the single exit point. The commands live in `study` and `records`; each
parses its options, calls one use case and hands its result to `render`.

The single exit point (`Eng28Group` and `main`): an Eng28Error becomes `error: <message>` on
stderr with its exit code (1, or 2 for usage errors); typer's usage errors are shown the same
way with exit code 2; anything unexpected becomes one line too (the traceback behind
ENG28_DEBUG=1). After any command that wrote state or config, the prompt cache is rewritten.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from eng28 import __version__, render, views
from eng28.errors import Eng28Error
from eng28.usecases import schedule, segments
from eng28.usecases.context import Context, open_context


def _refresh_views() -> None:
    """Rewrite the prompt cache after a write; a failure only costs one slower prompt."""
    if not views.changed:
        return
    views.changed = False
    views.drop_screens()
    # A failure here costs one slower prompt; the command has succeeded or reported its own.
    with contextlib.suppress(Exception):
        segments.refresh()


def _unexpected(exc: BaseException) -> int:
    if os.environ.get("ENG28_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    what = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    render.error(f"unexpected {what}; run with ENG28_DEBUG=1 for the traceback")
    return 1


def _untyped(param: Any) -> Any:
    """`param` shown in the help without a type tag (`<bool>`, `<int>`): a flag shows nothing
    after its name, an option with a value its metavar (FORMAT, TEXT), an argument its name."""
    if param is None:
        return None
    if getattr(param, "is_flag", False):
        param.metavar = ""
    elif param.param_type_name == "argument":
        param.display_type_rich = lambda ctx: None
    return param


class Eng28Command(TyperCommand):
    """A command whose help shows words, not type tags."""

    def get_params(self, ctx: Any) -> Any:
        return [_untyped(param) for param in super().get_params(ctx)]


class Eng28Group(TyperGroup):
    """The single exit point: every failure becomes a one-line message."""

    def get_params(self, ctx: Any) -> Any:
        return [_untyped(param) for param in super().get_params(ctx)]

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Eng28Error as exc:
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            # A KeyboardInterrupt raised by eng28 itself says where the learner's text is.
            render.plain(f"interrupted; {exc}" if str(exc) else "interrupted", stderr=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`eng28 export | head`): stop quietly, as rich's console
            # does for the commands it prints, with nothing left to flush to the pipe.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            if _is_usage_error(exc):
                raise
            raise typer.Exit(_unexpected(exc)) from None
        finally:
            if ctx.parent is None:
                _refresh_views()

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer.Abort:
            render.error("aborted")
            sys.exit(1)
        except Exception as exc:
            if not _is_usage_error(exc):
                sys.exit(_unexpected(exc))
            sub = exc.ctx.command_path.partition(" ")[2] if getattr(exc, "ctx", None) else ""
            where = f"eng28 {sub}".strip()
            render.error(f"{exc.format_message()} (see `{where} --help`)")  # type: ignore[attr-defined]
            sys.exit(2)
        sys.exit(code if isinstance(code, int) else 0)


def _is_usage_error(exc: BaseException) -> bool:
    """click's UsageError (and BadParameter), known by its interface: typer does not export
    the class."""
    return getattr(exc, "exit_code", None) == 2 and hasattr(exc, "format_message")


def _root() -> typer.Typer:
    """A root app, without commands: `app` holds them all, `app_for` one of them."""
    return typer.Typer(
        cls=Eng28Group,
        help="eng28: your companion for The 28-Day Engineering Plan.",
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_show_locals=False,
        add_completion=True,
    )


app = _root()
plan_app = typer.Typer(cls=Eng28Group, help="The plan: a table of all days, or check a plan file.")
app.add_typer(plan_app, name="plan")
backup_app = typer.Typer(cls=Eng28Group, help="Daily backups of your state: list and restore.")
app.add_typer(backup_app, name="backup")
sync_app = typer.Typer(cls=Eng28Group, help="Study on several machines through a git remote.")
app.add_typer(sync_app, name="sync")

PlanOption = Annotated[
    str | None,
    typer.Option(
        "--plan",
        metavar="PATH",
        help="Plan file to use instead of the configured or bundled one (or set ENG28_PLAN).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only.")]


def complete_day(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Day numbers of the plan in use, with their titles, for shell completion. Shells sort
    what they offer as text, so with nothing typed yet (or a leading 0) the numbers come
    zero-padded, "01" to "28", and sort as numbers; `eng28 show 05` is day 5."""
    try:
        plan = open_context(ctx.find_root().params.get("plan")).plan
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    width = len(str(plan.total)) if incomplete in ("", "0") or incomplete.startswith("0") else 1
    numbers = [(f"{d.number:0{width}d}", d.title) for d in plan.days]
    return [(number, title) for number, title in numbers if number.startswith(incomplete)]


def choices(*values: str) -> Any:
    """Shell completion of a fixed set of words (the command still checks the value itself,
    so that its error says what is allowed in eng28's words)."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


def format_option(help: str, *values: str) -> Any:
    """The --format option of a command that prints one of `values`."""
    return typer.Option(
        "--format", "-f", metavar="FORMAT", help=help, autocompletion=choices(*values)
    )


def check_format(value: str, *values: str) -> None:
    if value not in values:
        raise typer.BadParameter(f"unknown format {value!r}: use {' or '.join(values)}")


DayArgument = Annotated[
    int,
    typer.Argument(help="Day number.", show_default=False, autocompletion=complete_day),
]
OptionalDay = Annotated[
    int | None,
    typer.Argument(help="Day number (default: today's).", autocompletion=complete_day),
]


def _version(value: bool) -> None:
    if value:
        render.plain(f"eng28 {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    plan: PlanOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """eng28: one deep engineering topic a day, with reflections you keep."""
    ctx.obj = {"plan": plan}
    if ctx.invoked_subcommand is None:
        try:
            c = open_context(plan)
            inputs = segments.screen_inputs(c, "front")
            state = c.load_state(history=False)
            found = schedule.today(c, state) if state.start else None
        except Eng28Error as exc:
            render.front(None, str(exc))
            return
        text = render.front(found)
        if plan is None:  # `eng28` alone, what the fast path serves
            segments.keep_screen(c, inputs, text)


def context_of(ctx: typer.Context, light: bool = False) -> Context:
    """The command's context; `light` for a command that shows none of the days' content
    (see Context.outline)."""
    root = ctx.find_root()
    found = open_context(root.obj.get("plan") if root.obj else None)
    found.light = light
    return found


def confirm(question: str, refusal: str) -> None:
    """Ask on a terminal; elsewhere refuse with `refusal` (which names the flag to pass)."""
    if not sys.stdin.isatty():
        raise Eng28Error(refusal)
    typer.confirm(question, abort=True, err=True)


def hoist_plan(args: list[str]) -> list[str]:
    """`--plan PATH` is the root's option, but a learner types it after the command too
    (`eng28 today --plan X`): it is moved in front, where the root reads it."""
    moved: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--plan" and index + 1 < len(args):
            moved += args[index : index + 2]
            index += 2
            continue
        (moved if arg.startswith("--plan=") else rest).append(arg)
        index += 1
    return moved + rest


def command_names() -> dict[str, Any]:
    """The top-level commands and groups of `app` by the name a learner types, each with what
    registered it (Typer's CommandInfo or TyperInfo). Typer names a command without a name of
    its own after its function, lower case with dashes for underscores."""
    names: dict[str, Any] = {}
    for info in app.registered_commands:
        names[info.name or info.callback.__name__.lower().replace("_", "-")] = info
    for group in app.registered_groups:
        names[group.name] = group
    return names


def app_for(args: list[str]) -> typer.Typer:
    """The app to run `args` (already hoisted) with. Typer turns every registered command into
    a click command before it parses anything (about 20 ms for eng28's forty-odd), so when
    `args` name one command, an app holding only that command (with the root's options and
    callback) runs it: that command's parsing, help and errors are the same in both. The
    whole app is kept for everything that lists or guesses commands: the root's help and
    options, an unknown command (click's "did you mean"), and shell completion."""
    index = 0
    while index < len(args) and (args[index] == "--plan" or args[index].startswith("--plan=")):
        index += 1 if args[index].startswith("--plan=") else 2
    if index >= len(args) or "_ENG28_COMPLETE" in os.environ:
        return app
    info = command_names().get(args[index])
    if info is None:
        return app
    one = _root()
    one.callback(invoke_without_command=True)(main_callback)
    if info in app.registered_groups:
        one.registered_groups.append(info)
    else:
        one.registered_commands.append(info)
    return one


def main(args: list[str] | None = None) -> None:
    """Run eng28 with `args` (default: the command line)."""
    hoisted = hoist_plan(sys.argv[1:] if args is None else args)
    app_for(hoisted)(args=hoisted, prog_name="eng28")
