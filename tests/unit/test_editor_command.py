"""How an $EDITOR value becomes a program and its arguments, by the rules of each OS."""

import pytest

from eng28.editor import editor_command
from eng28.errors import EditorError

NOTEPAD_PP = r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst -nosession'


@pytest.mark.parametrize(
    ("value", "command"),
    [
        ("vim", ["vim"]),
        ("code --wait", ["code", "--wait"]),
        ('"/opt/My Editor/bin/edit" --wait', ["/opt/My Editor/bin/edit", "--wait"]),
        ("'/opt/My Editor/bin/edit' -n", ["/opt/My Editor/bin/edit", "-n"]),
        (r"/opt/My\ Editor/bin/edit", ["/opt/My Editor/bin/edit"]),
        ("emacsclient -a '' -c", ["emacsclient", "-a", "", "-c"]),
        ("   ", []),
    ],
)
def test_posix_rules(value, command):
    assert editor_command(value, windows=False) == command


@pytest.mark.parametrize(
    ("value", "command"),
    [
        ("notepad", ["notepad"]),
        (
            NOTEPAD_PP,
            [r"C:\Program Files\Notepad++\notepad++.exe", "-multiInst", "-nosession"],
        ),
        (r"C:\Windows\notepad.exe", [r"C:\Windows\notepad.exe"]),  # backslashes stay
        (
            r'"C:\Users\me\AppData\Local\Programs\Microsoft VS Code\bin\code.cmd" --wait',
            [r"C:\Users\me\AppData\Local\Programs\Microsoft VS Code\bin\code.cmd", "--wait"],
        ),
        ("   ", []),
    ],
)
def test_windows_rules(value, command):
    assert editor_command(value, windows=True) == command


def test_the_rules_differ_where_they_should():
    # POSIX reads the backslashes of a Windows path as escapes: hence a rule per OS.
    assert editor_command(r"C:\Windows\notepad.exe", windows=False) == ["C:Windowsnotepad.exe"]


@pytest.mark.parametrize(
    ("value", "windows"),
    [
        ('"/opt/My Editor/edit --wait', False),
        ("vim 'x", False),
        (NOTEPAD_PP.replace('.exe"', ".exe"), True),
    ],
)
def test_an_unbalanced_quote_is_one_clear_error(value, windows):
    with pytest.raises(EditorError) as raised:
        editor_command(value, windows=windows)
    message = str(raised.value)
    assert message == (
        f"cannot read the editor command {value!r} (No closing quotation); fix $VISUAL or "
        "$EDITOR, or pass -m TEXT; nothing was recorded"
    )
    assert "\n" not in message
