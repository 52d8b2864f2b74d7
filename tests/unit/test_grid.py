"""`render.grid.Grid` draws long tables for less work than rich's Table: it must draw the very
same bytes, whatever the cells, the width or the colours. Each test draws a grid and the rich
Table of the same rows (`Grid.table`) and compares them."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from eng28.render import grid
from eng28.render.grid import Column, Grid

COLOURS = (None, "standard", "256", "truecolor")


class _Terminal(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def drawn(thing: object, width: int, colour: str | None, encoding: str = "utf-8") -> str:
    out = _Terminal(encoding)
    console = Console(
        file=out,
        width=width,
        color_system=colour,  # type: ignore[arg-type]
        force_terminal=colour is not None,
        highlight=False,
        legacy_windows=False,
    )
    if isinstance(thing, Grid):
        thing.print_to(console)
    else:
        console.print(thing)
    return out.getvalue()


def same(table: Grid, width: int, colour: str | None = None, encoding: str = "utf-8") -> str:
    """What the grid draws, as `print_to` and as `console.print` draw it; both must be what
    rich's Table draws (which rich crops to the width)."""
    got = drawn(table, width, colour, encoding)
    assert got == drawn(table.table(), width, colour, encoding)
    assert got == drawn(_Printed(table), width, colour, encoding)
    return got


class _Printed:
    """A grid that `console.print` draws (cropping each line), not `Grid.print_to`."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    def __rich_console__(self, console: Console, options: object) -> object:
        yield self.grid


def review_grid(titles: list[str]) -> Grid:
    table = Grid(Column("Due"), Column("Card"), Column("Track"), Column("Title", overflow="fold"))
    for number, title in enumerate(titles):
        table.add_row(
            "today" if number % 3 == 0 else "Fri 04 Dec",
            f"{number:02d}:breaking-changes" if number % 2 else f"{number:02d}",
            Text("OOP", style="cyan"),
            title,
            style="bold" if number % 3 == 0 else None,
        )
    return table


TITLES = [
    "API Design — REST, GraphQL, gRPC; Versioning, Pagination, Errors",
    "SOLID Principles + Strategy / Factory / Observer Patterns in Python",
    "Short",
    "",
    "Averyveryverylongwordthatmustbefoldedacrossseverallinesofthecolumn and more",
    "日本語のタイトルはセルの幅を二つ取ります、折り返しも",
    "Emoji :rocket: code and an escaped \\[tag]",
    "e\u0301 combining marks, trailing space ",
]


@pytest.mark.parametrize("width", [1, 5, 20, 40, 60, 80, 100, 140])
@pytest.mark.parametrize("colour", COLOURS)
def test_the_review_list_shape_is_drawn_as_rich_draws_it(width: int, colour: str | None) -> None:
    same(review_grid(TITLES * 3), width, colour)


@pytest.mark.parametrize("width", [30, 60, 100])
def test_a_plan_shape_with_a_title_right_justified_and_unwrapped_columns(width: int) -> None:
    table = Grid(
        Column("Day", justify="right"),
        Column("Date"),
        Column("Track"),
        Column("Title", overflow="fold"),
        Column("Parts", no_wrap=True),
        Column("Left", justify="right", no_wrap=True),
        Column("Status"),
        title="A plan [i]escaped[/i]? no: \\[i]",
        title_style="bold",
    )
    for number, title in enumerate(TITLES * 2, start=1):
        table.add_row(
            f"{number:02d}",
            "Mon 30 Nov",
            Text("ML", style="magenta"),
            title,
            "●●○○○○○",
            "1h05" if number % 2 else "",
            "✓ done" if number % 3 else "· upcoming",
            style="green" if number % 3 else None,
        )
        if number % 4 == 0:
            table.add_row("", "Sat 05 Dec", "", "rest", "", "", "~ rest", style="dim italic")
    for colour in COLOURS:
        same(table, width, colour)


def test_a_grid_with_no_rows_and_one_column() -> None:
    assert same(Grid(Column("Due")), 40) == "Due\n━━━\n"
    same(Grid(Column("Due"), Column("Card"), title="Nothing"), 10, "truecolor")


@pytest.mark.parametrize("cell", ["  ", "ab  ", "e\u0301\u0301 "])
@pytest.mark.parametrize("no_wrap", [False, True])
def test_trailing_spaces_past_the_width_go_only_where_rich_wraps(cell: str, no_wrap: bool) -> None:
    for width in (1, 2, 3):
        for overflow in ("ellipsis", "fold", "crop"):
            table = Grid(Column("D", overflow=overflow, no_wrap=no_wrap))
            table.add_row(cell)
            same(table, width)
            same(table, width, "standard")


def test_ascii_terminals_get_rich_s_ascii_box() -> None:
    text = same(review_grid(TITLES[:3]), 60, None, encoding="ascii")
    assert "┃" not in text and "|" in text


def test_a_row_needs_a_cell_per_column() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        Grid(Column("A"), Column("B")).add_row("only one")


@pytest.mark.parametrize("colour", [None, "truecolor"])
def test_the_rows_rich_must_draw_and_the_rows_the_grid_draws_are_both_drawn(colour) -> None:
    """The comparisons above go both ways: rows with spans, tabs, ellipses or centred cells
    go to rich's own code, plain rows to the grid's (as text alone where there is no colour,
    as segments where there is): a guard that no path is dead."""
    paths: list[str] = []
    spied = {name: getattr(grid, name) for name in ("_bodies", "_fast_row", "_plain_row")}

    def spy(name: str) -> object:
        def call(*args: object) -> object:
            result = spied[name](*args)
            paths.append(name if result is not None else "rich")
            return result

        return call

    for name in spied:
        setattr(grid, name, spy(name))
    try:
        table = review_grid(TITLES)
        table.add_row("[bold]markup[/]", "tab\there", Text("x"), "y")
        same(table, 50, colour)
    finally:
        for name, function in spied.items():
            setattr(grid, name, function)
    assert "rich" in paths
    assert ("_plain_row" if colour is None else "_fast_row") in paths
    assert ("_fast_row" if colour is None else "_plain_row") not in paths


words = st.sampled_from(
    [
        "a", "bb", "Attention", "scaling", "REST,", "—", "日本語", "é", "e\u0301", ":smile:",
        "lc:03", "x" * 30, "end ", "  ", "", "[bold]b[/]", "\\[y]", "tab\tx", "zw\u200bj",
        "line\nbreak", "\u2028", "\x1b[31m", "🎉",
    ]
)  # fmt: skip
cells = st.one_of(
    st.lists(words, max_size=6).map(" ".join),
    st.builds(
        lambda parts, style: Text(" ".join(parts), style=style),
        st.lists(words, max_size=6),
        st.sampled_from(["", "cyan", "bold red", "dim italic"]),
    ),
)
columns = st.builds(
    Column,
    header=st.sampled_from(["Due", "Card", "Title", "H", "A long header", "日本"]),
    justify=st.sampled_from(["left", "left", "right", "center", "full"]),
    overflow=st.sampled_from(["ellipsis", "fold", "crop", "ignore"]),
    no_wrap=st.booleans(),
)


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    cols = draw(st.lists(columns, min_size=1, max_size=6))
    table = Grid(
        *cols,
        title=draw(st.sampled_from([None, "Plan", "Plan :rocket: " * 6])),
        title_style=draw(st.sampled_from([None, "bold"])),
    )
    for _ in range(draw(st.integers(0, 8))):
        row = [draw(cells) for _ in cols]
        table.add_row(*row, style=draw(st.sampled_from([None, "bold", "dim italic", "green"])))
    return table


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    grids(),
    st.sampled_from([1, 2, 3, 8, 20, 40, 60, 80, 100, 150]),
    st.sampled_from(COLOURS),
)
def test_any_grid_is_drawn_as_rich_draws_it(table: Grid, width: int, colour: str | None) -> None:
    same(table, width, colour)


@pytest.mark.parametrize("colour", COLOURS)
def test_a_style_rich_does_not_know_is_drawn_plain_as_rich_draws_it(colour: str | None) -> None:
    """A plan's track colour is the learner's text: a misspelt one (`colour = "nosuchcolour"`)
    is drawn without a colour, as rich's Table draws it, never an error."""
    table = Grid(Column("Card"), Column("Track"))
    table.add_row("01", Text("OOP", style="nosuchcolour"))
    table.add_row("02", Text("SD", style="bold nosuchcolour"))
    assert "OOP" in same(table, 40, colour)


@pytest.mark.parametrize("colour", COLOURS)
def test_a_cell_of_a_str_subclass_is_drawn_as_rich_draws_it(colour: str | None) -> None:
    """An enum of strings (or any subclass of str) as a cell: drawn by its text, as rich's
    Table draws it (the grid's plain-string path once took it for a Text and failed)."""
    from enum import StrEnum

    class Kind(StrEnum):
        QUESTION = "question"

    table = Grid(Column("Card"), Column("Kind"))
    table.add_row("01", Kind.QUESTION)
    assert "question" in same(table, 40, colour)
