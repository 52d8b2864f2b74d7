"""`eng28 doctor`: check plan, config, state, backups, prompt cache and shell set-up, and say
how to fix what is wrong. Every check reads; none writes."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from eng28 import config as cfg
from eng28 import paths, store
from eng28.errors import Eng28Error
from eng28.text import plural


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False  # worth knowing, not broken


def run(plan_option: str | None) -> list[Check]:
    checks: list[Check] = []
    config = None
    try:
        config = cfg.load_config()
        checks.append(Check("config", True, str(cfg.config_path())))
    except Eng28Error as exc:
        checks.append(
            Check(
                "config",
                False,
                str(exc),
                f"edit {cfg.config_path()} (or delete it to start "
                "from the defaults; `eng28 import` can restore an export)",
            )
        )
    plan_check, plan_id = _plan_check(plan_option, config.plan if config else None)
    checks.append(plan_check)
    state = _state_check(plan_id or store.DEFAULT_PLAN_ID)
    checks.append(state)
    if plan_id is not None and config is not None and state.ok:
        try:
            started = store.load_state(cfg.state_path(), plan_id).plan(plan_id).start
        except Eng28Error:
            started = None
        if started is None and config.start is None:
            checks.insert(
                -1, Check("start", True, "the plan is not started yet", "eng28 start", warning=True)
            )
    checks.append(_cache_check())
    checks.append(_shell_check())
    return checks


def _plan_check(option: str | None, configured: str | None) -> tuple[Check, str | None]:
    """The plan's check, and its id when it loads."""
    from eng28.plan import check_plan, resolve_plan_path

    try:
        path = resolve_plan_path(option, configured)
    except Eng28Error as exc:
        return Check("plan", False, str(exc), "reinstall eng28"), None
    plan, problems = check_plan(path)
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check("plan", False, problems[0] + more, f"eng28 plan validate {path}"), None
    assert plan is not None
    incomplete = [d.number for d in plan.days if not d.complete]
    detail = f"{path}: {plan.total} days"
    if incomplete:
        return Check(
            "plan",
            True,
            f"{detail}; days without full content: {incomplete}",
            f"eng28 plan validate --complete {path}",
            warning=True,
        ), plan.key
    return Check("plan", True, detail + ", all complete"), plan.key


def _state_check(plan_id: str) -> Check:
    path = cfg.state_path()
    try:
        state, version = store.read_state(path, plan_id)
    except Eng28Error as exc:
        return Check("state", False, str(exc), "eng28 backup list, then eng28 backup restore N")
    backups = store.list_backups(path)
    good = sum(1 for b in backups if b.state is not None)
    done = ", ".join(
        f"{plural(len(p.done_days()), 'day')} done in {name}" for name, p in state.plans.items()
    )
    detail = f"{path}: {done or 'no day done'}, {plural(good, 'good backup')}"
    if version < store.SCHEMA_VERSION:
        return Check(
            "state",
            True,
            f"{detail}; schema {version} is upgraded (after a backup) on the next save",
            warning=True,
        )
    return Check("state", True, detail if path.exists() else f"{path}: nothing recorded yet")


def _cache_check() -> Check:
    from eng28 import views
    from eng28.usecases.context import open_context
    from eng28.usecases.segments import fields

    cache = Path(paths.views_file())
    try:
        ctx = open_context(None)
        computed = views.segment(fields(ctx, ctx.load_state()), ctx.config.prompt_format)
    except Exception as exc:  # noqa: BLE001 - the prompt hides errors; the doctor shows them
        return Check(  # the broken file is its own check's failure
            "prompt cache",
            True,
            f"the segment cannot be computed: {exc}",
            "fix the problem above; the prompt stays empty until then",
            warning=True,
        )
    if not cache.exists():
        return Check(
            "prompt cache",
            True,
            f"{cache} does not exist yet",
            "eng28 prompt --refresh",
            warning=True,
        )
    found = views.read()
    if found is None:
        return Check(
            "prompt cache",
            True,
            f"{cache} is out of date or damaged; the next prompt rewrites it",
            "eng28 prompt --refresh",
            warning=True,
        )
    if found[0] != computed:
        return Check(
            "prompt cache",
            True,
            f"{cache} shows {found[0]!r} but today is {computed!r}",
            "eng28 prompt --refresh",
            warning=True,
        )
    return Check("prompt cache", True, f"{cache}: {computed!r}")


def _shell_check() -> Check:
    home = Path(os.path.expanduser("~"))
    rc_files = [home / ".bashrc", home / ".zshrc", home / ".config" / "fish" / "config.fish"]
    hooked = [str(rc) for rc in rc_files if rc.is_file() and "eng28 init" in _read(rc)]
    on_path = shutil.which("eng28")
    if not on_path:
        return Check(
            "shell",
            True,
            "eng28 is not on PATH (started as `python -m eng28`?)",
            "add the install's bin folder to PATH so the prompt hook can find it",
            warning=True,
        )
    if os.environ.get("ENG28_PROMPT") is not None or hooked:
        where = ", ".join(hooked) or "this shell"
        return Check("shell", True, f"prompt hook installed ({where})")
    return Check(
        "shell",
        True,
        "no prompt hook found",
        'eval "$(eng28 init bash)" in ~/.bashrc (or zsh / fish: see README)',
        warning=True,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
