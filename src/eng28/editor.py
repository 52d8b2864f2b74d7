"""Getting a reflection out of the learner's editor without ever losing what they typed.

The draft lives in a file under the data folder until the reflection is recorded; if the
editor is missing, fails or is killed, the draft stays there and the error says where.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime
from pathlib import Path

from eng28.config import child_env
from eng28.errors import EditorError

SCISSORS = "# ------------------------ >8 ------------------------"


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


def edit_reflection(draft: Path, initial: str, prompt: str | None) -> str:
    """Open $VISUAL or $EDITOR on `draft`; return the text above the scissors line."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    command = editor_command(editor, windows=os.name == "nt")
    if not command:
        raise EditorError("no editor configured: set $VISUAL or $EDITOR, or pass -m TEXT")
    draft.parent.mkdir(parents=True, exist_ok=True)
    hint = "\n".join(f"# {line}" for line in (prompt or "").strip().splitlines())
    draft.write_text(
        f"{initial.rstrip()}\n\n{SCISSORS}\n# Write your reflection above this line; "
        f"everything from the line above down is ignored.\n{hint}\n",
        encoding="utf-8",
    )
    try:
        status = subprocess.call([*command, str(draft)], env=child_env())
    except (OSError, ValueError) as exc:
        raise EditorError(
            f"cannot start the editor {editor!r}: {exc}; nothing was recorded (draft: {draft})"
        ) from None
    if status != 0:
        why = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        raise EditorError(
            f"the editor {editor!r} {why}; nothing was recorded, your text is kept in {draft}"
        )
    try:
        text = draft.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EditorError(f"cannot read the draft {draft}: {exc}") from None
    return text.split(SCISSORS, 1)[0].strip()
