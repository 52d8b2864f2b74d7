"""JSON nested deeper than the parser goes (`[[[[...`, a few hundred kilobytes) in a cache, a
log, an import or an exercise's marker is bad JSON like any other: a cache is passed over, a
file eng28 must read is named in a one-line error, never an unexpected RecursionError."""

import json
from pathlib import Path

import pytest

from eng28 import paths, reviewscan
from eng28.usecases import tally
from tests.unit.log_lines import log

DEEP = "[" * 200_000


@pytest.mark.parametrize(
    ("command", "name"),
    [("export", reviewscan.EXPORT_SUMMARY), ("stats", tally.SUMMARY_NAME)],
)
def test_a_deep_summary_is_passed_over(studied, run, command, name):
    first = run(command)
    assert first.exit_code == 0, first.stderr
    (Path(paths.cache_dir()) / name).write_text(DEEP)
    again = run(command)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout


def test_a_deep_import_is_named_as_not_json(studied, run, tmp_path):
    bad = tmp_path / "export.json"
    bad.write_text(DEEP)
    result = run("import", str(bad), "--yes")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {bad}: not JSON: nested too deep (line 1)"


def test_a_deep_line_in_the_log_is_named(studied, run):
    with log(studied).open("a") as f:
        f.write(DEEP + "\n")
    for command in ("today", "stats", "export"):
        result = run(command)
        assert result.exit_code == 1, command
        (line,) = result.stderr.splitlines()
        assert "reviews.jsonl: line" in line and "unexpected" not in line, line


def test_a_deep_exercise_marker_is_no_exercise(run, home, use_mini, tmp_path):
    from eng28.usecases.exercises import MARKER, read_marker

    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / MARKER).write_text(DEEP)
    assert read_marker(folder) is None
    assert json.loads("[1]") == [1]  # the parser itself is left as it was
