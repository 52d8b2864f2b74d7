"""Terminal prompts of `done` and `start`, driven through a real pseudo-terminal."""

import tomllib

from tests.conftest import setup
from tests.helpers import finish, plan_state, spawn_eng28


def spawn(*args, now="2026-12-01T20:00"):
    return spawn_eng28(*args, now=now)


def test_done_asks_for_the_reflection_on_a_terminal(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    child = spawn("done")
    child.expect("Reflect: Where would a bounded queue have saved you an outage\\?")
    child.expect("finish with Ctrl-D on an empty line")
    child.sendline("The nightly import filled the disk.")
    child.sendline("")
    child.sendline("A bounded queue would have pushed back.")
    child.sendline("")
    child.sendeof()
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    day = plan_state(home)["days"]["1"]
    assert day["reflection"] == (
        "The nightly import filled the disk.\n\nA bounded queue would have pushed back."
    )


def test_reset_names_what_it_takes_and_asks_on_a_terminal(run, home, use_mini):
    assert run("start", "2026-11-30").exit_code == 0
    assert run("done", "1", "-m", "keep").exit_code == 0
    child = spawn("reset")
    child.expect("Reset the plan\\? 1 done day becomes open; 4 review cards go; the start date")
    child.sendline("n")
    child.expect("aborted")
    assert finish(child) == 1
    assert str(plan_state(home)["start"]) == "2026-11-30"
    child = spawn("reset")
    child.expect("Reset the plan")
    child.sendline("y")
    child.expect("The plan is reset")
    assert finish(child) == 0
    state = plan_state(home)
    assert state["days"]["1"]["done"] is False and state["days"]["1"]["reflection"] == "keep"
    assert "start" not in plan_state(home)  # the start is unset
    assert "start" not in tomllib.loads((home / "config.toml").read_text())
