"""The README's two commands are what CI runs, and its samples hold nothing of one machine."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def test_the_two_commands_use_python3_and_ci_runs_the_test_one():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0] == "python3 -m pip install . && eng28 today"
    assert blocks[1] == "python3 -m pip install -e '.[test]' && python3 -m pytest"
    ci = (REPO / ".ci" / "run").read_text()
    assert "python3 -m pip install -e '.[test]' &&\n  python3 -m pytest" in ci


def test_no_sample_shows_a_path_of_one_machine():
    assert re.findall(r"/(?:work|home|Users|root|tmp)/\S+", README) == []
