"""Running a folder's checks: pytest in a child process, under a timeout, read back per test.

The folder holds the learner's modules at its top and the pytest files in `checks/`. The child
gets a private `pytest.ini` (through `-c`, so that no project config above the folder leaks
in), no cache folder, no third-party plugins and no `PYTHONPATH` but the folder itself; the
results come back as JUnit XML. The child runs in a session of its own, so that a timeout (or
Ctrl-C) ends it and anything it started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: pytest's exit codes that still leave per-test results (0 all passed, 1 some failed).
_RAN = (0, 1)
#: How much of a failure's message is kept: enough for "expected ... got ...".
MESSAGE_LINES = 8


@dataclass
class Outcome:
    """One check: its name (`test_file.py::test_name`), pass/fail/skip/error, and why."""

    name: str
    status: str
    message: str = ""
    seconds: float = 0.0


@dataclass
class Run:
    """One run of a folder's checks. status: pass, fail, error (nothing could be checked: a
    module that does not import, a timeout) or unavailable (a package the checks need is
    missing; `missing` names them)."""

    status: str
    tests: list[Outcome] = field(default_factory=list)
    reason: str = ""
    missing: list[str] = field(default_factory=list)


_PROBE = (
    "import importlib.util, sys\n"
    "for name in sys.argv[1:]:\n"
    "    if importlib.util.find_spec(name.replace('-', '_')) is None: print(name)\n"
)


def missing_packages(python: str, requires: list[str]) -> list[str] | str:
    """The packages of `requires` (and pytest) that `python` cannot import, or the reason it
    could not be asked."""
    try:
        done = subprocess.run(
            [python, "-c", _PROBE, "pytest", *requires],
            capture_output=True,
            text=True,
            timeout=30,
            env=_child_env(None),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run {python}: {getattr(exc, 'strerror', None) or exc}"
    if done.returncode != 0:
        return f"{python} failed: {_last_line(done.stderr) or f'exit code {done.returncode}'}"
    return done.stdout.split()


def run_checks(folder: Path, python: str, timeout: float) -> Run:
    """Run the checks in `folder`/checks against the modules in `folder`."""
    with tempfile.TemporaryDirectory(prefix="eng28-check-") as scratch:
        ini = Path(scratch) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        report = Path(scratch) / "report.xml"
        command = [
            python,
            "-m",
            "pytest",
            "-c",
            str(ini),
            "--rootdir",
            str(folder),
            "--confcutdir",
            str(folder),
            "-p",
            "no:cacheprovider",
            "-q",
            "--junitxml",
            str(report),
            "checks",
        ]
        try:
            proc = subprocess.Popen(
                command,
                cwd=folder,
                env=_child_env(folder),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            return Run("error", reason=f"cannot run {python}: {exc.strerror}")
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(proc)
            return Run("error", reason=f"the checks ran past the {timeout:g} s timeout (a loop?)")
        except BaseException:  # Ctrl-C in `--watch`: the child must not outlive eng28
            _end(proc)
            raise
        tests = _read_report(report)
        return _verdict(proc.returncode, tests, output)


def _child_env(folder: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    if folder is not None:
        env["PYTHONPATH"] = str(folder)
    return env


def _end(proc: subprocess.Popen[str]) -> None:
    """Stop the child and everything it started."""
    import signal

    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass
    proc.communicate()


def _verdict(code: int, tests: list[Outcome], output: str) -> Run:
    broken = [t for t in tests if t.status == "error" and t.name.endswith("(collection)")]
    if broken:
        return Run("error", tests, reason=broken[0].message)
    if code in _RAN and tests:
        return Run("pass" if all(t.status in ("pass", "skip") for t in tests) else "fail", tests)
    if code == 5 or (code in _RAN and not tests):
        return Run("error", tests, reason="no checks were found in checks/")
    return Run("error", tests, reason=_last_line(output) or f"pytest exit code {code}")


def _read_report(report: Path) -> list[Outcome]:
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return []
    found = []
    for case in root.iter("testcase"):
        name, status, message = _case_name(case), "pass", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                status = {"failure": "fail", "error": "error", "skipped": "skip"}[tag]
                message = _message(element.get("message") or "", element.text or "")
                break
        if status == "error" and not case.get("classname"):
            name = f"{name} (collection)"  # the file did not import: no check in it ran
            message = _import_reason(case.find("error"))
        found.append(Outcome(name, status, message, float(case.get("time") or 0)))
    return found


def _case_name(case: object) -> str:
    """`checks.test_x` + `test_y` as `test_x.py::test_y` (a class in between: `::Class::`)."""
    classname = case.get("classname") or ""  # type: ignore[attr-defined]
    name = case.get("name") or "?"  # type: ignore[attr-defined]
    if not classname:  # a collection error names the module in `name`
        return name.rsplit(".", 1)[-1] + ".py"
    parts = classname.split(".")
    if parts and parts[0] == "checks":
        parts = parts[1:]
    module, classes = (parts[0], parts[1:]) if parts else ("?", [])
    return "::".join([f"{module}.py", *classes, name])


def _message(short: str, long: str) -> str:
    """What a failure says: the assertion's message (expected and got), a few lines of it."""
    text = short.strip() or long.strip()
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    said = next((i for i, line in enumerate(lines) if line.startswith("assert ")), None)
    if said and lines[0].startswith("AssertionError: "):
        lines = lines[:said]  # the check's own words; pytest's introspection adds only noise
    if len(lines) > MESSAGE_LINES:
        lines = [*lines[:MESSAGE_LINES], "…"]
    return "\n".join(lines)


def _import_reason(element: object) -> str:
    """Why a checks file did not import: its last `E   ` line (e.g. a SyntaxError in the
    learner's module, or a module name that is not there)."""
    import re

    text = getattr(element, "text", None) or ""
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    if not errors:
        return _last_line(text) or "the checks could not be imported"
    where = next((m for e in errors if (m := re.match(r'File "(.+)", line (\d+)', e))), None)
    if where is None:
        return errors[-1]
    return f"{errors[-1]} ({os.path.basename(where.group(1))}, line {where.group(2)})"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
