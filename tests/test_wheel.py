"""The wheel carries the bundled plan: install it in a fresh venv, run it elsewhere."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_wheel_finds_the_bundled_plan(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
    )
    (wheel,) = dist.glob("eng28-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}",
        "ENG28_HOME": str(tmp_path / "home"),
        "ENG28_NOW": "2026-12-01",
        "NO_COLOR": "1",
        "HOME": str(tmp_path),
    }
    shown = subprocess.run(
        ["eng28", "show", "1"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert "Transformer Internals" in shown.stdout
    assert "Attention Is All You Need" in shown.stdout
    module = subprocess.run(
        [python, "-m", "eng28", "plan", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert module.returncode == 0, module.stderr
    assert '"number": 28' in module.stdout
    assert str(REPO) not in module.stdout
