"""What the learner types for `eng28 done`: from the editor, a pipe, or the inline prompt.
Prompts go to stderr; nothing here decides what is recorded.

Text typed on a terminal is never only in memory when something can go wrong: before the
learner is invited to type, the data folder is checked; what they type is kept in a draft
(see `drafts`) as soon as it is finished, or when they press Ctrl-C, and before it is checked
and saved. Input ends with Ctrl-D only, never at blank lines, and whatever is still queued on
the terminal afterwards is dropped, so no pasted line can reach the shell.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from eng28 import drafts
from eng28.errors import Eng28Error


def _say(text: str) -> None:
    from eng28.text import printable

    sys.stderr.write(printable(text) + "\n")


def line_editing() -> ModuleType | None:
    """Arrow keys, Home/End, Backspace and Delete for `input()`, where the platform has
    readline (not on Windows, where the console edits lines itself). Tab inserts a tab."""
    try:
        import readline
    except ImportError:
        return None
    with contextlib.suppress(Exception):
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I ed-insert")
        else:
            readline.parse_and_bind("tab: tab-insert")
    return readline


def _watch_hang_ups(seen: list[int]) -> Callable[[], None]:
    """Until the returned function is called, a closed terminal window (SIGHUP) is noted in
    `seen` instead of ending eng28, so that what was typed can still be kept."""
    hang_up = getattr(signal, "SIGHUP", None)
    if hang_up is None:
        return lambda: None
    try:
        previous = signal.signal(hang_up, lambda signum, _frame: seen.append(signum))
    except ValueError:  # not the main thread
        return lambda: None
    return lambda: signal.signal(hang_up, signal.SIG_DFL if previous is None else previous)


def _terminal_gone() -> bool:
    """True when the terminal was closed under us (reads then end as if Ctrl-D was pressed)."""
    try:
        import termios
    except ImportError:
        return False
    try:
        termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return True
    return False


def drain_input() -> None:
    """Drop what is still queued on the terminal (the rest of a paste, keys typed while
    saving), so the shell never runs it after eng28 exits."""
    try:
        import termios
    except ImportError:
        return
    with contextlib.suppress(OSError, ValueError, termios.error):
        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)


@contextlib.contextmanager
def keys_kept_raw() -> Iterator[None]:
    """While reading several lines: the terminal hands every key to the line editor as it
    is, also between two lines.

    readline sets the terminal to single keys while it reads a line and back to whole lines
    after it. A key that arrives in between (Ctrl-D straight after Enter, the rest of a
    paste) was taken by the terminal's own line editing: Ctrl-D became an end of input that
    readline never saw, so the prompt waited for another. With ICANON off before readline
    starts, readline's "back" is this mode too. ECHO stays on: readline echoes only when it
    finds it on. Only under GNU readline: without a line editor, the terminal's own line
    editing is the only one (and libedit's handling of a terminal left in single-key mode is
    not one eng28 has tried)."""
    try:
        import termios
    except ImportError:
        yield
        return
    try:
        fd = sys.stdin.fileno()
        before = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):
        yield
        return
    raw = [*before[:6], list(before[6])]
    raw[3] = before[3] & ~termios.ICANON
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
    try:
        termios.tcsetattr(fd, termios.TCSADRAIN, raw)
    except (OSError, termios.error):
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):  # the terminal may be gone
            termios.tcsetattr(fd, termios.TCSADRAIN, before)


def cleaned(text: str) -> str:
    """Typed or pasted text without control characters other than tab and newline (a stray
    ^H, a form feed or an ESC from a PDF); says on stderr what was taken out."""
    from eng28.text import without_controls

    clean, removed = without_controls(text)
    if removed:
        _say(f"Removed control characters from your text: {', '.join(removed)}.")
    return clean


def keep_draft(draft: Path, text: str) -> Path | None:
    """Keep `text` in `draft`. When even that fails (a full disk), the text is shown on stderr
    so it is not lost, and there is no draft to name."""
    try:
        drafts.keep(draft, text)
    except Eng28Error as exc:
        _say(f"warning: {exc}; your text, in case saving it fails too:")
        sys.stderr.write(text + "\n")
        return None
    return draft


def _use_kept(kept: drafts.Kept) -> bool:
    sys.stderr.write(f"A draft from {kept.written:%Y-%m-%d %H:%M} is kept: use it? [Y/n] ")
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        answer = "n"
    if answer.strip().lower() in ("", "y", "yes"):
        return True
    _say(f"It stays in {kept.path}.")
    return False


def read_reflection(
    data_dir: Path, number: int, prompt: str | None, existing: str, edit: bool, now: object
) -> tuple[str | None, Path | None]:
    """The reflection and the draft that keeps it until it is saved, if any. The text is None
    when nothing new was given and a kept reflection exists (it then comes back)."""
    on_terminal = sys.stdin.isatty()
    if not edit and not on_terminal:
        return _read_pipe(existing), None
    drafts.check_writable(data_dir)
    kept = drafts.latest(data_dir, number) if on_terminal else None
    if kept is not None and _use_kept(kept):
        if not edit:
            return cleaned(kept.text), kept.path
        initial, draft = kept.text, kept.path
    else:
        initial, draft = existing, drafts.reflection_path(data_dir, number, now)  # type: ignore[arg-type]
    if edit:
        from eng28 import editor

        return editor.edit_reflection(draft, initial, prompt), draft
    return _read_inline(draft, number, prompt, existing)


def _read_pipe(existing: str) -> str | None:
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
    return text if text or not existing else None


def _read_inline(
    draft: Path, number: int, prompt: str | None, existing: str
) -> tuple[str | None, Path | None]:
    if existing:
        _say(
            "You wrote a reflection for this day before; press Ctrl-D on an empty reflection "
            "to keep it."
        )
    if prompt:
        _say(f"Reflect: {prompt.strip()}")
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    readline = line_editing()
    lines: list[str] = []
    hang_ups: list[int] = []
    restore = _watch_hang_ups(hang_ups)
    interrupted = False
    gnu = readline is not None and "libedit" not in (readline.__doc__ or "")
    try:
        with keys_kept_raw() if gnu else contextlib.nullcontext():
            _say("Your reflection (finish with Ctrl-D on an empty line):")
            while True:
                try:
                    lines.append(input())
                except EOFError:
                    break
    except (KeyboardInterrupt, OSError):  # Ctrl-C, or a read from a terminal that went away
        interrupted = True
    finally:
        drain_input()
    if interrupted or hang_ups or _terminal_gone():
        # SIGHUP stays watched: a closed window's signal can come after its end of input.
        _keep_unfinished(draft, number, lines, readline)
    restore()
    text = cleaned("\n".join(lines).strip())
    if not text:
        return (None if existing else ""), None
    return text, keep_draft(draft, text)


def _keep_unfinished(
    draft: Path, number: int, lines: list[str], readline: ModuleType | None
) -> NoReturn:
    """Ctrl-C, or the terminal closed: keep what was typed (the finished lines and the one
    being edited) in the draft, say where, stop."""
    from eng28.text import without_controls

    partial = readline.get_line_buffer() if readline else ""
    text = without_controls("\n".join([*lines, partial]).strip())[0]
    if not text:
        raise KeyboardInterrupt("nothing was recorded") from None
    # The draft first: after a hang-up, writing to the terminal fails.
    if keep_draft(draft, text) is None:
        raise KeyboardInterrupt("nothing was recorded; your text is shown above") from None
    raise KeyboardInterrupt(
        f"what you typed is kept in {draft}; `eng28 done {number}` on a terminal offers it back"
    ) from None
