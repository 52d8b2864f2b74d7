"""eng28 exercise, eng28 check (once, --json, --watch) and plan validate --checks, on a small
plan whose day 1 has a checkable exercise (a bounded push) built under tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import DATA, setup
from tests.helpers import only_plan, state_file

STARTER = "def push(queue, item, capacity):\n    raise NotImplementedError\n"
SOLUTION = (
    "def push(queue, item, capacity):\n"
    "    if len(queue) >= capacity:\n"
    "        return False\n"
    "    queue.append(item)\n"
    "    return True\n"
)
CHECKS = """from ring import push


def test_push_adds_an_item():
    queue = []
    got = push(queue, 1, 2)
    assert got is True and queue == [1], f"expected True and [1], got {got!r} and {queue!r}"


def test_push_refuses_on_a_full_queue():
    queue = [1, 2]
    got = push(queue, 3, 2)
    assert got is False, f"expected False on a full queue, got {got!r}"
"""
EXPECTED_NAMES = [
    "test_ring.py::test_push_adds_an_item",
    "test_ring.py::test_push_refuses_on_a_full_queue",
]


def checkable_plan(root: Path, requires: str = "[]", starter: str = STARTER) -> Path:
    """The mini plan with a [days.check] on day 1 and its exercise folder."""
    shutil.copytree(DATA / "mini", root)
    plan = root / "plan.toml"
    text = plan.read_text()
    check = f'[days.check]\nfolder = "exercises/01-queues"\nrequires = {requires}\n\n'
    plan.write_text(text.replace("[days.leetcode]\n", check + "[days.leetcode]\n", 1))
    folder = root / "exercises" / "01-queues"
    for part, body in (("starter", starter), ("solution", SOLUTION)):
        (folder / part).mkdir(parents=True)
        (folder / part / "ring.py").write_text(body)
    (folder / "checks").mkdir()
    (folder / "checks" / "test_ring.py").write_text(CHECKS)
    (folder / "README.md").write_text("# A bounded push\n\nRun `eng28 check` in this folder.\n")
    return plan


@pytest.fixture
def plan(tmp_path, run) -> Path:
    path = checkable_plan(tmp_path / "plan")
    setup(run, "config", "plan", str(path))
    return path


def workspace(home: Path) -> Path:
    return home / "workspace" / "01-queues"


def laid_out(run, home: Path, monkeypatch) -> Path:
    setup(run, "exercise", "1")
    folder = workspace(home)
    monkeypatch.chdir(folder)
    return folder


def test_exercise_lays_out_starter_readme_and_checks_but_never_the_solution(run, home, plan):
    result = run("exercise", "1")
    assert result.exit_code == 0, result.output
    folder = workspace(home)
    assert f"Laid out in {folder}" in result.stdout
    assert "edit ring.py" in result.stdout and "eng28 check" in result.stdout
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [".eng28-exercise.json", "README.md", "checks/test_ring.py", "ring.py"]
    assert (folder / "ring.py").read_text() == STARTER
    marker = json.loads((folder / ".eng28-exercise.json").read_text())
    assert marker["day"] == 1 and marker["plan_title"] == "Mini Plan"
    assert set(marker["files"]) == {"README.md", "checks/test_ring.py", "ring.py"}


def test_rerun_refuses_to_overwrite_a_changed_file_and_force_keeps_a_backup(run, home, plan):
    setup(run, "exercise", "1")
    folder = workspace(home)
    assert run("exercise", "1").exit_code == 0  # nothing changed: simply refreshed
    (folder / "ring.py").write_text("# my work\n")
    refused = run("exercise", "1")
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "you changed ring.py" in refused.stderr
    assert (folder / "ring.py").read_text() == "# my work\n"
    forced = run("exercise", "1", "--force")
    assert forced.exit_code == 0, forced.output
    assert (folder / "ring.py").read_text() == STARTER
    assert (folder / "ring.py.bak").read_text() == "# my work\n"
    assert f"kept as {folder / 'ring.py.bak'}" in forced.stdout


def test_dir_puts_the_exercise_where_asked(run, home, plan, tmp_path):
    target = tmp_path / "mine"
    setup(run, "exercise", "1", "--dir", str(target))
    assert (target / "ring.py").is_file() and not workspace(home).exists()


def test_a_day_without_a_check_and_a_symlinked_plan_file_are_refused(run, home, plan):
    no_check = run("exercise", "2")
    assert no_check.exit_code == 1 and "day 2 has no checkable exercise" in no_check.stderr
    starter = plan.parent / "exercises" / "01-queues" / "starter"
    (starter / "ring.py").unlink()
    (starter / "ring.py").symlink_to(home.parent / "secret.txt")
    linked = run("exercise", "1")
    assert linked.exit_code == 1 and "is a symlink" in linked.stderr
    assert not (workspace(home) / "ring.py").exists()


def test_the_card_and_its_json_name_the_check(run, plan):
    assert "Check  eng28 exercise 1, then eng28 check" in run("show", "1").stdout
    assert json.loads(run("show", "1", "--json").stdout)["check"] == {
        "folder": "exercises/01-queues",
        "requires": [],
    }
    assert json.loads(run("show", "2", "--json").stdout)["check"] is None


def test_check_fails_on_the_starter_with_each_check_and_the_first_message(
    run, home, plan, monkeypatch
):
    laid_out(run, home, monkeypatch)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert "✗ test_ring.py::test_push_adds_an_item" in result.stdout
    assert "First failure: test_ring.py::test_push_adds_an_item" in result.stdout
    assert "NotImplementedError" in result.stdout and "0 of 2 checks pass" in result.stdout
    data = json.loads(run("check", "--json").stdout)
    assert data == {
        "day": 1,
        "status": "fail",
        "tests": [
            {"name": name, "status": "fail", "message": "NotImplementedError"}
            for name in EXPECTED_NAMES
        ],
    }


def test_check_passes_and_the_state_keeps_the_first_pass(run, home, plan, monkeypatch):
    folder = laid_out(run, home, monkeypatch)
    (folder / "ring.py").write_text(SOLUTION.replace("False", "None"))
    wrong = json.loads(run("check", "--json").stdout)
    assert wrong["status"] == "fail" and wrong["tests"][0]["status"] == "pass"
    assert "expected False on a full queue, got None" in wrong["tests"][1]["message"]
    (folder / "ring.py").write_text(SOLUTION)
    result = run("check", now="2026-12-01T11:00")
    assert result.exit_code == 0 and "all 2 checks pass" in result.stdout
    assert "Recorded" in result.stdout
    again = run("check", "--json", now="2026-12-02T11:00")
    assert json.loads(again.stdout) == {
        "day": 1,
        "status": "pass",
        "tests": [{"name": n, "status": "pass", "message": ""} for n in EXPECTED_NAMES],
    }
    state = only_plan(state_file(home / "state.toml"))
    assert state["checks_passed"]["1"] == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert state["days"]["1"]["parts"]["exercise"]["ticked"] is True  # the day's exercise part
    assert json.loads(run("show", "1", "--json").stdout)["parts"]["exercise"] is True
    monkeypatch.chdir(home)  # naming the day finds its workspace from anywhere
    assert run("check", "1").exit_code == 0


def test_code_that_does_not_import_is_an_error_with_the_reason(run, home, plan, monkeypatch):
    folder = laid_out(run, home, monkeypatch)
    (folder / "ring.py").write_text("def push(:\n")
    result = run("check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "day": 1,
        "status": "error",
        "tests": [
            {
                "name": "test_ring.py (collection)",
                "status": "error",
                "message": "SyntaxError: invalid syntax (ring.py, line 1)",
            }
        ],
    }


def test_a_check_past_the_timeout_is_an_error(run, home, plan, monkeypatch):
    folder = laid_out(run, home, monkeypatch)
    setup(run, "config", "check_timeout", "1")
    (folder / "ring.py").write_text(
        "def push(queue, item, capacity):\n    while True:\n        pass\n"
    )
    started = time.monotonic()
    result = run("check", "--json")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "error" and "past the 1 s timeout" in data["tests"][0]["message"]


def test_a_missing_package_is_unavailable_never_a_failure(run, home, tmp_path, monkeypatch):
    path = checkable_plan(tmp_path / "plan", requires='["eng28-no-such-package"]')
    setup(run, "config", "plan", str(path))
    laid_out(run, home, monkeypatch)
    result = run("check", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"day", "status", "tests"} and data["status"] == "unavailable"
    (test,) = data["tests"]
    assert test["name"] == "requires eng28-no-such-package"
    assert f"{sys.executable} -m pip install eng28-no-such-package" in test["message"]
    assert "pip install eng28-no-such-package" in run("check").stdout


def test_check_outside_an_exercise_folder_says_what_to_do(run, home, plan, monkeypatch):
    monkeypatch.chdir(home.parent)
    result = run("check")
    assert result.exit_code == 1 and "is not an exercise folder" in result.stderr
    assert "eng28 exercise 1" in run("check", "1").stderr


def test_watch_reruns_after_an_edit_and_stops_cleanly_on_ctrl_c(run, home, plan, monkeypatch):
    folder = laid_out(run, home, monkeypatch)
    child = subprocess.Popen(
        [sys.executable, "-m", "eng28", "check", "--watch", "--json"],
        cwd=folder,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _read_json(child)
        assert first["status"] == "fail"
        (folder / "ring.py").write_text(SOLUTION)
        second = _read_json(child)
        assert second["status"] == "pass"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=20)
    finally:
        child.kill()
    assert child.returncode == 0 and "Traceback" not in err and "Stopped watching." in err


def _read_json(child: subprocess.Popen[str]) -> dict:
    """The next JSON document the watcher prints (print_json writes one per run)."""
    assert child.stdout is not None
    lines = []
    while True:
        line = child.stdout.readline()
        assert line, "the watcher stopped printing"
        lines.append(line)
        if line == "}\n":
            return json.loads("".join(lines))


def test_validate_checks_passes_a_sound_exercise(run, plan):
    result = run("plan", "validate", "--checks", str(plan))
    assert result.exit_code == 0, result.output
    assert "the checks of 1 day fail on the starter and pass on the solution" in result.stdout


def test_validate_checks_names_a_starter_that_passes_and_a_solution_that_fails(run, tmp_path):
    passing = checkable_plan(tmp_path / "a", starter=SOLUTION)
    result = run("plan", "validate", "--checks", str(passing), "1")
    assert result.exit_code == 1
    assert (
        "day 1 (queues): test_ring.py::test_push_adds_an_item does not fail on the untouched "
        "starter" in result.stdout
    )
    broken = checkable_plan(tmp_path / "b")
    (broken.parent / "exercises/01-queues/solution/ring.py").write_text(STARTER)
    result = run("plan", "validate", "--checks", str(broken))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "does not pass" in line]
    assert lines == [
        f"day 1 (queues): {name} does not pass on the solution" for name in EXPECTED_NAMES
    ]
    assert run("plan", "validate", str(broken), "1").exit_code == 2  # days need --checks


def test_a_sync_merge_keeps_the_earliest_pass():
    from eng28.merge import merge_plans
    from eng28.models import PlanState

    early, late = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 3, tzinfo=UTC)
    a = PlanState(checks_passed={1: late, 2: late})
    b = PlanState(checks_passed={1: early})
    assert merge_plans(a, b).checks_passed == {1: early, 2: late}
    assert merge_plans(b, a).checks_passed == {1: early, 2: late}


def test_a_new_plan_with_checks_passes_its_own_checks_and_lays_out(run, home, tmp_path):
    target = tmp_path / "rust" / "plan.toml"
    made = run("plan", "new", str(target), "--days", "2", "--with-checks")
    assert made.exit_code == 0 and "Day 1 has a checkable exercise" in made.stdout
    folder = target.parent / "exercises" / "01-day-1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "checks",
        "solution",
        "starter",
    ]
    result = run("plan", "validate", "--checks", str(target))
    assert result.exit_code == 0, result.output
    setup(run, "config", "plan", str(target))
    setup(run, "exercise", "1")
    assert (home / "workspace" / "01-day-1" / "example.py").is_file()
    assert run("plan", "new", str(target), "--with-checks").exit_code == 1  # never overwrites


def test_the_example_plan_has_a_sound_checkable_day(run):
    from eng28.plan import bundled_plan_path

    example = bundled_plan_path().parent / "examples" / "git-internals" / "plan.toml"
    result = run("plan", "validate", "--checks", str(example))
    assert result.exit_code == 0, result.output
    assert "the checks of 1 day fail on the starter" in result.stdout


def test_the_workspace_key_moves_exercises_and_a_python_that_is_not_there_is_an_error(
    run, home, plan, tmp_path, monkeypatch
):
    setup(run, "config", "workspace", str(tmp_path / "ws"))
    setup(run, "exercise", "1")
    folder = tmp_path / "ws" / "01-queues"
    assert (folder / "ring.py").is_file()
    monkeypatch.chdir(folder / "checks")  # anywhere inside the exercise folder
    setup(run, "config", "python", str(tmp_path / "no-python"))
    result = run("check", "--json")
    assert result.exit_code == 1
    (test,) = json.loads(result.stdout)["tests"]
    assert test["name"] == "(run)" and "cannot run" in test["message"]
