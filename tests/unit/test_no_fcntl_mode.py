"""The no-fcntl test mode (`pytest -p tests.no_fcntl`) really takes fcntl away, and eng28 works
without it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: What `pytest -p tests.no_fcntl` does first, then what eng28 needs, then a child process.
PROBE = """
import subprocess, sys
import tests.no_fcntl
try:
    import fcntl
except ImportError as exc:
    print("fcntl:", exc)
else:
    print("fcntl: imported")
import eng28.cli, eng28.store
print("eng28: imported")
import filelock
print("lock:", filelock.FileLock.__name__)
child = subprocess.run([sys.executable, "-c", "import fcntl"], capture_output=True, text=True)
print("child:", child.returncode, child.stderr.strip().splitlines()[-1])
for args in (["start", "2026-12-01"], ["done", "1", "-m", "without fcntl"]):
    done = subprocess.run([sys.executable, "-m", "eng28", *args], capture_output=True, text=True)
    print(args[0] + ":", done.returncode, repr(done.stderr))
"""


def test_the_mode_blocks_fcntl_here_and_in_children_but_eng28_runs(home):
    # Every eng28 here runs without fcntl: a lock file left by flock would read as a held lock
    # to filelock's soft lock.
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "ENG28_TEST_NO_FCNTL"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "fcntl: No module named 'fcntl' (blocked by tests.no_fcntl)",
        "eng28: imported",
        "lock: SoftFileLock",
        "child: 1 ModuleNotFoundError: No module named 'fcntl' (blocked by tests.no_fcntl)",
        "start: 0 ''",  # nothing on stderr: filelock's soft-lock warning is not shown
        "done: 0 ''",
    ]
    assert "without fcntl" in (home / "state.toml").read_text()


@pytest.mark.skipif(
    not os.environ.get("ENG28_TEST_NO_FCNTL"), reason="only under `pytest -p tests.no_fcntl`"
)
def test_this_run_has_no_fcntl():
    with pytest.raises(ImportError, match="blocked by tests.no_fcntl"):
        import fcntl  # noqa: F401
