"""$EDITOR as the learner writes it: a quoted path with spaces works, an unbalanced quote or a
blank value is one line of error."""

import stat

from tests.conftest import setup
from tests.helpers import nothing_recorded, plan_state


def test_an_editor_path_with_spaces_in_quotes_works(run, home, tmp_path, use_mini):
    setup(run, "start")
    folder = tmp_path / "My Editors"
    folder.mkdir()
    script = folder / "edit me.sh"
    script.write_text('#!/bin/sh\n[ "$1" = "--flag" ] || exit 3\nprintf "Spaced out\\n" > "$2"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    result = run("done", "--edit", env={"EDITOR": f'"{script}" --flag'})
    assert result.exit_code == 0, result.output
    state = plan_state(home)
    assert state["days"]["1"]["reflection"] == "Spaced out"


def test_an_unbalanced_quote_in_the_editor_is_one_line(run, home, use_mini):
    setup(run, "start")
    result = run("done", "--edit", env={"EDITOR": '"/opt/My Editor/edit --wait'})
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot read the editor command '\"/opt/My Editor/edit --wait' (No closing "
        "quotation); fix $VISUAL or $EDITOR, or pass -m TEXT; nothing was recorded\n"
    )
    assert nothing_recorded(home)
    drafts = home / "drafts"
    assert not drafts.exists() or list(drafts.iterdir()) == []  # failed before any draft


def test_a_blank_editor_is_no_editor(run, use_mini, tmp_path):
    setup(run, "start")
    (tmp_path / "no-editors").mkdir()
    result = run("done", "--edit", env={"EDITOR": "   ", "PATH": str(tmp_path / "no-editors")})
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no editor configured: set $VISUAL or $EDITOR, or pass -m TEXT (no editor, "
        "nano, vi on PATH either)\n"
    )
