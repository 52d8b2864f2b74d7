"""The one stylesheet of the published site: screen, print and the code highlighting.

Every pair of text and background colours used is listed in CONTRAST_PAIRS, and a test holds
each to WCAG AA (4.5:1 for text; 3:1 for the progress bar against its track).
"""

from __future__ import annotations

#: Pygments' "xcode" style: every token colour keeps 4.5:1 against the code background.
CODE_STYLE = "xcode"
CODE_BACKGROUND = "#f6f8fa"

FG = "#1b1f24"
BG = "#ffffff"
MUTED = "#4b5563"
LINK = "#0b57d0"
VISITED = "#6b21a8"
RULE = "#d0d7de"
ACCENT = "#15803d"
TRACK = "#e5e7eb"

#: status -> (text, background) of its badge
BADGES = {
    "done": ("#14532d", "#dcfce7"),
    "today": ("#1e3a8a", "#dbeafe"),
    "missed": ("#7f1d1d", "#fee2e2"),
    "upcoming": ("#374151", "#f3f4f6"),
    "skipped": ("#713f12", "#fef9c3"),
}

#: Heatmap cells, none to most activity (the SVG has a text alternative; colour is never the
#: only way the counts are told).
HEAT = ("#eef0f3", "#aceebb", "#4ac26b", "#2da44e", "#116329")

#: A track's colour in the plan (rich's names) as a dark stripe beside a day's title.
TRACK_COLOURS = {
    "red": "#b91c1c",
    "green": "#15803d",
    "yellow": "#a16207",
    "blue": "#1d4ed8",
    "magenta": "#a21caf",
    "cyan": "#0e7490",
}

#: (text, background, minimum ratio) for the contrast test.
CONTRAST_PAIRS: list[tuple[str, str, float]] = [
    (FG, BG, 4.5),
    (MUTED, BG, 4.5),
    (LINK, BG, 4.5),
    (VISITED, BG, 4.5),
    (FG, CODE_BACKGROUND, 4.5),
    (MUTED, CODE_BACKGROUND, 4.5),
    (ACCENT, TRACK, 3.0),
    *((text, back, 4.5) for text, back in BADGES.values()),
]


def track_colour(name: str) -> str:
    return TRACK_COLOURS.get(name.removeprefix("bright_"), MUTED)


_SCREEN = """\
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0; color: FG; background: BG;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  line-height: 1.6;
}
.page { max-width: 50rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
a { color: LINK; text-underline-offset: 0.15em; }
a:visited { color: VISITED; }
a:focus-visible, summary:focus-visible { outline: 3px solid LINK; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; }
.skip:focus { left: 1rem; top: 1rem; background: BG; padding: 0.5rem 1rem; z-index: 1; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0.5em; }
h2 { font-size: 1.5rem; border-bottom: 1px solid RULE; padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
h4 { font-size: 1.05rem; }
.muted, .meta, figcaption, caption { color: MUTED; }
.day-nav { display: grid; grid-template-columns: 1fr auto 1fr; gap: 0.5rem 1.5rem;
  align-items: start; padding: 0.5rem 0; border-bottom: 1px solid RULE; }
.day-nav [rel="next"] { text-align: right; }
.day-nav.bottom { border-bottom: 0; border-top: 1px solid RULE; margin-top: 2rem; }
.day-title { border-left: 0.4rem solid var(--track, MUTED); padding-left: 0.75rem; }
.badge { display: inline-block; padding: 0 0.5em; border-radius: 0.75em; font-size: 0.9em;
  white-space: nowrap; }
BADGES
progress { width: 100%; height: 1.25rem; appearance: none; border: 0; border-radius: 0.3rem;
  background: TRACK; color: ACCENT; }
progress::-webkit-progress-bar { background: TRACK; border-radius: 0.3rem; }
progress::-webkit-progress-value { background: ACCENT; border-radius: 0.3rem; }
progress::-moz-progress-bar { background: ACCENT; border-radius: 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; padding-bottom: 0.25rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem;
  border-bottom: 1px solid RULE; }
th { font-weight: 600; }
td.date { white-space: nowrap; }
.scroll { overflow-x: auto; }
.heatmap { overflow-x: auto; margin: 1rem 0; }
.heatmap svg { display: block; font-size: 10px; }
.heatmap text { fill: MUTED; }
.heatmap rect.cell { stroke: RULE; stroke-width: 1; }
.retention svg { display: block; max-width: 100%; height: auto; }
.retention text { fill: FG; font-size: 14px; }
rect.track-bar { fill: #eef0f3; stroke: RULE; }
rect.retention-bar { fill: #116329; }
HEAT
code, pre, kbd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas,
  "Liberation Mono", monospace; font-size: 0.9em; }
:not(pre) > code { background: CODE; padding: 0.1em 0.3em; border-radius: 0.25em; }
pre { background: CODE; color: FG; padding: 0.75rem 1rem; border-radius: 0.4rem;
  overflow-x: auto; white-space: pre; word-wrap: normal; overflow-wrap: normal;
  line-height: 1.4; tab-size: 4; }
pre.diagram { line-height: 1.25; }
blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 0.3rem solid RULE; }
.own-text { white-space: pre-wrap; }
ol.steps li, ol.readings li { margin-bottom: 0.35rem; }
details { margin: 0.25rem 0 0.75rem; }
summary { cursor: pointer; color: LINK; }
.questions > li { margin-bottom: 0.75rem; }
footer { margin-top: 3rem; color: MUTED; font-size: 0.9rem; }
"""

_PRINT = """\
@media print {
  body { color: #000; background: #fff; font-size: 11pt; line-height: 1.45; }
  .page { max-width: none; padding: 0; }
  .skip, .day-nav { display: none; }
  a, a:visited { color: #000; }
  .card a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em;
    word-break: break-all; }
  h1, h2, h3, h4 { break-after: avoid; }
  pre, table, figure, blockquote, li { break-inside: avoid; }
  pre { white-space: pre; overflow: visible; font-size: 8pt; border: 1px solid #999;
    background: #fff; }
  .heatmap, .badge, progress, .day-title { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
  details > :not(summary) { display: block; }
}
"""


def stylesheet() -> str:
    """The stylesheet's text: the same bytes for the same eng28 and Pygments."""
    from pygments.formatters import HtmlFormatter

    badges = "\n".join(
        f".badge.{status} {{ color: {text}; background: {back}; }}"
        for status, (text, back) in BADGES.items()
    )
    heat = "\n".join(f".heatmap .l{i} {{ fill: {colour}; }}" for i, colour in enumerate(HEAT))
    screen = _SCREEN.replace("BADGES", badges).replace("HEAT\n", heat + "\n")
    for name, value in (
        ("VISITED", VISITED),
        ("MUTED", MUTED),
        ("ACCENT", ACCENT),
        ("TRACK", TRACK),
        ("LINK", LINK),
        ("RULE", RULE),
        ("CODE", CODE_BACKGROUND),
        ("FG", FG),
        ("BG", BG),
    ):
        screen = screen.replace(name, value)
    code = HtmlFormatter(style=CODE_STYLE).get_style_defs(".highlight")
    # The code blocks keep the page's own background and colours; only the tokens are styled.
    code = "\n".join(
        line for line in code.splitlines() if not line.startswith((".highlight {", "pre {"))
    )
    return f"/* eng28 site */\n{screen}\n/* code: Pygments {CODE_STYLE} */\n{code}\n{_PRINT}"
