"""What the learner types for `eng28 done`: from the editor, a pipe, or the inline prompt.
Prompts go to stderr; nothing here decides what is recorded."""

from __future__ import annotations

import sys
from pathlib import Path

from eng28.errors import Eng28Error


def _say(text: str) -> None:
    from eng28.text import printable

    sys.stderr.write(printable(text) + "\n")


def read_reflection(
    data_dir: Path, number: int, prompt: str | None, existing: str, edit: bool, now: object
) -> tuple[str | None, Path | None]:
    """The reflection and the editor's draft file, if any. The text is None when nothing new
    was given and a kept reflection exists (it then comes back)."""
    if edit:
        from eng28 import editor

        draft = editor.draft_path(data_dir, number, now)  # type: ignore[arg-type]
        return editor.edit_reflection(draft, existing, prompt), draft
    if not sys.stdin.isatty():
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Eng28Error(
                    f"the reflection on stdin is not UTF-8 text (byte {exc.start}); nothing "
                    "was recorded"
                ) from None
        text = raw.strip()
        return (text if text or not existing else None), None
    if existing:
        _say(
            "You wrote a reflection for this day before; press Enter on an empty reflection "
            "to keep it."
        )
    if prompt:
        _say(f"Reflect: {prompt.strip()}")
    _say("Your reflection (finish with two empty lines or Ctrl-D):")
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if line == "" and lines and lines[-1] == "":
            break
        lines.append(line)
    text = "\n".join(lines).strip()
    return (text if text or not existing else None), None
