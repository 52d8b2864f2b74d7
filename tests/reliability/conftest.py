import os
import subprocess
import sys

import pytest


@pytest.fixture
def spawn(home):
    """Start eng28 as a separate process with the test's ENG28_HOME and clock."""

    def start(*args, now="2026-12-20T10:00", env=None, **kwargs):
        full = {**os.environ, "ENG28_NOW": now, **(env or {})}
        return subprocess.Popen(
            [sys.executable, "-m", "eng28", *args],
            env=full,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    return start
