"""A home with a review history, for the tests of the history readers."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def studied(home):
    """A home with the bundled plan's 28 days done and some 700 ratings (see benchmarks)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import scale
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    from eng28.plan import bundled_plan_path

    scale.build_home(home, bundled_plan_path(), seed=5)
    return home
