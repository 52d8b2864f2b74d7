"""The bundled plan's content: structure checks for every complete day.

Structure is not quality; this guards against regressions (a lost reading, a diagram too wide
for a terminal, a duplicated LeetCode problem, placeholder text)."""

import re
from collections import Counter

import pytest

from eng28.plan import bundled_plan_path, load_plan

PLAN_PATH = bundled_plan_path()
PLAN = load_plan(PLAN_PATH)
COMPLETE = [d for d in PLAN.days if d.complete]
OUTLINE_TRACKS = {1: "ai", 2: "de", 3: "ml", 4: "sd", 5: "oop"}


def notes_of(day) -> str:
    return (PLAN_PATH.parent / day.notes).read_text(encoding="utf-8")


def test_every_day_of_the_bundled_plan_is_complete():
    assert [d.number for d in COMPLETE] == list(range(1, 29))


def test_tracks_rotate_as_in_the_outline_for_the_first_weeks():
    for day in PLAN.days[:22]:
        assert day.track == OUTLINE_TRACKS[(day.number - 1) % 5 + 1]


@pytest.mark.parametrize("day", COMPLETE, ids=lambda d: f"day{d.number:02d}")
def test_day_structure(day):
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", day.summary)) <= 4
    assert len(day.readings) == 3
    assert 4 <= len(day.exercise.steps) <= 8 and 60 <= day.exercise.minutes <= 120
    assert day.exercise.stretch
    lc = day.leetcode
    expected_slug = re.sub(r"[^a-z0-9]+", "-", lc.title.lower()).strip("-")
    assert lc.url == f"https://leetcode.com/problems/{expected_slug}/"
    assert lc.why
    assert day.notes == f"notes/{day.number:02d}-{day.slug}.md"
    text = notes_of(day)
    assert text.startswith(f"# Day {day.number:02d} — ")
    assert 900 <= len(text.split()) <= 1400
    diagrams = re.findall(r"```text\n(.*?)```", text, re.S)
    assert diagrams, "needs at least one ```text diagram"
    for block in diagrams:
        assert max(len(line) for line in block.splitlines()) <= 78
    check = re.search(r"^## Check yourself\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert check and 3 <= len(re.findall(r"^- ", check.group(1), re.M)) <= 5
    blob = " ".join([text, day.summary, day.reflection_prompt, day.exercise.deliverable])
    assert not re.search(r"\b(TODO|TBD|lorem|placeholder|coming soon)\b", blob, re.I)


def test_no_leetcode_problem_or_reading_appears_twice():
    numbers = Counter(d.leetcode.number for d in COMPLETE)
    assert [n for n, c in numbers.items() if c > 1] == []
    urls = Counter(
        re.sub(r"^https?://(www\.)?", "", u).rstrip("/")
        for d in COMPLETE
        for u in [d.video.url, *(r.url for r in d.readings)]
    )
    assert [u for u, c in urls.items() if c > 1] == []


@pytest.mark.parametrize("day", PLAN.days, ids=lambda d: f"day{d.number:02d}")
def test_each_day_holds_its_five_check_yourself_questions_answered(day):
    from eng28.models import word_count
    from eng28.plan import check_questions

    assert len(day.questions) == 5
    ids = [q.id for q in day.questions]
    assert len(set(ids)) == len(ids)
    assert [q.prompt for q in day.questions] == check_questions(notes_of(day))
    for q in day.questions:
        assert q.answer and word_count(q.answer) <= 120, q.id
