"""eng28 publish: the static site, its links, its privacy, its bytes; share/unshare; and the day
page that `notes --browser` opens."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import webbrowser
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eng28.merge import merge_plans
from eng28.models import PlanState, Share
from tests.conftest import setup

SECRET = "Quixotic zebracorn backpressure epiphany"


class Page(HTMLParser):
    """What a test needs of a page: its links, its resources, its headings."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.resources: list[str] = []  # src of anything, href of a stylesheet link
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and "href" in values:
            self.hrefs.append(values["href"])
        if "src" in values:
            self.resources.append(values["src"])
        if tag == "link":
            self.resources.append(values.get("href", ""))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = tag, ""

    def handle_data(self, data):
        if self._heading:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._heading:
            self.headings.append((tag, " ".join(self._text.split())))
            self._heading = None


def pages_of(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.glob("*.html"))}


@pytest.fixture
def site(tmp_path, run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", SECRET, now="2026-12-01T20:00")
    setup(run, "review", "1", "--rating", "good", "-m", "follow-up marmalade", now="2026-12-02")
    return tmp_path / "site"


def test_the_site_has_an_index_a_page_per_day_and_one_stylesheet(run, site):
    result = run("publish", str(site), now="2026-12-02")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in site.iterdir())
    assert names == ["day-01.html", "day-02.html", "day-03.html", "index.html", "style.css"]
    assert f"Published 5 files to {site}" in result.stdout
    index = Page((site / "index.html").read_text())
    assert ("h1", "Mini Plan") in index.headings
    assert [h for _, h in index.headings[1:]] == [
        "Progress",
        "Study activity",
        "Retention by track",
        "Days",
    ]
    text = (site / "index.html").read_text()
    assert "1 of 3 days done (33%)" in text and '<progress aria-labelledby="progress-label"' in text
    assert '<svg role="img"' in text and "<desc" in text and ">Mon</text>" in text
    assert ">Dec</text>" in text and "Less</text>" in text and "Study activity as a table" in text
    day = Page((site / "day-01.html").read_text())
    assert day.headings[0] == ("h1", "Day 01: Queues and Back-Pressure")
    headings = [h for _, h in day.headings]
    assert "Notes" in headings and "Check yourself" in headings
    assert headings.count("Check yourself") == 1  # the notes' own list gives way to the plan's
    assert "https://example.org/queues-talk" in day.hrefs
    assert "https://leetcode.com/problems/design-circular-queue/" in day.hrefs
    body = (site / "day-01.html").read_text()
    assert '<pre class="diagram"><code>producer --&gt; [ queue ] --&gt; consumer' in body
    assert "<summary>Answer</summary>" in body and "The producer blocks" in body
    assert 'rel="next" href="day-02.html"' in body and 'rel="prev"' not in body
    assert 'rel="prev" href="day-02.html"' in (site / "day-03.html").read_text()
    css = (site / "style.css").read_text()
    assert "@media print" in css and ".highlight .k" in css and "white-space: pre;" in css


def test_every_local_link_resolves_and_nothing_comes_from_the_network(run, site):
    setup(run, "publish", str(site), now="2026-12-02")
    for name, text in pages_of(site).items():
        page = Page(text)
        assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
        for href in page.hrefs:
            if href.startswith(("http://", "https://")):
                continue
            target = href.partition("#")[0]
            if target:
                assert (site / target).is_file(), f"{name}: {href} does not resolve"
            else:
                assert f'id="{href[1:]}"' in text, f"{name}: no anchor {href}"
        assert page.resources == ["style.css"], name
    css = (site / "style.css").read_text()
    assert "url(" not in css and "@import" not in css and not re.search(r"https?://", css)


def test_own_text_is_private_by_default(run, site):
    result = run("publish", str(site), now="2026-12-02")
    assert "None of your own text is included" in result.stdout
    everything = "".join(pages_of(site).values())
    for word in ("Quixotic", "zebracorn", "epiphany", "marmalade"):
        assert word not in everything


def test_include_reflections_and_share_put_it_in(run, site, tmp_path):
    result = run("publish", str(site), "--include-reflections", now="2026-12-02")
    assert "Your own text is on the page of 1 day: 1." in result.stdout
    page = (site / "day-01.html").read_text()
    assert SECRET in page and "follow-up marmalade" in page and "My reflection" in page
    assert "zebracorn" not in (site / "day-02.html").read_text()

    shared = tmp_path / "shared"
    assert "Shared day 01" in run("share", "1", now="2026-12-02").stdout
    setup(run, "publish", str(shared), now="2026-12-02")
    assert SECRET in (shared / "day-01.html").read_text()
    assert "reflection</span>" in (shared / "index.html").read_text()
    assert "Unshared day 01" in run("unshare", "1", now="2026-12-02").stdout
    setup(run, "publish", str(shared), now="2026-12-02")
    assert "zebracorn" not in "".join(pages_of(shared).values())
    assert "Not shared: day 02" in run("unshare", "2", now="2026-12-02").stdout
    assert "no reflection yet" in run("share", "2", now="2026-12-02").stdout


def test_two_runs_write_identical_bytes(run, site, tmp_path):
    other = tmp_path / "other"
    setup(run, "publish", str(site), now="2026-12-02T08:00")
    setup(run, "publish", str(other), now="2026-12-02T21:00")
    for path in sorted(site.iterdir()):
        assert path.read_bytes() == (other / path.name).read_bytes(), path.name
    again = run("publish", str(site), now="2026-12-02T22:00")
    assert "(0 written, 5 unchanged)" in again.stdout


def test_the_dry_run_lists_every_file_and_the_own_text_of_each_day(run, site):
    result = run("publish", str(site), "--dry-run", now="2026-12-02")
    assert result.exit_code == 0, result.output
    assert not site.exists()
    lines = result.stdout.splitlines()
    assert lines[0] == f"Dry run: nothing written. These files would go to {site}:"
    assert lines[1:6] == [
        "  index.html",
        "  style.css",
        "  day-01.html  your own text: left out",
        "  day-02.html  your own text: none written",
        "  day-03.html  your own text: none written",
    ]
    setup(run, "share", "1", now="2026-12-02")
    shared = run("publish", str(site), "-n", now="2026-12-02").stdout
    assert "  day-01.html  your own text: included (shared)" in shared
    flagged = run("publish", str(site), "-n", "--include-reflections", now="2026-12-02").stdout
    assert "day-02.html  your own text: none written" in flagged


def test_the_site_is_never_written_into_the_sync_repository(run, site, home):
    for target in (home / "sync", home / "sync" / "site"):
        result = run("publish", str(target), now="2026-12-02")
        assert result.exit_code == 1
        assert "inside eng28's sync repository" in result.stderr
        assert not target.exists()
    (site.parent / "a-file").write_text("x")
    assert "is not a folder" in run("publish", str(site.parent / "a-file")).stderr


def test_plan_content_is_escaped_and_only_web_links_become_links(run, mini_plan, tmp_path):
    plan = mini_plan.read_text()
    plan = plan.replace('title = "Mini Plan"', 'title = "Mini <script>alert(1)</script> Plan"')
    plan = plan.replace('title = "Queue Paper"', 'title = "Queue \\" onmouseover=\\"alert(2)"')
    plan = plan.replace('"Write a producer"', '"Write a <b>producer</b> & __init__"')
    mini_plan.write_text(plan)
    notes = mini_plan.parent / "notes" / "01-queues.md"
    extra = (
        "<img src=x onerror=alert(3)>\n\n[click](javascript:alert(4)) [local](../plan.toml) "
        "[web](https://example.org/ok)\n\n![pixel](https://example.org/p.png)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f():\n    return 1\n```\n\n"
    )
    notes.write_text(notes.read_text().replace("## Check yourself", extra + "## Check yourself"))
    setup(run, "config", "plan", str(mini_plan))
    setup(run, "start", "2026-12-01")
    site = tmp_path / "site"
    setup(run, "publish", str(site))
    index = (site / "index.html").read_text()
    assert "<script>" not in index and "Mini &lt;script&gt;alert(1)&lt;/script&gt; Plan" in index
    page = (site / "day-01.html").read_text()
    parsed = Page(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "b" not in parsed.tags
    assert "Queue &quot; onmouseover=&quot;alert(2)" in page
    assert "Write a &lt;b&gt;producer&lt;/b&gt; &amp; __init__" in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page
    assert [h for h in parsed.hrefs if "example.org/ok" in h] == ["https://example.org/ok"]
    assert not [h for h in parsed.hrefs if "javascript" in h or "plan.toml" in h]
    assert '!<a href="https://example.org/p.png">pixel</a>' in page  # a link, never loaded
    assert "[click](javascript:alert(4))" in page
    assert '<div class="scroll"><table>' in page and "<td>1</td>" in page
    assert '<pre class="highlight"><code><span class="k">def</span>' in page


def test_base_url_prefixes_every_link(run, site):
    setup(run, "publish", str(site), "--base-url", "/eng28", now="2026-12-02")
    page = Page((site / "day-02.html").read_text())
    local = [h for h in page.hrefs if not h.startswith(("https://", "#"))]
    assert local and all(h.startswith("/eng28/") for h in local)
    assert page.resources == ["/eng28/style.css"]
    bad = run("publish", str(site), "--base-url", "javascript:alert(1)")
    assert bad.exit_code == 2 and "invalid --base-url" in bad.stderr


@pytest.fixture
def browser(tmp_path, monkeypatch):
    log = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


def test_notes_in_the_browser_open_the_day_page_of_a_site_in_the_cache(run, site, home, browser):
    result = run("notes", "2", "--browser", now="2026-12-02")
    assert result.exit_code == 0, result.output
    page = home / "site" / "day-02.html"
    assert browser.read_text().split() == [page.as_uri()]
    assert "Day 02: Interfaces" in page.read_text()
    assert "zebracorn" not in (home / "site" / "day-01.html").read_text()
    setup(run, "open", "1", "notes", now="2026-12-02")
    assert browser.read_text().split()[-1] == (home / "site" / "day-01.html").as_uri()
    assert "out of range" in run("notes", "9", "--browser").stderr


def test_a_later_unshare_wins_a_merge_and_an_older_one_loses():
    early, late = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
    shared = PlanState(shared={5: Share(shared=True, at=early)})
    unshared = PlanState(shared={5: Share(shared=False, at=late)})
    assert merge_plans(shared, unshared).shared_days() == set()
    assert merge_plans(unshared, shared).shared_days() == set()
    reshared = PlanState(shared={5: Share(shared=True, at=late)})
    assert merge_plans(reshared, PlanState(shared={5: Share(shared=False, at=early)})).shared_days()
    tie = PlanState(shared={5: Share(shared=False, at=late)})
    assert merge_plans(reshared, tie).shared_days() == set()  # a tie keeps it private


def test_a_state_that_never_shared_is_written_as_before(run, site, home):
    assert "shared" not in (home / "state.toml").read_text().replace("never_shared", "")
    setup(run, "share", "1", now="2026-12-02")
    assert ".shared.1]" in (home / "state.toml").read_text()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless(*args: str) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, "--headless", "--disable-gpu", "--no-first-run", *args]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # chromium refuses to run as root with its sandbox
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_real_browser_reads_the_pages_from_file_urls(run, site, tmp_path):
    setup(run, "publish", str(site), now="2026-12-02")
    index = headless("--dump-dom", (site / "index.html").as_uri())
    assert index.returncode == 0, index.stderr
    dom = Page(index.stdout)
    assert ("h1", "Mini Plan") in dom.headings and ("h2", "Study activity") in dom.headings
    day = Page(headless("--dump-dom", (site / "day-01.html").as_uri()).stdout)
    assert ("h1", "Day 01: Queues and Back-Pressure") in day.headings
    assert ("h2", "Check yourself") in day.headings
    for name in ("index", "day-01"):
        shot = tmp_path / f"{name}.png"
        done = headless(
            f"--screenshot={shot}", "--window-size=1000,1400", (site / f"{name}.html").as_uri()
        )
        assert done.returncode == 0, done.stderr
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_the_index_shows_the_parts_of_each_day(run, site):
    setup(run, "tick", "1", "video", "r2", now="2026-12-02")
    assert run("publish", str(site), now="2026-12-02").exit_code == 0
    text = (site / "index.html").read_text()
    assert '<th scope="col">Parts done</th>' in text
    assert 'aria-label="3 of 7 parts done: video, reading 2, reflection">●○●○○○●</span>' in text
    assert 'aria-label="0 of 7 parts done">○○○○○○○</span>' in text  # day 2


def test_the_index_charts_retention_per_track_with_words(run, site):
    assert run("publish", str(site), now="2026-12-02").exit_code == 0
    text = (site / "index.html").read_text()
    assert ("h2", "Retention by track") in Page(text).headings
    # The site fixture rated day 1's reflection Good: one review, 100 % not rated Again.
    track = json.loads(run("show", "1", "--json").stdout)["track"]
    assert (
        f"{track}"
        in json.loads(run("stats", "--json", now="2026-12-02").stdout)["retention_by_track"]
    )
    assert '<desc id="retention-desc">Share of reviews not rated Again.' in text
    assert ": 100% of 1 review." in text and "Retention as a table" in text
