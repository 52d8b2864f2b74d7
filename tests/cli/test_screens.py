"""Screens that fit: the brief card, the width cap, no trailing whitespace when piped."""

import re

from tests.conftest import setup

URL = re.compile(r"https?://\S+")


def test_today_brief_is_at_most_15_lines_at_80_columns_with_whole_links(run):
    from eng28.plan import bundled_plan_path, load_plan

    plan = load_plan(bundled_plan_path())
    setup(run, "start", "2026-12-01")
    for day in plan.days:
        out = run("today", "--brief", now=f"2026-12-{day.number:02d}", env={"COLUMNS": "80"})
        lines = out.stdout.splitlines()
        assert len(lines) <= 15, (day.number, lines)
        assert lines[0].startswith(f"Day {day.number:02d} of 28")
        urls = {m.group(0) for m in URL.finditer(out.stdout)}
        expected = {day.video.url, *(r.url for r in day.readings), day.leetcode.url}
        assert urls == expected, day.number


def test_piped_output_is_capped_at_100_columns_with_no_trailing_whitespace(run):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "a reflection")
    for args in (["plan"], ["today"], ["stats"], ["review", "--list"], ["show", "3"]):
        out = run(*args, env={"COLUMNS": "200"}).stdout
        lines = out.splitlines()
        assert lines, args
        wide = [line for line in lines if len(line) > 100 and not URL.fullmatch(line.strip())]
        assert wide == [], args  # a URL is never split, so only a URL may run past
        assert [line for line in lines if line != line.rstrip()] == [], args


def test_stats_speaks_in_words_and_labels_its_heatmap(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x")
    out = run("stats").stdout
    assert "Streak    current 1 study day · longest 1 study day" in out
    lines = out.splitlines()
    heading = lines.index("Activity (days done + reviews, one column a week)")
    months = lines[heading + 1]
    assert months.split() == ["Sep", "Oct", "Nov"]
    # Each month's name stands over the column of the first week that starts in it.
    mondays = lines[heading + 2]
    assert mondays.startswith("  Mon ")
    assert months.index("Oct") == 6 + 2 * 3  # the week of Monday 5 October
    assert "less · ░ ▒ ▓ █ more" in lines[heading + 9]


def test_links_are_hyperlinks_where_the_terminal_shows_styles(run, use_mini):
    setup(run, "start", "2026-12-01")
    styled = run("today", env={"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert "\x1b]8;" in styled.stdout and "https://example.org/queue-paper" in styled.stdout
    plain = run("today")
    assert "\x1b" not in plain.stdout and "    https://example.org/queue-paper" in plain.stdout


def test_a_track_colour_rich_does_not_know_draws_the_tables_without_it(run, use_mini):
    text = use_mini.read_text()
    assert 'colour = "' in text
    use_mini.write_text(re.sub(r'colour = "[^"]*"', 'colour = "nosuchcolour"', text, count=1))
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T20:00")
    colour = {"NO_COLOR": "", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    for words in (["plan"], ["review", "--list"]):
        result = run(*words, now="2026-12-02T09:00", env=colour)
        assert result.exit_code == 0, result.output
        assert "\x1b[" in result.stdout and "error" not in result.stderr
