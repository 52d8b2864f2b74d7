"""The published site as bytes: `index.html`, one `day-NN.html` per day and `style.css`.

No decisions here (what may be shown comes in as `SiteData`) and no I/O. Every string from the
plan or the state is escaped; only http(s) URLs become links; the notes' Markdown is rendered
with raw HTML off, so HTML written in a note is shown as text. No JavaScript, nothing loaded
from the network, and the same data always gives the same bytes.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from eng28.render import site_style
from eng28.text import printable
from eng28.usecases.publish import INDEX, STYLESHEET, SiteData, SiteDay, page_name

_WEB = re.compile(r"^https?://[^\s\"'<>\\\x00-\x1f\x7f]+$", re.IGNORECASE)
#: Fenced blocks in these languages (or none) are text diagrams: monospace, never wrapped.
PLAIN = {"", "text", "txt", "plain", "plaintext", "ascii", "diagram"}


def esc(text: object) -> str:
    return html.escape(printable(str(text)), quote=True)


def web_link(url: str) -> bool:
    return bool(_WEB.match(url))


def link(url: str, label: str) -> str:
    """An <a> to an http(s) URL; anything else is shown as text, never as a link."""
    if not web_link(url):
        return esc(label)
    return f'<a href="{esc(url)}">{esc(label)}</a>'


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# --- Markdown ----------------------------------------------------------------------------


def _highlight(code: str, lang: str, _attrs: Any) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = (lang or "").strip().lower()
    diagram = f'<pre class="diagram"><code>{esc(code)}</code></pre>\n'
    if name in PLAIN:
        return diagram
    try:
        lexer = get_lexer_by_name(name)
    except ClassNotFound:
        return diagram
    body = highlight(printable(code), lexer, HtmlFormatter(nowrap=True))
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable("table")
    md.disable("image")  # an image would be loaded from the network
    md.validateLink = web_link  # a link to anything but http(s) stays text
    return md


def markdown(text: str, drop_title: bool = False, cut: str | None = None) -> str:
    """Notes as HTML, their headings one level down (the page has its own <h1>).
    `drop_title`: a first-level heading that opens the notes is left out. `cut`: the section
    under the second-level heading of that name is left out."""
    md = _markdown()
    tokens = md.parse(printable(text))
    if drop_title and len(tokens) >= 3 and tokens[0].tag == "h1":
        tokens = tokens[3:]
    if cut is not None:
        tokens = _without_section(tokens, cut)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    rendered = md.renderer.render(tokens, md.options, {})
    return rendered.replace("<table>", '<div class="scroll"><table>').replace(
        "</table>", "</table></div>"
    )


def inline(text: str) -> str:
    """One line of Markdown (a question, a step) as inline HTML."""
    return _markdown().renderInline(printable(text))


def _without_section(tokens: list[Any], title: str) -> list[Any]:
    kept, skipping = [], False
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2"):
            name = tokens[i + 1].content.strip().lower() if i + 1 < len(tokens) else ""
            skipping = token.tag == "h2" and name == title.lower()
        if not skipping:
            kept.append(token)
    return kept


# --- the page frame ----------------------------------------------------------------------


def _page(data: SiteData, title: str, body: str) -> bytes:
    text = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="eng28">
<title>{esc(title)}</title>
<link rel="stylesheet" href="{esc(data.href(STYLESHEET))}">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<div class="page">
{body}
<footer>
<p>Written by eng28 from the plan <cite>{esc(data.title)}</cite>; progress as of
{esc(long_date(data.today))}.</p>
</footer>
</div>
</body>
</html>
"""
    return text.encode("utf-8")


def _badge(status: str) -> str:
    return f'<span class="badge {esc(status)}">{esc(status)}</span>'


# --- index.html --------------------------------------------------------------------------


def index_page(data: SiteData) -> bytes:
    total = len(data.days)
    done = data.done
    share = round(100 * done / total) if total else 0
    counts = {s: sum(1 for d in data.days if d.record.status == s) for s in ("missed", "skipped")}
    more = "".join(f", {n} {s}" for s, n in counts.items() if n)
    description = f"<p>{esc(data.description)}</p>\n" if data.description.strip() else ""
    rows = "\n".join(_day_row(data, d) for d in data.days)
    body = f"""<header>
<h1>{esc(data.title)}</h1>
{description}</header>
<main id="main">
<section aria-labelledby="progress-heading">
<h2 id="progress-heading">Progress</h2>
<p id="progress-label">{done} of {total} days done ({share}%){esc(more)}.</p>
<progress aria-labelledby="progress-label" max="{total}" value="{done}">{share}%</progress>
</section>
{heatmap(data)}
{retention_chart(data)}
<section aria-labelledby="days-heading">
<h2 id="days-heading">Days</h2>
<div class="scroll">
<table>
<caption>Every day of the plan with its date, track, status and the parts done</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Date</th><th scope="col">Track</th>\
<th scope="col">Topic</th><th scope="col">Status</th><th scope="col">Parts done</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
</section>
</main>"""
    return _page(data, data.title, body)


def _day_row(data: SiteData, d: SiteDay) -> str:
    r = d.record
    when = short_date(r.date) if r.date else "not scheduled"
    status = _badge(r.status)
    if r.status == "done" and r.done_on and r.done_on != r.date:
        status += f' <span class="muted">on {esc(short_date(r.done_on))}</span>'
    if r.own_text is not None:
        status += ' <span class="muted">· reflection</span>'
    return (
        f'<tr><td>{d.day.number:02d}</td><td class="date">{esc(when)}</td>'
        f"<td>{esc(d.track.name)}</td>"
        f'<td><a href="{esc(data.href(d.page))}">{esc(d.day.title)}</a></td><td>{status}</td>'
        f"<td>{_parts(r.parts)}</td></tr>"
    )


PART_NAMES = {
    "video": "video",
    "r1": "reading 1",
    "r2": "reading 2",
    "r3": "reading 3",
    "exercise": "exercise",
    "leetcode": "LeetCode",
    "reflection": "reflection",
}


def _parts(parts: dict[str, bool]) -> str:
    """The parts as a row of marks, with the words for screen readers and a tooltip."""
    if not parts:
        return ""
    done = [PART_NAMES[p] for p, on in parts.items() if on]
    words = f"{len(done)} of {len(parts)} parts done" + (f": {', '.join(done)}" if done else "")
    marks = "".join("●" if on else "○" for on in parts.values())
    return f'<span class="parts" title="{esc(words)}" aria-label="{esc(words)}">{marks}</span>'


# --- the heatmap -------------------------------------------------------------------------

CELL, GAP, LEFT, TOP = 12, 3, 34, 20
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


def level(count: int) -> int:
    return min(count, len(site_style.HEAT) - 1)


def month_labels(first: date, last: date, origin: date) -> list[tuple[int, str]]:
    """(week column, month name) above the calendar: at each week holding a month's first
    day, and at the first column when the next such week is at least three columns away (so
    that no two names overlap)."""
    starts = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            starts.append(((day - origin).days // 7, f"{day:%b}"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if not starts or starts[0][0] >= 3:
        starts.insert(0, (0, f"{first:%b}"))
    return starts


def retention_chart(data: SiteData) -> str:
    """The share of reviews not rated Again, per track, as SVG bars with their words, and the
    same figures as a table."""
    head = (
        '<section aria-labelledby="retention-heading">\n'
        '<h2 id="retention-heading">Retention by track</h2>\n'
    )
    if not data.retention:
        return (
            head + "<p>No reviews yet: retention shows once you have rated cards.</p>\n</section>"
        )
    bar, row, label = 300, 28, 150
    height = row * len(data.retention)
    words = "; ".join(
        f"{t.name}: {share:.0%} of {n} review{'s' * (n != 1)}" for t, n, share in data.retention
    )
    parts = []
    for i, (track, n, share) in enumerate(data.retention):
        y = i * row
        width = round(bar * share)
        parts.append(
            f'<text x="0" y="{y + 18}">{esc(track.name)}</text>'
            f'<rect class="track-bar" x="{label}" y="{y + 6}" width="{bar}" height="16"/>'
            f'<rect class="retention-bar" x="{label}" y="{y + 6}" width="{width}" height="16"/>'
            f'<text x="{label + bar + 8}" y="{y + 18}">{share:.0%} ({n})</text>'
        )
    rows = "".join(
        f"<tr><td>{esc(t.name)}</td><td>{n}</td><td>{share:.0%}</td></tr>"
        for t, n, share in data.retention
    )
    return (
        head
        + '<div class="retention">'
        + f'<svg role="img" aria-labelledby="retention-title retention-desc" '
        f'viewBox="0 0 {label + bar + 90} {height}" width="{label + bar + 90}" height="{height}">'
        '<title id="retention-title">Retention by track</title>'
        f'<desc id="retention-desc">Share of reviews not rated Again. {esc(words)}.</desc>'
        + "".join(parts)
        + "</svg></div>\n<details><summary>Retention as a table</summary>\n<table>"
        '<thead><tr><th scope="col">Track</th><th scope="col">Reviews</th>'
        '<th scope="col">Not rated Again</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>\n</details>\n</section>"
    )


def heatmap(data: SiteData) -> str:
    """Study activity per date as an SVG calendar (weeks across, Monday to Sunday down), with
    month and weekday labels, a legend, and the same counts as a table."""
    dates = [d.record.date for d in data.days if d.record.date] + list(data.activity)
    head = (
        '<section aria-labelledby="activity-heading">\n'
        '<h2 id="activity-heading">Study activity</h2>\n'
    )
    if not dates:
        return head + "<p>No study dates yet: the plan has not been started.</p>\n</section>"
    first, last = min(dates), max(dates)
    origin = first - timedelta(days=first.weekday())
    weeks = (last - origin).days // 7 + 1
    step = CELL + GAP
    width = LEFT + weeks * step
    grid_bottom = TOP + 7 * step
    height = grid_bottom + 28
    active = {d: n for d, n in data.activity.items() if n}
    busiest = max(active.items(), key=lambda item: (item[1], item[0]), default=None)
    summary = (
        f"{len(active)} of {(last - first).days + 1} dates from {long_date(first)} to "
        f"{long_date(last)} have study activity (days done and reviews)"
    )
    if busiest:
        summary += f"; the busiest was {long_date(busiest[0])} with {busiest[1]}"
    width = max(width, 220)
    scale = max(1, min(3, 600 // width))  # a short plan's calendar drawn larger
    parts = [
        f'<svg role="img" width="{width * scale}" height="{height * scale}" '
        f'viewBox="0 0 {width} {height}" '
        'aria-labelledby="heatmap-title heatmap-desc">',
        '<title id="heatmap-title">Study activity per date</title>',
        f'<desc id="heatmap-desc">{esc(summary)}.</desc>',
    ]
    for week, month in month_labels(first, last, origin):
        parts.append(f'<text x="{LEFT + week * step}" y="{TOP - 6}">{month}</text>')
    for row, name in WEEKDAY_LABELS.items():
        y = TOP + row * step + CELL - 2
        parts.append(f'<text x="0" y="{y}">{name}</text>')
    day = first
    while day <= last:
        week, row = (day - origin).days // 7, day.weekday()
        count = data.activity.get(day, 0)
        parts.append(
            f'<rect class="cell l{level(count)}" x="{LEFT + week * step}" '
            f'y="{TOP + row * step}" width="{CELL}" height="{CELL}" rx="2">'
            f"<title>{day.isoformat()}: {count}</title></rect>"
        )
        day += timedelta(days=1)
    y = grid_bottom + 10
    parts.append(f'<text x="{LEFT}" y="{y + CELL - 2}">Less</text>')
    for i in range(len(site_style.HEAT)):
        x = LEFT + 30 + i * step
        parts.append(
            f'<rect class="cell l{i}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2"/>'
        )
    more = LEFT + 30 + len(site_style.HEAT) * step + 4
    parts.append(f'<text x="{more}" y="{y + CELL - 2}">More</text>')
    parts.append("</svg>")
    top = len(site_style.HEAT) - 1
    legend = (
        f"Darker squares mean more activity: from none to {top} or more (a day done or a "
        "review each count one)."
    )
    rows = "\n".join(
        f"<tr><td>{esc(long_date(d))}</td><td>{n}</td></tr>" for d, n in sorted(active.items())
    )
    table = (
        f"<details>\n<summary>Study activity as a table</summary>\n<table>\n"
        "<caption>Dates with study activity</caption>\n"
        '<thead><tr><th scope="col">Date</th><th scope="col">Days done and reviews</th>'
        f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</details>\n"
        if rows
        else "<p>No activity recorded yet.</p>\n"
    )
    return (
        f'{head}<figure class="heatmap">\n{"".join(parts)}\n<figcaption>{esc(summary)}. '
        f"{esc(legend)}</figcaption>\n</figure>\n{table}</section>"
    )


# --- day-NN.html -------------------------------------------------------------------------


def day_page(data: SiteData, index: int) -> bytes:
    d = data.days[index]
    day, r = d.day, d.record
    when = long_date(r.date) if r.date else "not scheduled yet"
    colour = site_style.track_colour(d.track.colour)
    sections = [s for s in (_card(d), _own_text(d), _notes(d), _questions(d)) if s]
    body = f"""{_day_nav(data, index, "top")}
<main id="main">
<header>
<h1 class="day-title" style="--track: {colour}">Day {day.number:02d}: {esc(day.title)}</h1>
<p class="meta">{esc(d.track.name)} · {esc(when)} · {_badge(r.status)}{_done_note(d)}</p>
</header>
{chr(10).join(sections)}
</main>
{_day_nav(data, index, "bottom")}"""
    return _page(data, f"Day {day.number:02d}: {day.title} · {data.title}", body)


def _done_note(d: SiteDay) -> str:
    r = d.record
    if r.status != "done" or r.done_on is None:
        return ""
    return f" on {esc(long_date(r.done_on))}"


def _day_nav(data: SiteData, index: int, where: str) -> str:
    def to(i: int, rel: str, arrow: str) -> str:
        other = data.days[i].day
        label = f"Day {other.number:02d}: {other.title}"
        inner = f"{arrow} {esc(label)}" if rel == "prev" else f"{esc(label)} {arrow}"
        return f'<a rel="{rel}" href="{esc(data.href(page_name(other.number)))}">{inner}</a>'

    prev = to(index - 1, "prev", "←") if index > 0 else "<span></span>"
    after = to(index + 1, "next", "→") if index + 1 < len(data.days) else "<span></span>"
    home = f'<a href="{esc(data.href(INDEX))}">All days</a>'
    name = "Days" if where == "top" else "Days, again"
    return f'<nav class="day-nav {where}" aria-label="{name}">{prev} {home} {after}</nav>'


def _card(d: SiteDay) -> str:
    day = d.day
    out = ['<section class="card" aria-labelledby="card-heading">']
    out.append('<h2 id="card-heading">The day</h2>')
    if day.summary:
        out.append(f"<h3>Why it matters</h3>\n<p>{esc(day.summary)}</p>")
    if day.video:
        v = day.video
        out.append(f"<h3>Video</h3>\n<p>{link(v.url, v.title)} — {esc(v.by)} ({v.minutes} min)</p>")
    if day.readings:
        items = "\n".join(
            f'<li>{link(r.url, r.title)} — {esc(r.by)} <span class="muted">[{esc(r.kind)}]'
            "</span></li>"
            for r in day.readings
        )
        out.append(f'<h3>Readings</h3>\n<ol class="readings">\n{items}\n</ol>')
    if day.exercise:
        e = day.exercise
        steps = "\n".join(f"<li>{esc(s)}</li>" for s in e.steps)
        out.append(
            f'<h3>Exercise: {esc(e.title)} <span class="muted">(about {e.minutes} min)</span>'
            f'</h3>\n<ol class="steps">\n{steps}\n</ol>\n'
            f"<p><strong>Deliverable:</strong> {esc(e.deliverable)}</p>"
        )
        if e.stretch:
            out.append(f"<p><strong>Stretch:</strong> {esc(e.stretch)}</p>")
    if day.leetcode:
        lc = day.leetcode
        out.append(
            f"<h3>LeetCode</h3>\n<p>{link(lc.url, f'{lc.number}. {lc.title}')} "
            f"({esc(lc.difficulty)})</p>"
        )
        if lc.why:
            out.append(f"<p>{esc(lc.why)}</p>")
    if day.reflection_prompt:
        out.append(f"<h3>Reflect</h3>\n<p>{esc(day.reflection_prompt)}</p>")
    out.append("</section>")
    return "\n".join(out) if len(out) > 3 else ""


def _own_text(d: SiteDay) -> str:
    own = d.record.own_text
    if own is None:
        return ""
    out = ['<section aria-labelledby="reflection-heading">']
    out.append('<h2 id="reflection-heading">My reflection</h2>')
    if own.reflection.strip():
        out.append(f'<blockquote class="own-text">{esc(own.reflection.strip())}</blockquote>')
    for when, note in own.follow_ups:
        out.append(f"<h3>Review on {esc(long_date(when))}</h3>")
        out.append(f'<blockquote class="own-text">{esc(note.strip())}</blockquote>')
    out.append("</section>")
    return "\n".join(out)


def _notes(d: SiteDay) -> str:
    if d.notes is None:
        return ""
    cut = "Check yourself" if d.day.questions else None
    rendered = markdown(d.notes, drop_title=True, cut=cut)
    return (
        '<section class="notes" aria-labelledby="notes-heading">\n'
        f'<h2 id="notes-heading">Notes</h2>\n{rendered}</section>'
    )


def _questions(d: SiteDay) -> str:
    if not d.day.questions:
        return ""
    items = []
    for q in d.day.questions:
        answer = ""
        if q.answer:
            answer = f"\n<details>\n<summary>Answer</summary>\n{markdown(q.answer)}</details>"
        items.append(f"<li><p>{inline(q.prompt)}</p>{answer}</li>")
    joined = "\n".join(items)
    return (
        '<section aria-labelledby="check-heading">\n<h2 id="check-heading">Check yourself</h2>\n'
        f'<ol class="questions">\n{joined}\n</ol>\n</section>'
    )


def pages(data: SiteData) -> dict[str, bytes]:
    """Every file of the site, by name."""
    found = {INDEX: index_page(data), STYLESHEET: site_style.stylesheet().encode("utf-8")}
    for i, d in enumerate(data.days):
        found[d.page] = day_page(data, i)
    return found
