"""Getting a reflection out of the learner's editor without ever losing what they typed.

The draft lives in a file under the data folder until the reflection is recorded; if the
editor is missing, fails, is killed, is interrupted with Ctrl-C or returns at once without
waiting for the learner, the draft stays there and the message says where.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from eng28 import files
from eng28.config import child_env
from eng28.errors import EditorError

SCISSORS = "# ------------------------ >8 ------------------------"

#: An editor that returns sooner than this with the draft untouched did not wait for the
#: learner (a GUI editor started without its wait flag, e.g. `code` without `--wait`).
NO_WAIT_SECONDS = 1.0


def draft_path(folder: Path, day: int, now: datetime) -> Path:
    return folder / "drafts" / f"reflection-day{day:02d}-{now:%Y%m%dT%H%M%S}.md"


def editor_command(value: str, windows: bool) -> list[str]:
    """The program and arguments in an $EDITOR value. POSIX shell rules, except on Windows,
    where a backslash is a path separator and a path with spaces is written in double quotes:
    `"C:\\Program Files\\Notepad++\\notepad++.exe" -multiInst` is that path and one flag."""
    try:
        if not windows:
            return shlex.split(value)
        return [
            part[1:-1] if len(part) > 1 and part[0] == part[-1] == '"' else part
            for part in shlex.split(value, posix=False)
        ]
    except ValueError as exc:  # an unbalanced quote
        raise EditorError(
            f"cannot read the editor command {value!r} ({exc}); fix $VISUAL or $EDITOR, or "
            "pass -m TEXT; nothing was recorded"
        ) from None


#: Where $VISUAL and $EDITOR are unset, the editors tried in turn (as git does).
FALLBACK_EDITORS = ("editor", "nano", "vi")


def chosen_editor() -> str:
    """$VISUAL, else $EDITOR, else the first of FALLBACK_EDITORS on PATH (said on stderr)."""
    import shutil
    import sys

    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "")
        if value.strip():
            return value
    for name in FALLBACK_EDITORS:
        if shutil.which(name):
            sys.stderr.write(f"Writing in {name} (set $VISUAL or $EDITOR to choose another).\n")
            return name
    raise EditorError(
        "no editor configured: set $VISUAL or $EDITOR, or pass -m TEXT (no "
        f"{', '.join(FALLBACK_EDITORS)} on PATH either)"
    )


def edit_reflection(draft: Path, initial: str, prompt: str | None) -> str:
    """Open $VISUAL or $EDITOR on `draft`; return the text above the scissors line."""
    editor = chosen_editor()
    command = editor_command(editor, windows=os.name == "nt")
    hint = "\n".join(f"# {line}" for line in (prompt or "").strip().splitlines())
    template = (
        f"{initial.rstrip()}\n\n{SCISSORS}\n# Write your reflection above this line; "
        f"everything from the line above down is ignored.\n{hint}\n"
    )
    files.atomic_write(draft, template.encode("utf-8", errors="replace"), EditorError)
    # Ctrl-C belongs to the editor while it runs: eng28 notes it instead of dying with the
    # editor still open (a Python handler, unlike SIG_IGN, is not inherited by the editor).
    interrupted: list[int] = []
    restore = _catch_interrupts(interrupted)
    started = time.monotonic()
    try:
        status = subprocess.call([*command, str(draft)], env=child_env())
    except (OSError, ValueError) as exc:
        raise EditorError(
            f"cannot start the editor {editor!r}: {exc}; nothing was recorded (draft: {draft})"
        ) from None
    finally:
        seconds = time.monotonic() - started
        restore()
    if interrupted or status == -signal.SIGINT:
        raise KeyboardInterrupt(f"nothing was recorded, your text is kept in {draft}")
    if status != 0:
        why = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        raise EditorError(
            f"the editor {editor!r} {why}; nothing was recorded, your text is kept in {draft}"
        )
    try:
        text = draft.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EditorError(f"cannot read the draft {draft}: {exc}") from None
    if text == template and seconds < NO_WAIT_SECONDS:
        raise EditorError(
            f"the editor {editor!r} returned at once and left the draft untouched, so it is "
            "probably still open: make it wait until you close the file (e.g. `code --wait`, "
            f"`subl -w`, `gvim -f`); nothing was recorded, your draft is kept in {draft}"
        )
    return text.split(SCISSORS, 1)[0].strip()


def _catch_interrupts(seen: list[int]) -> Callable[[], None]:
    """Until the returned function is called, a Ctrl-C is noted in `seen` instead of raised
    (outside the main thread nothing changes)."""
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: seen.append(signum))
    except ValueError:
        return lambda: None
    return lambda: signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
