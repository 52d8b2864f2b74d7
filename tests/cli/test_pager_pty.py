"""The pager, in a real terminal: taller than the screen pages through less -R; shorter, or
asked not to, does not. A fake `less` on PATH records how it was started."""

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect")


@pytest.fixture
def fake_less(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "less.log"
    (folder / "less").write_text(
        f'#!/bin/sh\necho "args=[$*] LESS=[${{LESS-unset}}]" >> {log}\ncat > /dev/null\n'
    )
    (folder / "less").chmod(0o755)
    return folder, log


def spawn(args, fake_less, rows, extra=None):
    folder, _ = fake_less
    env = {k: v for k, v in os.environ.items() if k not in ("LESS", "PAGER", "MANPAGER")}
    env |= {"PATH": f"{folder}:{env['PATH']}", "COLUMNS": "100", "TERM": "xterm"}
    env |= extra or {}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "eng28", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(rows, 100),
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_a_card_taller_than_the_terminal_pages_through_less_with_colours(run, fake_less):
    assert run("start", "2026-12-01").exit_code == 0
    status, shown = spawn(["today"], fake_less, rows=20)
    assert status == 0
    assert fake_less[1].read_text() == "args=[] LESS=[-R]\n"
    assert "Day 01" not in shown  # it went to the pager, not the screen


def test_the_learners_own_less_settings_are_kept(run, fake_less):
    assert run("start", "2026-12-01").exit_code == 0
    spawn(["notes", "1"], fake_less, rows=20, extra={"LESS": "-FX"})
    assert fake_less[1].read_text() == "args=[] LESS=[-FX]\n"


@pytest.mark.parametrize(
    ("args", "rows", "config"),
    [
        (["today", "--no-pager"], 20, None),
        (["today"], 20, ("pager", "false")),
        (["today", "--brief"], 20, None),
        (["today"], 200, None),
    ],
)
def test_no_pager_when_asked_or_when_it_fits(run, fake_less, args, rows, config):
    assert run("start", "2026-12-01").exit_code == 0
    if config:
        assert run("config", *config).exit_code == 0
    status, shown = spawn(args, fake_less, rows=rows)
    assert status == 0
    assert "Day 01 of 28" in shown
    assert not fake_less[1].exists()
