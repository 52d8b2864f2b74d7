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


def edit_reflection(draft: Path, initial: str, prompt: str | None) -> str:
    """Open $VISUAL or $EDITOR on `draft`; return the text above the scissors line."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise EditorError("no editor configured: set $VISUAL or $EDITOR, or pass -m TEXT")
    draft.parent.mkdir(parents=True, exist_ok=True)
    hint = "\n".join(f"# {line}" for line in (prompt or "").strip().splitlines())
    draft.write_text(
        f"{initial.rstrip()}\n\n{SCISSORS}\n# Write your reflection above this line; "
        f"everything from the line above down is ignored.\n{hint}\n",
        encoding="utf-8",
    )
    try:
        status = subprocess.call([*shlex.split(editor), str(draft)], env=child_env())
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
