import math
import random

import pytest
from boosting import base_score, best_split, boost_round, grad_hess, leaf_weight, split_gain


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def test_base_score_is_the_mean_or_the_log_odds():
    got = base_score([1.0, 2.0, 6.0], "squared")
    assert close(got, 3.0), f"squared: expected the mean 3.0, got {got}"
    got = base_score([1, 0, 0, 0], "logistic")
    assert close(got, math.log(1 / 3)), f"logistic: expected log(0.25/0.75), got {got}"
    for y, loss in [([], "squared"), ([0, 0], "logistic"), ([1, 1], "logistic"), ([1], "hinge")]:
        with pytest.raises(ValueError):
            base_score(y, loss)


def test_gradients_and_hessians_for_both_losses():
    g, h = grad_hess([3.0, -1.0], [1.0, 1.0], "squared")
    assert g == [-2.0, 2.0] and h == [1.0, 1.0], (
        f"squared: expected g=[-2, 2], h=[1, 1], got {g}, {h}"
    )
    g, h = grad_hess([1, 0], [0.0, 0.0], "logistic")
    assert close(g[0], -0.5) and close(g[1], 0.5), f"at F=0, p=0.5: expected g=[-0.5, 0.5], got {g}"
    assert close(h[0], 0.25) and close(h[1], 0.25), f"at F=0: expected h=0.25, got {h}"
    f = math.log(3)  # p = 0.75
    g, h = grad_hess([0], [f], "logistic")
    assert close(g[0], 0.75) and close(h[0], 0.1875), (
        f"at p=0.75: expected 0.75, 0.1875, got {g}, {h}"
    )
    g, h = grad_hess([1, 0], [1000.0, -1000.0], "logistic")
    assert all(math.isfinite(v) for v in g + h), f"scores of ±1000 must not overflow: {g}, {h}"
    assert abs(g[0]) < 1e-12 and abs(g[1]) < 1e-12, f"confident and right: g near 0, got {g}"
    assert h[0] < 1e-12 and h[1] < 1e-12, f"confident: hessians near 0, got {h}"
    with pytest.raises(ValueError):
        grad_hess([1], [0.0], "hinge")
    with pytest.raises(ValueError):
        grad_hess([1, 0], [0.0], "squared")


def test_leaf_weight_and_split_gain_with_lambda_and_gamma():
    assert close(leaf_weight(-4.0, 2.0, 2.0), 1.0), "-G/(H+lambda) = 4/4 = 1"
    assert close(leaf_weight(-4.0, 2.0, 0.0), 2.0), "lambda 0 gives the Newton step -G/H = 2"
    got = split_gain(-6.0, 3.0, 4.0, 2.0, 1.0, 0.0)
    want = 0.5 * (36 / 4 + 16 / 3 - 4 / 6)
    assert close(got, want), f"expected {want:.6f}, got {got}"
    got = split_gain(-6.0, 3.0, 4.0, 2.0, 1.0, 1.0)
    assert close(got, want - 1.0), f"gamma is subtracted once: expected {want - 1:.6f}, got {got}"
    got = split_gain(2.0, 1.0, 4.0, 2.0, 0.0, 0.0)
    assert close(got, 0.0, 1e-12), f"children with the parent's G/H ratio gain nothing, got {got}"


def test_best_split_uses_midpoints_and_breaks_ties_by_feature_then_threshold():
    x = [[1.0, 5.0], [2.0, 5.0], [3.0, 1.0], [4.0, 1.0]]
    g = [0.0, 0.0, -10.0, -10.0]
    h = [1.0] * 4
    want_gain = 0.5 * (0 / 3 + 400 / 3 - 400 / 5)
    got = best_split(x, g, h, lam=1.0)
    assert got is not None and got[:2] == (0, 2.5), (
        f"both features separate the rows perfectly; feature 0 wins the tie, with the "
        f"midpoint 2.5 as threshold: expected (0, 2.5, ...), got {got}"
    )
    assert close(got[2], want_gain), f"expected gain {want_gain:.6f}, got {got[2]}"
    swapped = [[row[1], row[0]] for row in x]
    got = best_split(swapped, g, h, lam=1.0)
    assert got is not None and got[:2] == (0, 3.0), (
        f"feature 0 (values 5, 5, 1, 1) splits at 3.0: expected (0, 3.0, ...), got {got}"
    )
    g = [-1.0, 1.0, -1.0, 1.0]
    got = best_split([[0.0], [1.0], [2.0], [3.0]], g, [1.0] * 4, lam=0.0)
    assert got is not None and got[:2] == (0, 0.5), (
        f"cuts at 0.5 and 2.5 tie; the lower threshold wins: expected (0, 0.5, ...), got {got}"
    )


def test_best_split_finds_nothing_when_no_cut_is_worth_it():
    x = [[1.0], [2.0], [3.0], [4.0]]
    g, h = [1.0, 1.0, -1.0, -1.0], [1.0] * 4
    assert best_split(x, g, h, lam=1.0, gamma=100.0) is None, "gamma above every gain: None"
    same = [[7.0], [7.0], [7.0], [7.0]]
    assert best_split(same, g, h) is None, "a constant feature offers no threshold: None"
    assert best_split([[1.0]], [1.0], [1.0]) is None, "one row cannot be split: None"
    flat = best_split(x, [1.0] * 4, h, lam=0.0)
    assert flat is None, f"equal gradients everywhere: no split gains above 0, got {flat}"


def test_min_child_weight_bounds_the_hessian_sum_not_the_row_count():
    x = [[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]
    g = [-50.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    h = [1.0] * 6
    got = best_split(x, g, h, lam=1.0)
    assert got is not None and got[1] == 1.5, f"unconstrained, row 0 is cut off at 1.5: {got}"
    got = best_split(x, g, h, lam=1.0, min_child_weight=2.0)
    assert got is not None and got[1] == 2.5, (
        f"with min_child_weight 2 each side needs hessian >= 2: expected 2.5, got {got}"
    )
    rows = [[float(i)] for i in range(20)]
    y = [1] * 10 + [0] * 10
    g, h = grad_hess(y, [4.0] * 20, "logistic")
    got = best_split(rows, g, h, lam=1.0, min_child_weight=1.0)
    assert got is None, (
        f"at p = 0.98 twenty rows hold a hessian sum of about 0.35 < 1, so no child can "
        f"reach min_child_weight 1: expected None, got {got}"
    )
    got = best_split(rows, g, h, lam=1.0, min_child_weight=0.1)
    assert got is not None and got[1] == 9.5, f"with 0.1 the labels split at 9.5, got {got}"


def test_best_split_agrees_with_a_brute_force_search():
    rng = random.Random(3)
    for trial in range(30):
        n, d = rng.randint(2, 25), rng.randint(1, 4)
        x = [[float(rng.randint(0, 6)) for _ in range(d)] for _ in range(n)]
        g = [rng.uniform(-2, 2) for _ in range(n)]
        h = [rng.uniform(0.05, 1.0) for _ in range(n)]
        lam, mcw = rng.choice([0.0, 1.0, 5.0]), rng.choice([0.0, 0.5])
        cands = {}
        for j in range(d):
            values = sorted({row[j] for row in x})
            for a, b in zip(values, values[1:], strict=False):
                t = (a + b) / 2
                gl = sum(gi for gi, row in zip(g, x, strict=True) if row[j] < t)
                hl = sum(hi for hi, row in zip(h, x, strict=True) if row[j] < t)
                gr, hr = sum(g) - gl, sum(h) - hl
                if hl >= mcw and hr >= mcw:
                    cands[(j, t)] = split_gain(gl, hl, gr, hr, lam, 0.0)
        top = max(cands.values(), default=0.0)
        got = best_split(x, g, h, lam=lam, min_child_weight=mcw)
        if top <= 1e-12:
            assert got is None, f"trial {trial}: no positive gain exists, got {got}"
            continue
        assert got is not None and got[:2] in cands, (
            f"trial {trial}: expected a threshold halfway between distinct values, got {got}"
        )
        assert close(cands[got[:2]], top, 1e-9) and close(got[2], top, 1e-9), (
            f"trial {trial}: the best gain is {top:.9f}; got {got} worth {cands[got[:2]]:.9f}"
        )


def test_one_round_with_squared_loss_moves_each_side_to_its_mean():
    x = [[0.0], [1.0], [2.0], [3.0]]
    y = [1.0, 2.0, 10.0, 12.0]
    new, tree = boost_round(x, y, [0.0] * 4, "squared", eta=1.0, lam=0.0)
    assert tree[:2] == (0, 1.5), f"expected the stump to cut feature 0 at 1.5, got {tree}"
    assert close(tree[2], 1.5) and close(tree[3], 11.0), f"lambda 0: side means 1.5, 11; got {tree}"
    assert all(close(a, b) for a, b in zip(new, [1.5, 1.5, 11.0, 11.0], strict=True)), new
    new, tree = boost_round(x, y, [0.0] * 4, "squared", eta=0.5, lam=2.0)
    wl, wr = 3 / 4, 22 / 4
    assert close(tree[2], wl) and close(tree[3], wr), f"lambda 2: weights 0.75, 5.5; got {tree}"
    assert close(new[0], 0.5 * wl) and close(new[3], 0.5 * wr), f"eta scales the step, got {new}"


def test_a_round_without_a_split_is_one_leaf_and_logistic_rounds_lower_the_loss():
    x = [[0.0], [1.0], [2.0], [3.0]]
    y = [1, 1, 1, 0]
    f0 = [0.0] * 4
    new, tree = boost_round(x, y, f0, "logistic", eta=0.5, lam=1.0, gamma=50.0)
    g_sum, h_sum = -1.0, 1.0  # 3 × (0.5 − 1) + 0.5, and 4 × 0.25
    w = -g_sum / (h_sum + 1.0)
    assert tree[:2] == (None, None), f"gamma 50 blocks every split, got {tree}"
    assert close(tree[2], w) and close(tree[3], w), f"one leaf of weight {w}, got {tree}"
    assert all(close(v, 0.5 * w) for v in new), f"every row moves by eta * w = {0.5 * w}, got {new}"

    rng = random.Random(11)
    rows = [[rng.uniform(-3, 3), rng.uniform(-3, 3)] for _ in range(60)]
    labels = [1 if a + 0.3 * b + rng.gauss(0, 0.5) > 0 else 0 for a, b in rows]

    def log_loss(scores):
        return -sum(
            t * math.log(1 / (1 + math.exp(-s))) + (1 - t) * math.log(1 / (1 + math.exp(s)))
            for t, s in zip(labels, scores, strict=True)
        ) / len(labels)

    scores = [base_score(labels, "logistic")] * 60
    losses = [log_loss(scores)]
    for _ in range(15):
        scores, tree = boost_round(rows, labels, scores, "logistic", eta=0.3, lam=1.0)
        losses.append(log_loss(scores))
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)), (
        f"each logistic round should lower the training log loss: {[round(v, 4) for v in losses]}"
    )
    assert losses[-1] < 0.5 * losses[0], (
        f"15 rounds should halve it: {losses[0]:.3f} -> {losses[-1]:.3f}"
    )
