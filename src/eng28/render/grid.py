"""Long tables for less work: `Grid` draws what rich's `Table(show_edge=False, pad_edge=False)`
draws, segment for segment, without rich's layout of every cell.

rich measures each cell of a table (twice where the table is too wide) and renders each through
its layout engine: for the 1,400 rows of `review --list` in a year-long plan that is about a
second. Most rows are one line, every cell of which fits its column; such a row is a handful of
segments worked out with string operations. A row that needs more (a cell that wraps or is cut,
a text with spans, tabs or characters that are not printable, a justification other than left
or right) is drawn by rich's own code, exactly as `Table._render` draws it.
`tests/unit/test_grid.py` holds the two to the same bytes, in colour and without.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

#: rich's default box for a table, which eng28's tables keep.
BOX = box.HEAVY_HEAD


class Column(NamedTuple):
    header: str
    justify: str = "left"
    overflow: str = "ellipsis"
    no_wrap: bool = False


class Grid:
    """A table of rows of cells (markup strings or Text), with an optional title."""

    def __init__(
        self, *columns: Column, title: str | None = None, title_style: str | None = None
    ) -> None:
        self.columns = columns
        self.title, self.title_style = title, title_style
        self.rows: list[tuple[tuple[str | Text, ...], str | None]] = []

    def add_row(self, *cells: str | Text, style: str | None = None) -> None:
        if len(cells) != len(self.columns):
            raise ValueError("a row needs one cell per column")
        self.rows.append((cells, style))

    def table(self) -> Table:
        """The same rows as rich's Table: what the grid must draw."""
        table = Table(
            title=self.title, title_style=self.title_style, show_edge=False, pad_edge=False
        )
        for c in self.columns:
            table.add_column(c.header, justify=c.justify, overflow=c.overflow, no_wrap=c.no_wrap)  # type: ignore[arg-type]
        for cells, style in self.rows:
            table.add_row(*cells, style=style)
        return table

    def print_to(self, out: Console) -> None:
        """`out.print(self)`, without rich's cropping of every line to the width: the grid
        crops its lines itself when they do not fit (a year's `review --list` is 1,400 lines,
        which rich would split, measure and pad again one by one)."""
        out.print(self, crop=False)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        fits, segments = self._segments(console, options)
        if fits:
            yield from segments
        else:  # as `Console.print` crops
            for line in Segment.split_and_crop_lines(segments, options.max_width, pad=False):
                yield from line

    def _segments(
        self, console: Console, options: ConsoleOptions
    ) -> tuple[bool, Iterator[Segment]]:
        """Whether every line fits `options.max_width`, and the grid's segments."""
        columns, count = self.columns, len(self.columns)
        header = tuple(_as_text(console, c.header) for c in columns)
        rows = [
            (tuple(_as_text(console, cell) for cell in cells), style) for cells, style in self.rows
        ]
        longest = [_longest_line(text) for text in header]
        for texts, _ in rows:
            longest = [max(a, _longest_line(t)) for a, t in zip(longest, texts, strict=True)]
        pads = [(0 if i == 0 else 1, 0 if i == count - 1 else 1) for i in range(count)]
        widths = _column_widths(columns, options.max_width - (count - 1), longest, pads)
        width = sum(widths) + count - 1
        return width <= options.max_width, self._drawn(console, options, widths, header, rows)

    def _drawn(
        self,
        console: Console,
        options: ConsoleOptions,
        widths: list[int],
        header: tuple[str | Text, ...],
        rows: list[tuple[tuple[str | Text, ...], str | None]],
    ) -> Iterator[Segment]:
        columns, count = self.columns, len(self.columns)
        pads = [(0 if i == 0 else 1, 0 if i == count - 1 else 1) for i in range(count)]
        render_options = options.update(width=sum(widths) + count - 1, highlight=False, height=None)
        if self.title:
            title = console.render_str(
                self.title, style=Style.pick_first(self.title_style, "table.title"), highlight=False
            )
            yield from console.render(title, render_options.update(justify="center"))
        lines = BOX.substitute(render_options, safe=console.safe_box)
        null = console.get_style("")
        heading = console.get_style("table.header") + null
        every = [(header, tuple(c.header for c in columns), None)]
        every += [
            (texts, cells, style)
            for (texts, style), (cells, _) in zip(rows, self.rows, strict=True)
        ]
        newline = Segment.line()
        # Without colours a line's segments print as their texts alone: one segment will do
        # (where the table fits the width, so that no line is cropped).
        plain = (
            console.color_system is None
            and not console.legacy_windows
            and sum(widths) + count - 1 <= options.max_width
        )
        edges = [(" " * left, " " * right) for left, right in pads]
        blanks = [" " * width for width in widths]
        for index, (texts, cells, style) in enumerate(every):
            first, last = index == 0, index == len(every) - 1
            vertical = (
                lines.head_vertical
                if first
                else lines.foot_vertical
                if last
                else lines.mid_vertical
            )
            bodies = _bodies(columns, texts, widths, pads)
            if bodies is not None and plain:
                for texts_of_line in _plain_row(bodies, edges, blanks, first):
                    yield Segment(vertical.join(texts_of_line) + "\n")
            else:
                if first:
                    row_style, styles = Style.null(), [heading] * count
                else:
                    row_style = Style.null() + console.get_style(style) if style else Style.null()
                    styles = [null + row_style] * count
                divider = Segment(vertical, null)
                if not divider.text.strip():
                    divider = Segment(divider.text, row_style.background_style + divider.style)
                if bodies is not None:
                    drawn = _fast_row(console, texts, bodies, widths, pads, styles, first)
                else:
                    drawn = _rich_row(
                        console, render_options, columns, cells, widths, pads, styles, first
                    )
                for line in drawn:
                    for number, cell in enumerate(line):
                        if number:
                            yield divider
                        yield from cell
                    yield newline
            if first:
                yield Segment(lines.get_row(widths, "head", edge=False), null)
                yield newline


def _as_text(console: Console, cell: str | Text) -> str | Text:
    """A cell as rich reads it: markup with emoji codes, unless there can be neither; a
    printable string without either is kept as it is, the plain text of its Text (which most
    cells of a long table are: making a Text of each cost more than drawing it)."""
    if isinstance(cell, Text):
        return cell
    if "[" in cell or cell.count(":") > 1:  # an emoji code is a name between two colons
        return console.render_str(cell, highlight=False)
    return cell if type(cell) is str and cell.isprintable() else Text(cell)  # not a subclass


def _longest_line(text: str | Text) -> int:
    """The widest line of `text`, in cells: the maximum rich's Text measures."""
    if type(text) is str:
        return cell_len(text)  # printable: one line
    plain = text.plain
    if plain.isprintable():  # no line break of any kind (all are unprintable)
        return cell_len(plain)
    lines = plain.splitlines()
    return max(cell_len(line) for line in lines) if lines else 0


def _measured(room: int, longest: int, pad: int) -> int:
    """A column's maximum width in `room` cells, as `Table._measure_column` finds it for cells
    whose widest line is `longest` cells, wrapped in `pad` cells of padding."""
    if room < 1:
        return 0
    if room - pad < 1:
        return room
    return min(longest + pad, room)


def _column_widths(
    columns: tuple[Column, ...], room: int, longest: list[int], pads: list[tuple[int, int]]
) -> list[int]:
    """`Table._calculate_column_widths` for a table that does not expand and has no column of
    a fixed, minimum or maximum width."""
    from rich._ratio import ratio_reduce

    widths = [_measured(room, a, sum(p)) or 1 for a, p in zip(longest, pads, strict=True)]
    if sum(widths) > room:
        widths = Table._collapse_widths(widths, [not c.no_wrap for c in columns], room)
        if sum(widths) > room:
            widths = ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
        widths = [
            _measured(w, a, sum(p)) or 0 for w, a, p in zip(widths, longest, pads, strict=True)
        ]
    return widths


def _bodies(
    columns: tuple[Column, ...],
    texts: tuple[str | Text, ...],
    widths: list[int],
    pads: list[tuple[int, int]],
) -> list[tuple[str, ...]] | None:
    """Each cell's lines, for a row of plain cells each wrapped to its column without being
    cut; None for any other row."""
    found = []
    for text, column, width, (left, right) in zip(texts, columns, widths, pads, strict=True):
        if type(text) is str:  # printable, and as a Text would be: no style of its own
            lines = _cell_lines(text, column, width - left - right)
            if lines is None:
                return None
            found.append(lines)
            continue
        if (
            text.spans
            or text.justify
            or text.overflow
            or text.no_wrap is not None
            or text.end != "\n"
            or not text.plain.isprintable()
        ):
            return None
        lines = _cell_lines(text.plain, column, width - left - right)
        if lines is None:
            return None
        found.append(lines)
    return found


def _fast_row(
    console: Console,
    texts: tuple[str | Text, ...],
    bodies: list[tuple[str, ...]],
    widths: list[int],
    pads: list[tuple[int, int]],
    styles: list[Style],
    header: bool,
) -> list[list[list[Segment]]]:
    """The row of `bodies` (see `_bodies`) as the segments rich's Table yields for it."""
    cells = []
    for text, lines, (left, right), style in zip(texts, bodies, pads, styles, strict=True):
        own = None
        if type(text) is not str and text.style:
            own = console.get_style(text.style, default=Style.null())
        line_style, edge = (style + own, style) if style else (own, Style.null())
        lead = [Segment(" " * left, edge)] if left else []
        tail = [Segment(" " * right, edge)] if right else []
        cells.append([[*lead, Segment(body, line_style), *tail] for body in lines])
    height = max(len(lines) for lines in cells)
    if height > 1:
        for lines, width, style in zip(cells, widths, styles, strict=True):
            blank = [[Segment(" " * width, style)]] * (height - len(lines))
            # rich aligns the header's cells to the bottom, the others to the top
            lines[:] = blank + lines if header else lines + blank
    return [[lines[number] for lines in cells] for number in range(height)]


def _plain_row(
    bodies: list[tuple[str, ...]], edges: list[tuple[str, str]], blanks: list[str], header: bool
) -> list[list[str]]:
    """The texts of `_fast_row`'s segments, line by line and cell by cell (`edges`: each
    column's padding left and right, `blanks`: an empty line of it)."""
    if all(len(lines) == 1 for lines in bodies):  # most rows of a long table
        return [
            [left + lines[0] + right for lines, (left, right) in zip(bodies, edges, strict=True)]
        ]
    height = max(len(lines) for lines in bodies)
    cells = []
    for lines, (left, right), blank in zip(bodies, edges, blanks, strict=True):
        texts = [left + body + right for body in lines]
        if len(texts) < height:
            more = [blank] * (height - len(texts))
            texts = more + texts if header else texts + more
        cells.append(texts)
    return [[texts[number] for texts in cells] for number in range(height)]


_TRAILING_SPACE = re.compile(r"\s+$")


@lru_cache(maxsize=4096)  # dates, tracks and statuses repeat down a long table
def _cell_lines(plain: str, column: Column, room: int) -> tuple[str, ...] | None:
    """The lines of a cell as rich's Text.wrap makes them in `room` cells (justified, padded
    to the width), or None where a line would be cut or the case is one this does not follow."""
    if room < 1 or column.justify not in ("left", "right") or column.overflow == "ignore":
        return None  # ("ignore" leaves the padding to rich's line cropping: other segments)
    if column.no_wrap or cell_len(plain) <= room:
        pieces = [plain]  # a line that fits is never divided
    else:
        from rich._wrap import divide_line

        offsets = [0, *divide_line(plain, room, fold=column.overflow == "fold"), len(plain)]
        pieces = [plain[start:end] for start, end in zip(offsets, offsets[1:], strict=False)]
    lines = []
    for piece in pieces:
        if not column.no_wrap and len(piece) > room:  # rstrip_end, which a wrap calls
            found = _TRAILING_SPACE.search(piece)
            if found is not None:
                piece = piece[: -min(len(found.group(0)), len(piece) - room)]
        if column.justify == "right":
            piece = piece.rstrip()
        length = cell_len(piece)
        if length > room:
            return None
        gap = " " * (room - length)
        lines.append(piece + gap if column.justify == "left" else gap + piece)
    return tuple(lines)


def _rich_row(
    console: Console,
    options: ConsoleOptions,
    columns: tuple[Column, ...],
    cells: tuple[str | Text, ...],
    widths: list[int],
    pads: list[tuple[int, int]],
    styles: list[Style],
    header: bool,
) -> list[list[list[Segment]]]:
    """A row drawn by rich's own code, as `Table._render` draws it."""
    rendered = []
    for cell, column, width, (left, right), style in zip(
        cells, columns, widths, pads, styles, strict=True
    ):
        cell_options = options.update(
            width=width,
            justify=column.justify,  # type: ignore[arg-type]
            no_wrap=column.no_wrap,
            overflow=column.overflow,  # type: ignore[arg-type]
            height=None,
            highlight=False,
        )
        rendered.append(
            console.render_lines(Padding(cell, (0, right, 0, left)), cell_options, style=style)
        )
    row_height = max(len(lines) for lines in rendered)
    height = max(1, row_height)
    align = Segment.align_bottom if header else Segment.align_top
    shaped = [
        Segment.set_shape(align(lines, width, row_height, style), width, height)
        for lines, width, style in zip(rendered, widths, styles, strict=True)
    ]
    return [[lines[number] for lines in shaped] for number in range(height)]
