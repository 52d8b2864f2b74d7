"""Pieces of the published site drawn on their own: the calendar's month names, the notes."""

from datetime import date, timedelta

from eng28.render.site import markdown, month_labels


def labels(first: date, last: date) -> list[tuple[int, str]]:
    return month_labels(first, last, first - timedelta(days=first.weekday()))


def test_each_month_is_named_over_the_week_of_its_first_day():
    year = labels(date(2026, 12, 1), date(2027, 11, 30))
    assert [name for _, name in year][:3] == ["Dec", "Jan", "Feb"] and len(year) == 12
    assert all(b - a >= 3 for (a, _), (b, _) in zip(year, year[1:], strict=False))


def test_a_first_column_too_close_to_the_next_month_stays_unnamed():
    assert labels(date(2026, 12, 20), date(2027, 2, 10)) == [(2, "Jan"), (7, "Feb")]
    assert labels(date(2026, 12, 2), date(2026, 12, 28)) == [(0, "Dec")]


def test_notes_headings_move_one_level_down_and_the_title_and_a_section_can_go():
    text = "# Day 1\n\nIntro\n\n## Part\n\nx\n\n## Check yourself\n\n- q?\n\n## After\n\ny\n"
    html = markdown(text, drop_title=True, cut="Check yourself")
    assert "<h1>" not in html and "Day 1" not in html
    assert "<h3>Part</h3>" in html and "<h3>After</h3>" in html and "q?" not in html
    assert markdown("<b>raw</b>") == "<p>&lt;b&gt;raw&lt;/b&gt;</p>\n"
    assert '<pre class="diagram"><code>a  -&gt;  b\n</code></pre>' in markdown("```\na  ->  b\n```")
    assert '<pre class="diagram">' in markdown("```no-such-language\nx\n```")
