"""The pieces of a sync by months: cutting a log into months, naming a line of the joined
log by its month file, comparing a file with bytes block by block."""

import pytest
from hypothesis import given, settings

from eng28 import files, reviewlog
from eng28.errors import Eng28Error
from eng28.usecases import syncmonths
from tests.unit.test_merge import states


@settings(max_examples=100, deadline=None)
@given(state=states())
def test_a_log_cut_into_months_joins_back_and_each_month_holds_its_own(state):
    log = reviewlog.dump(state)
    months = syncmonths.months_of(log)
    assert b"".join(months.values()) == log
    assert list(months) == sorted(months)
    for name, data in months.items():
        for line in data.splitlines():
            assert b'"review_datetime":"' + name.encode() in line


def test_an_error_on_a_line_of_the_joined_log_names_the_month_file_and_its_line():
    pieces = [("reviews/2026-11.jsonl", b"a\nb\n"), ("reviews/2026-12.jsonl", b"c\nd\n")]
    said = "remote 1234abcd:reviews.jsonl: line 4: key 'entry.rating': too big"
    assert syncmonths.name_line(said, "remote 1234abcd:", pieces) == (
        "remote 1234abcd:reviews/2026-12.jsonl: line 2: key 'entry.rating': too big"
    )
    first = said.replace("line 4", "line 1")
    assert "reviews/2026-11.jsonl: line 1:" in syncmonths.name_line(
        first, "remote 1234abcd:", pieces
    )
    other = "remote 1234abcd:state.toml: key 'days'"
    assert syncmonths.name_line(other, "remote 1234abcd:", pieces) == other


def test_the_repositorys_state_file_says_schema_6_and_reads_back_as_the_state_file():
    text = "schema_version = 5\nlog_folded = 0\n"
    shared = syncmonths.shared_state(text)
    assert shared.startswith("schema_version = 6\n")
    assert syncmonths.as_state_file(shared.encode()) == text.encode()
    assert syncmonths.as_state_file(b"schema_version = 4\n") == b"schema_version = 4\n"


@pytest.mark.parametrize(
    ("on_disk", "data", "expected"),
    [
        (b"same bytes", b"same bytes", True),
        (b"same bytez", b"same bytes", False),  # same size, one byte differs
        (b"longer bytes", b"long", False),
        (None, None, True),
        (None, b"", False),
        (b"", None, False),
        (b"x" * (3 << 20), b"x" * (3 << 20), True),  # several blocks
        (b"x" * (3 << 20), b"x" * ((3 << 20) - 1) + b"y", False),
    ],
)
def test_a_file_holds_bytes_exactly(tmp_path, on_disk, data, expected):
    path = tmp_path / "file"
    if on_disk is not None:
        path.write_bytes(on_disk)
    assert files.holds(path, data, "state", Eng28Error) is expected


def test_a_folder_where_a_file_should_be_is_named():
    with pytest.raises(Eng28Error, match="is a directory"):
        files.holds(".", b"", "state", Eng28Error)


@pytest.mark.parametrize(
    ("data", "pieces", "expected"),
    [
        (b"abcdef", [b"ab", memoryview(b"cd"), b"ef"], True),
        (b"abcdef", [b"ab", b"cd"], False),
        (b"abcd", [b"ab", b"cd", b"ef"], False),
        (b"", [], True),
        (b"abcdef", [b"ab", b"xd", b"ef"], False),
    ],
)
def test_pieces_are_compared_with_bytes_without_joining_them(data, pieces, expected):
    assert files.same_pieces(data, pieces) is expected


def test_a_file_read_in_blocks_is_held_to_the_size_limit_before_any_block(tmp_path):
    path = tmp_path / "log"
    path.write_bytes(b"a line\n" * 20)
    with pytest.raises(Eng28Error, match="log: the review log file is over"):
        files.line_blocks(path, "review log", Eng28Error, limit=100)  # at the call
    assert b"".join(files.line_blocks(path, "review log", Eng28Error, limit=140)) == (
        b"a line\n" * 20
    )


def test_a_stream_that_fails_while_it_is_written_leaves_the_file_and_no_temp_file(tmp_path):
    target = tmp_path / "copy"
    target.write_bytes(b"before")

    def failing():
        yield b"half of it"
        raise Eng28Error("the source broke")

    with pytest.raises(Eng28Error, match="the source broke"):
        files.atomic_write(target, failing())
    assert target.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]
