import math
import random

import pytest
from evalkit import (
    bootstrap_ci,
    cohen_kappa,
    compare,
    debiased_verdict,
    exact_match,
    normalize,
    token_f1,
)


def test_normalize_lowercases_strips_punctuation_articles_and_spaces():
    cases = {
        "The Eiffel Tower!": "eiffel tower",
        "  an   Apple,  a day ": "apple day",
        "Rock-n-roll": "rocknroll",  # punctuation is deleted, not replaced by a space
        "Theatre and THEM": "theatre and them",  # articles are whole words only
        "": "",
    }
    for raw, want in cases.items():
        assert normalize(raw) == want, (
            f"normalize({raw!r}): expected {want!r}, got {normalize(raw)!r}"
        )


def test_exact_match_is_strict_after_normalisation():
    assert exact_match("The answer is Paris.", "the answer is paris") == 1.0
    assert exact_match("Paris, France", "Paris") == 0.0, "an extra word is a miss"
    assert exact_match("the", "a") == 1.0, "both normalise to the empty string"


def test_token_f1_counts_overlap_as_a_multiset():
    got = token_f1("the cat sat on the mat", "a cat on a mat")
    assert math.isclose(got, 6 / 7), f"P=3/4, R=1, so F1=6/7; got {got}"
    got = token_f1("cat cat cat", "cat")
    assert math.isclose(got, 0.5), f"one shared 'cat': P=1/3, R=1, F1=0.5; got {got}"
    got = token_f1("cat", "cat cat")
    assert math.isclose(got, 2 / 3), f"P=1, R=1/2, F1=2/3; got {got}"
    got = token_f1("cat cat", "cat cat dog")
    assert math.isclose(got, 0.8), f"both cats overlap: P=1, R=2/3, F1=0.8; got {got}"
    assert token_f1("dog", "cat") == 0.0


def test_token_f1_empty_cases():
    assert token_f1("", "") == 1.0, "two empty answers agree"
    assert token_f1("The.", "") == 1.0, "'The.' normalises to empty, like ''"
    assert token_f1("the", "cat") == 0.0, "an empty prediction against a real reference"
    assert token_f1("cat", "") == 0.0


def always_first(question, first, second):
    return "first"


def prefers_longer(question, first, second):
    if len(first) == len(second):
        return "tie"
    return "first" if len(first) > len(second) else "second"


def test_debiased_verdict_asks_both_orders_and_maps_the_swap_back():
    calls = []

    def recording(question, first, second):
        calls.append((first, second))
        return prefers_longer(question, first, second)

    got = debiased_verdict(recording, "q", "short", "much longer answer")
    assert got == "b", f"b wins in both orders, expected 'b', got {got!r}"
    assert calls == [("short", "much longer answer"), ("much longer answer", "short")], (
        f"expected one call per order, (a, b) then (b, a); got {calls}"
    )
    got = debiased_verdict(always_first, "q", "x", "y")
    assert got == "tie", f"a judge that always picks the first slot has no preference; got {got!r}"


def test_compare_counts_wins_ties_and_position_flips():
    items = [("q1", "long answer", "short"), ("q2", "s", "longer"), ("q3", "same", "size")]
    result = compare(prefers_longer, items)
    assert (result.a_wins, result.b_wins, result.ties, result.flips) == (1, 1, 1, 0), result
    assert math.isclose(result.a_win_rate, 0.5), f"(1 + 1/2) / 3 = 0.5, got {result.a_win_rate}"
    biased = compare(always_first, items)
    assert (biased.a_wins, biased.b_wins, biased.ties, biased.flips) == (0, 0, 3, 3), (
        f"pure position bias: every pair flips and counts as a tie; got {biased}"
    )

    def half_tie(question, first, second):
        return "first" if first.startswith("x") else "tie"

    one = compare(half_tie, [("q", "x", "y")])
    assert (one.ties, one.flips) == (1, 0), f"a tie in one order is a tie, not a flip; got {one}"


def test_compare_edge_cases_and_bad_judges():
    empty = compare(prefers_longer, [])
    assert (empty.a_wins, empty.b_wins, empty.ties, empty.flips) == (0, 0, 0, 0)
    with pytest.raises(ValueError):
        empty.a_win_rate  # noqa: B018
    with pytest.raises(ValueError):
        compare(lambda q, f, s: "A", [("q", "x", "y")])


def test_cohen_kappa_discounts_chance_agreement():
    human = [1] * 9 + [0]
    lazy_judge = [1] * 10
    assert math.isclose(cohen_kappa(human, lazy_judge), 0.0, abs_tol=1e-12), (
        "'always pass' agrees on 90% of items but no better than chance: kappa 0"
    )
    a = ["y", "y", "n", "n", "y", "n", "y", "y", "n", "y"]
    b = ["y", "n", "n", "n", "y", "n", "y", "y", "y", "y"]
    # p_o = 0.8; p_e = 0.6 * 0.6 + 0.4 * 0.4 = 0.52; kappa = 0.28 / 0.48
    got = cohen_kappa(a, b)
    assert math.isclose(got, 0.28 / 0.48), f"expected {0.28 / 0.48:.4f}, got {got}"
    assert cohen_kappa(a, a) == 1.0
    assert cohen_kappa(["p"] * 4, ["p"] * 4) == 1.0, "one shared label everywhere: 1.0"
    flipped = [{"y": "n", "n": "y"}[x] for x in a]
    assert cohen_kappa(a, flipped) < 0, "systematic disagreement is below chance"
    with pytest.raises(ValueError):
        cohen_kappa([1, 0], [1])
    with pytest.raises(ValueError):
        cohen_kappa([], [])


def test_bootstrap_ci_is_reproducible_and_brackets_the_mean():
    rng = random.Random(7)
    scores = [float(rng.random() < 0.7) for _ in range(100)]
    mean = sum(scores) / len(scores)
    lo, hi = bootstrap_ci(scores, seed=1)
    assert (lo, hi) == bootstrap_ci(scores, seed=1), "same seed, same interval"
    assert lo < mean < hi, f"expected the mean {mean} inside ({lo}, {hi})"
    half = 1.96 * math.sqrt(mean * (1 - mean) / len(scores))
    assert math.isclose(hi - lo, 2 * half, rel_tol=0.2), (
        f"a 95% interval on 100 pass/fail items should be about {2 * half:.3f} wide, "
        f"got {hi - lo:.3f}"
    )
    lo90, hi90 = bootstrap_ci(scores, alpha=0.1, seed=1)
    assert lo <= lo90 and hi90 <= hi and (hi90 - lo90) < (hi - lo), "a 90% interval is narrower"


def test_bootstrap_ci_narrows_with_more_items_and_rejects_bad_input():
    rng = random.Random(3)
    small = [float(rng.random() < 0.5) for _ in range(50)]
    large = [float(rng.random() < 0.5) for _ in range(800)]
    w_small = bootstrap_ci(small)[1] - bootstrap_ci(small)[0]
    w_large = bootstrap_ci(large)[1] - bootstrap_ci(large)[0]
    assert 2.5 < w_small / w_large < 6, (
        f"16 times the items should make the interval about 4 times narrower; "
        f"got widths {w_small:.3f} and {w_large:.3f}"
    )
    assert bootstrap_ci([0.5] * 10) == (0.5, 0.5), "constant scores: a zero-width interval"
    for bad in ({"scores": []}, {"scores": [1.0], "alpha": 0}, {"scores": [1.0], "alpha": 1.5}):
        with pytest.raises(ValueError):
            bootstrap_ci(**bad)
    with pytest.raises(ValueError):
        bootstrap_ci([1.0], n_resamples=0)
