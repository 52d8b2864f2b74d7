"""Drafts: what the learner typed, kept in a file under `<data dir>/drafts/` until it is saved.

A reflection typed at the prompt or in the editor, and a review's follow-up note, are written
here (mode 0600, through the one atomic write) before they are checked and saved, and deleted
only once saved. Every error after that names the draft, and `eng28 done` on a terminal offers
a kept reflection back. Names follow `editor.draft_path`: `reflection-day05-20261201T203000.md`
(and `note-day05-….md`); a name already taken gets `-2`, `-3`, … so no draft is overwritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from eng28 import files
from eng28.editor import SCISSORS, draft_path
from eng28.errors import Eng28Error, StateError

_NAME = re.compile(r"(reflection|note)-day(\d+)-(\d{8}T\d{6})(?:-(\d+))?\.md")
_STAMP = "%Y%m%dT%H%M%S"


def check_writable(data_dir: Path) -> None:
    """Refuse, before the learner types anything, when neither a draft nor the state could be
    written: a file is created and removed in the data folder and in its drafts folder."""
    for folder in (data_dir, data_dir / "drafts"):
        try:
            files.make_private_dir(str(folder))
            fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise StateError(
                f"{folder}: cannot write here: {exc.strerror}; nothing was recorded (fix this "
                "before you write, or what you type could not be kept)"
            ) from None


def _unique(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def reflection_path(data_dir: Path, day: int, now: datetime) -> Path:
    """A new draft for day `day`'s reflection, never one already kept."""
    return _unique(draft_path(data_dir, day, now))


def note_path(data_dir: Path, day: int, now: datetime) -> Path:
    """A new draft for a follow-up note to day `day`'s review."""
    name = draft_path(data_dir, day, now).name.replace("reflection-", "note-", 1)
    return _unique(data_dir / "drafts" / name)


def keep(path: Path, text: str) -> None:
    """Write `text` to the draft `path` (mode 0600); raises StateError naming it."""
    body = text if text.endswith("\n") else text + "\n"
    files.atomic_write(path, body.encode("utf-8", errors="replace"), StateError)


def discard(path: Path) -> None:
    """Delete a draft whose text is saved (a draft that cannot be deleted only stays)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def text_of(path: Path) -> str:
    """A draft's text: everything above the editor's scissors line, stripped."""
    raw = files.read_bytes(path, "draft", StateError) or b""
    return raw.decode("utf-8", errors="replace").split(SCISSORS, 1)[0].strip()


@dataclass
class Kept:
    path: Path
    written: datetime
    text: str


def latest(data_dir: Path, day: int) -> Kept | None:
    """The newest kept draft of day `day`'s reflection that holds any text."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(data_dir / "drafts"):
            match = _NAME.fullmatch(entry.name)
            if match and match[1] == "reflection" and int(match[2]) == day:
                with contextlib.suppress(ValueError):
                    stamp = datetime.strptime(match[3], _STAMP)
                    found.append((stamp, int(match[4] or 1), Path(entry.path)))
    for stamp, _, path in sorted(found, reverse=True):
        try:
            text = text_of(path)
        except Eng28Error:
            continue
        if text:
            return Kept(path, stamp, text)
    return None


def kept_in(exc: Eng28Error, draft: Path | None) -> Eng28Error:
    """`exc` with its message saying where the learner's text is kept."""
    if draft is not None and str(draft) not in str(exc):
        exc.args = (f"{exc}; your text is kept in {draft}",)
    return exc
