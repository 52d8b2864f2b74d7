import math

import numpy as np
import pytest
from contrastive import batch_info_nce, cosine_matrix, info_nce, normalize, recall_at_k, top_k


def test_normalize_and_cosine():
    x = np.array([[3.0, 4.0], [0.0, -2.0]])
    got = normalize(x)
    want = np.array([[0.6, 0.8], [0.0, -1.0]])
    assert np.allclose(got, want), f"expected {want.tolist()}, got {np.asarray(got).tolist()}"
    sim = cosine_matrix(
        np.array([[1.0, 0.0], [2.0, 2.0]]), np.array([[5.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    )
    want = np.array([[1.0, 0.0, -1.0], [math.sqrt(0.5), math.sqrt(0.5), -math.sqrt(0.5)]])
    assert sim.shape == (2, 3), f"(n, m) = (2, 3) expected, got {sim.shape}"
    assert np.allclose(sim, want), f"expected {want.round(4).tolist()}, got {sim.round(4).tolist()}"
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4, 8)), rng.normal(size=(5, 8))
    assert np.allclose(cosine_matrix(a * 7.5, b * 0.01), cosine_matrix(a, b)), (
        "length must not matter"
    )
    with pytest.raises(ValueError):
        normalize(np.array([[1.0, 1.0], [0.0, 0.0]]))
    with pytest.raises(ValueError):
        cosine_matrix(np.ones((2, 3)), np.ones((2, 4)))


def test_info_nce_known_values_and_collapse():
    n, t = 4, 0.1
    loss, _ = info_nce(np.eye(n), t)
    want = math.log(1 + (n - 1) * math.exp(-1 / t))
    assert math.isclose(loss, want, rel_tol=1e-9), (
        f"identity similarities: expected {want:.3e}, got {loss:.3e}"
    )
    for t in (0.05, 1.0, 10.0):
        loss, grad = info_nce(np.full((5, 5), 0.7), t)
        assert math.isclose(loss, math.log(5), rel_tol=1e-9), (
            f"a collapsed space (all similarities equal) costs log N = {math.log(5):.4f} at any "
            f"temperature, got {loss:.4f} at t={t}"
        )
    sim = np.array([[0.9, 0.1], [0.3, 0.2]])
    loss, _ = info_nce(sim, 1.0)
    row0 = -math.log(math.exp(0.9) / (math.exp(0.9) + math.exp(0.1)))
    row1 = -math.log(math.exp(0.2) / (math.exp(0.3) + math.exp(0.2)))
    assert math.isclose(loss, (row0 + row1) / 2, rel_tol=1e-9), (
        f"the positive of row i is column i, the loss the mean over rows: expected "
        f"{(row0 + row1) / 2:.6f}, got {loss:.6f}"
    )


def test_info_nce_is_stable_at_small_temperatures_and_refuses_bad_input():
    # row 2 peaks at 0.2, far below the other rows' 1.0: shifting by one maximum for the
    # whole matrix instead of each row's own underflows that row to exp(-800) = 0
    sim = np.array([[1.0, -1.0, 0.99], [0.2, 1.0, -0.5], [0.0, 0.2, -1.0]])
    loss, grad = info_nce(sim, 1e-3)
    assert math.isfinite(loss) and np.all(np.isfinite(grad)), (
        f"t=1e-3 must neither overflow nor underflow (log-sum-exp per row): {loss}"
    )
    want = (0.0 + 0.0 + (1.2 / 1e-3)) / 3
    assert math.isclose(loss, want, rel_tol=1e-6), (
        f"at t=1e-3 a row costs (best logit - positive logit): expected {want:.3f}, got {loss:.3f}"
    )
    for bad in (0.0, -0.1):
        with pytest.raises(ValueError):
            info_nce(np.eye(3), bad)
    for bad_sim in (np.ones((2, 3)), np.ones((0, 0))):
        with pytest.raises(ValueError):
            info_nce(bad_sim, 0.1)


def test_info_nce_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    sim = np.tanh(rng.normal(size=(5, 5)))
    for t in (0.05, 0.5):
        loss, grad = info_nce(sim, t)
        assert grad.shape == (5, 5), f"grad has the shape of sim, got {grad.shape}"
        numeric = np.zeros_like(sim)
        eps = 1e-6
        for i in range(5):
            for j in range(5):
                up, down = sim.copy(), sim.copy()
                up[i, j] += eps
                down[i, j] -= eps
                numeric[i, j] = (info_nce(up, t)[0] - info_nce(down, t)[0]) / (2 * eps)
        assert np.allclose(grad, numeric, atol=1e-5, rtol=1e-4), (
            f"t={t}: analytic and numeric gradients differ by {np.abs(grad - numeric).max():.2e}"
        )
        assert np.allclose(grad.sum(axis=1), 0), (
            "each row's gradient sums to 0 (softmax minus one-hot)"
        )
        assert np.all(np.diag(grad) < 0) and np.all(grad - np.diag(np.diag(grad)) >= 0), (
            "the loss pulls the positive up and pushes every negative down"
        )


def test_small_temperature_focuses_the_push_on_the_hardest_negative():
    sim = np.array(
        [[0.9, 0.8, 0.1, 0.0], [0.0, 0.9, 0.1, 0.0], [0.0, 0.0, 0.9, 0.1], [0.1, 0.0, 0.0, 0.9]]
    )

    def hardest_share(t):
        _, grad = info_nce(sim, t)
        negatives = grad[0, 1:]
        return negatives[0] / negatives.sum()

    cold, warm = hardest_share(0.02), hardest_share(1.0)
    assert cold > 0.99, (
        f"at t=0.02 nearly all of row 0's push goes to its 0.8 negative, got {cold:.3f}"
    )
    assert warm < 0.6, f"at t=1 the push spreads over the negatives, got {warm:.3f} on the hardest"


def test_batch_loss_normalises_and_supports_the_symmetric_form():
    rng = np.random.default_rng(2)
    q = rng.normal(size=(6, 16))
    k = q + 0.3 * rng.normal(size=(6, 16))
    base = batch_info_nce(q, k, 0.05)
    assert math.isclose(batch_info_nce(q * 3, k * 0.5, 0.05), base, rel_tol=1e-9), (
        "cosine: scale-free"
    )
    perm = rng.permutation(6)
    assert math.isclose(batch_info_nce(q[perm], k[perm], 0.05), base, rel_tol=1e-9), (
        "reordering the pairs together does not change the loss"
    )
    shuffled = batch_info_nce(q, k[np.roll(np.arange(6), 1)], 0.05)
    assert shuffled > base + 1, (
        f"mismatched pairs must cost much more: {shuffled:.3f} vs {base:.3f}"
    )
    sim = cosine_matrix(q, k)
    want = (info_nce(sim, 0.05)[0] + info_nce(sim.T, 0.05)[0]) / 2
    got = batch_info_nce(q, k, 0.05, symmetric=True)
    assert math.isclose(got, want, rel_tol=1e-9), f"symmetric: expected {want:.6f}, got {got:.6f}"
    assert not math.isclose(got, base, rel_tol=1e-6), "the symmetric loss also scores key-to-query"
    with pytest.raises(ValueError):
        batch_info_nce(q, k[:5])


def test_top_k_and_recall_at_k():
    corpus = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [-1.0, 0.0]])
    queries = np.array([[1.0, 0.1], [0.0, 3.0], [-1.0, -0.2]])
    got = top_k(queries, corpus, 3)
    assert got.shape == (3, 3), f"expected shape (3, 3), got {got.shape}"
    assert got[0].tolist() == [0, 3, 2], (
        f"rows 0 and 3 tie; the lower index comes first: got {got[0].tolist()}"
    )
    assert got[1].tolist() == [1, 2, 0], f"expected [1, 2, 0], got {got[1].tolist()}"
    assert got[2, 0] == 4, f"the opposite query's best is row 4, got {got[2].tolist()}"
    relevant = [3, 0, 4]
    got = recall_at_k(queries, corpus, relevant, 1)
    assert got == pytest.approx(1 / 3), (
        f"k=1: only query 2 finds its row (query 0's row 3 loses the tie): {got}"
    )
    got = recall_at_k(queries, corpus, relevant, 2)
    assert got == pytest.approx(2 / 3), (
        f"k=2: query 0's row 3 is 2nd, query 1's row 0 is 3rd: {got}"
    )
    got = recall_at_k(queries, corpus, relevant, 3)
    assert got == pytest.approx(1.0), f"k=3: every query finds its row, got {got}"
    for bad in (0, 6):
        with pytest.raises(ValueError):
            top_k(queries, corpus, bad)
    with pytest.raises(ValueError):
        recall_at_k(queries, corpus, [0, 1], 2)
