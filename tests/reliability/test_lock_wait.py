"""A writer that finds the state's lock taken says so, gives up with one line at the timeout,
goes on as soon as the holder lets go (or dies), and stops on Ctrl-C, changing nothing."""

import signal
import subprocess
import sys

import pytest

from tests.helpers import nothing_recorded, state_file

try:
    import fcntl  # noqa: F401 - only to know whether flock exists here
except ImportError:
    HAS_FLOCK = False
else:
    HAS_FLOCK = True

#: Another process holding the lock until a line arrives on its stdin: another eng28, or a
#: plain flock as eng28 took it before filelock (an older eng28 still running).
HOLDERS = {
    "eng28": (
        "import sys\n"
        "from pathlib import Path\n"
        "from eng28.store import locked\n"
        "with locked(Path(sys.argv[1])):\n"
        "    print('held', flush=True)\n"
        "    sys.stdin.readline()\n"
    ),
    "flock": (
        "import fcntl, sys\n"
        "with open(sys.argv[1] + '.lock', 'w') as lock:\n"
        "    fcntl.flock(lock, fcntl.LOCK_EX)\n"
        "    print('held', flush=True)\n"
        "    sys.stdin.readline()\n"
    ),
}


def waiting_line(home):
    return f"waiting: another eng28 (or a sync) holds the lock on {home / 'state.toml.lock'}…\n"


def days(home):
    plans = state_file(home / "state.toml").get("plans", {})
    return next(iter(plans.values()), {}).get("days", {})


@pytest.fixture
def hold(home):
    """hold(kind) starts a process that holds the state's lock; it lets go when it is sent a
    line, or dies."""
    holders = []

    def start(kind="eng28"):
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDERS[kind], str(home / "state.toml")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(proc)
        assert proc.stdout.readline() == "held\n"
        return proc

    yield start
    for proc in holders:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.fixture
def started(run):
    run("start", "2026-12-01")


@pytest.mark.parametrize(
    "kind",
    [
        "eng28",
        pytest.param(
            "flock", marks=pytest.mark.skipif(not HAS_FLOCK, reason="needs fcntl.flock (POSIX)")
        ),
    ],
)
def test_a_held_lock_is_announced_and_times_out_with_one_line(started, home, spawn, hold, kind):
    hold(kind)
    child = spawn("done", "1", "-m", "blocked thoughts", env={"ENG28_LOCK_TIMEOUT": "2"})
    out, err = child.communicate(timeout=60)
    lock = home / "state.toml.lock"
    assert child.returncode == 1
    assert err == waiting_line(home) + (
        f"error: {lock}: another eng28 (or a sync) has held the lock for 2 s; nothing was "
        "changed, try again\n"
    )
    assert out == ""
    assert nothing_recorded(home)


def test_the_writer_goes_on_when_the_holder_lets_go(started, home, spawn, hold):
    holder = hold()
    child = spawn("done", "1", "-m", "patient thoughts", env={"ENG28_LOCK_TIMEOUT": "60"})
    assert child.stderr.readline() == waiting_line(home)
    holder.communicate("\n", timeout=30)  # lets go and ends
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert err == ""
    assert "Marked done: day 01" in out
    assert days(home)["1"]["reflection"] == "patient thoughts"


@pytest.mark.skipif(
    not HAS_FLOCK, reason="relies on flock: the kernel drops a killed holder's lock"
)
def test_the_writer_goes_on_when_the_holder_is_killed(started, home, spawn, hold):
    holder = hold()
    child = spawn("done", "1", "-m", "after the crash", env={"ENG28_LOCK_TIMEOUT": "60"})
    assert child.stderr.readline() == waiting_line(home)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert days(home)["1"]["reflection"] == "after the crash"


def test_ctrl_c_while_waiting_stops_and_changes_nothing(started, home, spawn, hold):
    holder = hold()
    child = spawn("done", "1", "-m", "never mind", env={"ENG28_LOCK_TIMEOUT": "60"})
    assert child.stderr.readline() == waiting_line(home)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err == "interrupted\n"
    assert nothing_recorded(home)
    assert holder.poll() is None  # the holder's lock was never touched
