"""The interactive review session, driven through a real pseudo-terminal."""

import pexpect
import pytest

from tests.conftest import setup
from tests.helpers import finish, plan_state, spawn_eng28


@pytest.fixture
def session(run, use_mini_reflections):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "protocols over classes", now="2026-12-02T09:00")

    def spawn(now="2026-12-03T10:00"):
        return spawn_eng28("review", now=now)

    return spawn


def reviews(home):
    return plan_state(home)["reviews"]


def test_reveal_rate_note_and_quit_keeps_ratings(session, home):
    child = session()
    child.expect("2 reviews due")
    child.expect("Review 1 of 2")
    child.expect("Day 01 — Queues and Back-Pressure")
    child.expect("Reflect: Where would a bounded queue have saved you an outage\\?")
    child.expect("press Enter to reveal")
    assert "queues are buffers" not in child.before
    child.sendline("")
    child.expect("queues are buffers")
    child.expect("Check yourself")
    child.expect("What happens when the queue is full\\?")
    child.expect("Rate:")
    child.sendline("g")
    child.expect("Follow-up note")
    child.sendline("bounded beats unbounded")
    child.expect("Saved good. Next review Saturday 5 Dec 2026 \\(in 2 days\\)")
    child.expect("Review 2 of 2")
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("protocols over classes")
    child.expect("Rate:")
    child.sendline("x")
    child.expect("Type 1-4 or a/h/g/e.")
    child.sendline("q")
    child.expect("Reviewed 1 of 2: good 1.")
    child.expect("1 still due")
    assert finish(child) == 0
    (entry,) = reviews(home)
    assert entry["card_id"] == 1 and entry["rating"] == 3
    assert entry["note"] == "bounded beats unbounded"
    assert entry["review_duration"] >= 0


def test_ctrl_c_and_eof_never_lose_a_rating(session, home):
    child = session()
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Rate:")
    child.sendline("1")
    child.expect("Follow-up note")
    child.sendintr()
    child.expect("Reviewed 1 of 2: again 1.")
    child.expect(pexpect.EOF)
    child.close()
    assert [e["rating"] for e in reviews(home)] == [1]
    # The next session starts with what is still due; end of input quits cleanly.
    child = session()
    child.expect("Review 1 of 1")
    child.expect("Day 02 — Interfaces")
    child.expect("press Enter to reveal")
    child.sendeof()
    child.expect("Reviewed 0 of 1.")
    assert finish(child) == 0
    assert len(reviews(home)) == 1


def test_earlier_follow_up_notes_are_shown(session, run, home):
    setup(run, "review", "1", "--rating", "hard", "-m", "first follow-up", now="2026-12-02T22:00")
    child = session(now="2026-12-05T10:00")
    child.expect("Review 1 of 2")
    child.expect("Day 02 — Interfaces")  # due earlier, so reviewed first
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Rate:")
    child.sendline("e")
    child.expect("Follow-up note")
    child.sendline("")
    child.expect("Review 2 of 2")
    child.expect("Day 01")
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Follow-up 2026-12-02: first follow-up")
    child.expect("Rate:")
    child.sendline("q")
    child.expect("Reviewed 1 of 2: easy 1.")
    child.expect(pexpect.EOF)


def test_a_question_card_shows_its_prompt_then_the_answer_key_and_its_source(run, use_mini, home):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    child = spawn_eng28("review", now="2026-12-02T10:00")
    child.expect("4 reviews due")
    child.expect("Review 1 of 4")
    child.expect("Day 01 — Queues and Back-Pressure")  # the reflection first
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Rate:")
    child.sendline("g")
    child.expect("Follow-up note")
    child.sendline("")
    child.expect("Review 2 of 4")
    child.expect("question")
    child.expect("Q: What is back-pressure\\?")
    child.expect("press Enter to reveal")
    assert "slowing its producer" not in child.before
    child.sendline("")
    child.expect("Answer key")
    child.expect("A consumer slowing its producer down to the pace it can keep.")
    child.expect("From the notes of day 1, Check yourself.")
    child.expect("Rate:")
    child.sendline("again")
    child.expect("Follow-up note")
    child.sendline("mixed it up with rate limiting")
    child.expect("Saved again.")
    child.expect("Review 3 of 4")
    child.sendline("q")
    child.expect("Reviewed 2 of 4: again 1, good 1.")
    assert finish(child) == 0
    entries = reviews(home)
    assert [(e["card"], e["rating"]) for e in entries] == [("1", 3), ("1:back-pressure", 1)]
    assert entries[1]["note"] == "mixed it up with rate limiting"


def test_pass_fail_grading_gives_two_buttons(run, use_mini_reflections, home):
    setup(run, "config", "review_grading", "pass-fail")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "protocols over classes", now="2026-12-02T09:00")
    child = spawn_eng28("review", now="2026-12-03T10:00")
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Did you recall it\\? \\[1\\] forgot  \\[2\\] recalled")
    child.sendline("3")
    child.expect("Type 1 or 2 \\(or f/r\\).")
    child.sendline("2")
    child.expect("Follow-up note")
    child.sendline("")
    child.expect("Saved good.")
    child.expect("Review 2 of 2")
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("forgot")
    child.sendline("f")
    child.expect("Follow-up note")
    child.sendline("q")
    child.expect("Saved again.")
    child.expect("Reviewed 2 of 2: again 1, good 1.")
    assert finish(child) == 0
    assert [e["rating"] for e in reviews(home)] == [3, 1]


def test_a_due_re_solve_shows_the_link_and_pattern_then_logs_the_outcome(run, use_mini, home):
    setup(run, "start", "2026-12-01")
    setup(run, "leetcode", "1", "--solved", "--minutes", "20", "--pattern", "ring buffer",
          now="2026-12-01T19:00")  # fmt: skip
    child = spawn_eng28("review", now="2026-12-20T10:00")
    child.expect("1 review due")
    child.expect("LeetCode re-solve")
    child.expect("Re-solve: 622. Design Circular Queue")
    child.expect("https://leetcode.com/problems/design-circular-queue/")
    child.expect("Your pattern note: ring buffer")
    child.expect("press Enter when you are done")
    child.sendline("")
    child.expect("How did it go\\?")
    child.sendline("2")
    child.expect("Minutes it took")
    child.sendline("25")
    child.expect("Saved hard.")
    child.expect("Reviewed 1 of 1: hard 1.")
    assert finish(child) == 0
    attempts = plan_state(home)["leetcode"]["1"]
    assert attempts[-1]["solved"] is True and attempts[-1]["hint"] is True
    assert attempts[-1]["minutes"] == 25
    assert [e["rating"] for e in reviews(home)] == [3, 2]
