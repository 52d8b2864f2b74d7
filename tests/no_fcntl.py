"""A test mode without `fcntl`, as on Windows: `python -m pytest -p tests.no_fcntl tests/cli
tests/unit`.

Loaded with `-p`, this module is imported before any conftest, hence before eng28. At import it
drops `fcntl` from `sys.modules` and puts a finder first on `sys.meta_path` that makes every
later `import fcntl` fail; a `sitecustomize` on PYTHONPATH does the same in every Python process
the tests start. filelock then falls back to its SoftFileLock (a marker file).

Tests that need what only POSIX has are skipped, each with its reason: the pseudo-terminal
tests (pexpect), the real-shell tests, and the reliability tests that rely on flock itself.
Only the standard library is imported at the top: the sitecustomize loads this file too.
"""

from __future__ import annotations

import atexit
import importlib.abc
import os
import shutil
import sys
import tempfile
from pathlib import Path

#: Set in every process of this mode (the sitecustomize's own folder).
MODE_ENV = "ENG28_TEST_NO_FCNTL"

#: Test modules skipped in this mode (paths relative to the repository), and why; every
#: `*_pty.py` module too (they need a pseudo-terminal: pexpect, pty, POSIX only).
PTY = "needs a pseudo-terminal (pexpect, pty), POSIX only"
SKIPPED = {
    "tests/test_shells.py": "runs real bash, zsh and fish; not part of the no-fcntl mode",
    "tests/reliability/test_concurrency.py": "holds the lock with fcntl.flock itself",
    "tests/reliability/test_crash.py": "relies on flock: the kernel drops a killed holder's lock",
}

REPO = Path(__file__).resolve().parents[1]


class FcntlBlocker(importlib.abc.MetaPathFinder):
    """Refuses `fcntl` as an interpreter without it would."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl' (blocked by tests.no_fcntl)")
        return None


def block_fcntl() -> None:
    """Make `import fcntl` fail from now on in this process."""
    if any(name == "eng28" or name.startswith("eng28.") for name in sys.modules):
        raise RuntimeError("tests.no_fcntl must be loaded before eng28: use `pytest -p`")
    # A filelock imported with fcntl would keep using flock.
    for name in [n for n in sys.modules if n == "filelock" or n.startswith("filelock.")]:
        del sys.modules[name]
    sys.modules.pop("fcntl", None)
    if not any(isinstance(finder, FcntlBlocker) for finder in sys.meta_path):
        sys.meta_path.insert(0, FcntlBlocker())


def block_fcntl_in_children() -> None:
    """Have every Python started from here (with this environment) block fcntl at start-up."""
    if os.environ.get(MODE_ENV):
        return
    folder = Path(tempfile.mkdtemp(prefix="eng28-no-fcntl-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "sitecustomize.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('eng28_no_fcntl', {str(__file__)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "module.block_fcntl()\n",
        encoding="utf-8",
    )
    os.environ[MODE_ENV] = str(folder)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
    )


if __name__ == "tests.no_fcntl":  # loaded as the pytest plugin (not by the sitecustomize)
    block_fcntl()
    block_fcntl_in_children()


def pytest_report_header(config):
    return "no-fcntl mode: `import fcntl` fails here and in every Python the tests start"


def pytest_pycollect_makemodule(module_path, parent):
    """A skipped module is never imported (some import pexpect, which needs fcntl)."""
    import pytest

    try:
        name = module_path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return None
    why = PTY if name.endswith("_pty.py") else SKIPPED.get(name)
    if why is None:
        return None

    class SkippedModule(pytest.Module):
        def collect(self):
            pytest.skip(f"no-fcntl mode, {name}: {why}")

    return SkippedModule.from_parent(parent, path=module_path)
