import math

import numpy as np
import pytest
from twotower import in_batch_logits, l2_normalize, mmr, recall_at_k, softmax_loss, top_k


def test_l2_normalize_rows_keeps_zero_rows_and_the_input():
    x = np.array([[3.0, 4.0], [0.0, 0.0], [-2.0, 0.0]])
    before = x.copy()
    got = l2_normalize(x)
    want = np.array([[0.6, 0.8], [0.0, 0.0], [-1.0, 0.0]])
    assert np.allclose(got, want), f"expected {want.tolist()}, got {got.tolist()}"
    assert np.array_equal(x, before), "l2_normalize must not change its input"


def test_in_batch_logits_scale_correct_and_mask():
    rng = np.random.default_rng(0)
    u, v = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    got = in_batch_logits(u, v, temperature=0.5)
    assert got.shape == (4, 4), f"expected a 4 x 4 matrix, got {got.shape}"
    assert np.allclose(got, u @ v.T * 2), "logit[i, j] must be u_i . v_j / temperature"
    log_q = np.log([0.5, 0.25, 0.125, 0.125])
    corrected = in_batch_logits(u, v, temperature=0.5, log_q=log_q)
    assert np.allclose(corrected, u @ v.T * 2 - log_q[None, :]), (
        "logQ subtracts each column's item log-probability from that column"
    )
    masked = in_batch_logits(u, v, temperature=0.5, item_ids=[7, 8, 7, 9])
    assert masked[0, 2] == -np.inf and masked[2, 0] == -np.inf, "item 7 twice: mask (0,2), (2,0)"
    assert np.isfinite(masked[0, 0]) and np.isfinite(masked[2, 2]), "never mask the diagonal"
    assert np.isfinite(np.delete(masked.ravel(), [2, 8])).all(), "only those two are masked"
    with pytest.raises(ValueError):
        in_batch_logits(u, v, temperature=0)
    with pytest.raises(ValueError):
        in_batch_logits(u, v[:3])


def test_softmax_loss_known_values():
    loss, grad = softmax_loss(np.zeros((4, 4)))
    assert math.isclose(loss, math.log(4)), f"uniform logits over 4 items: log 4, got {loss}"
    expected = (np.full((4, 4), 0.25) - np.eye(4)) / 4
    assert np.allclose(grad, expected), f"gradient (softmax - I) / B expected, got {grad}"
    loss, _ = softmax_loss(np.eye(3) * 50.0)
    assert loss < 1e-12, f"each positive far ahead: loss near 0, got {loss}"


def test_softmax_loss_is_stable_and_ignores_masked_entries():
    big = np.array([[1000.0, 999.0], [0.0, 2000.0]])
    loss, grad = softmax_loss(big)
    want = math.log(1 + math.exp(-1)) / 2
    assert math.isfinite(loss) and np.isfinite(grad).all(), "large logits must not overflow"
    assert math.isclose(loss, want, rel_tol=1e-9), f"expected {want}, got {loss}"
    masked = np.array([[0.0, -np.inf], [-np.inf, 0.0]])
    loss, grad = softmax_loss(masked)
    assert loss == 0.0 and np.allclose(grad, 0.0), (
        f"with every negative masked the loss is 0, got {loss} and {grad.tolist()}"
    )


def test_softmax_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(5, 5)) * 3
    _, grad = softmax_loss(logits)
    eps = 1e-6
    numeric = np.zeros_like(logits)
    for i in range(5):
        for j in range(5):
            bump = np.zeros_like(logits)
            bump[i, j] = eps
            numeric[i, j] = (softmax_loss(logits + bump)[0] - softmax_loss(logits - bump)[0]) / (
                2 * eps
            )
    assert np.allclose(grad, numeric, atol=1e-6), f"max error {np.abs(grad - numeric).max()}"


def test_gradient_steps_on_item_vectors_learn_the_pairing():
    rng = np.random.default_rng(2)
    users = l2_normalize(rng.normal(size=(6, 8)))
    items = rng.normal(size=(6, 8)) * 0.01
    first = softmax_loss(in_batch_logits(users, items, temperature=1.0))[0]
    for _ in range(200):
        _, g = softmax_loss(in_batch_logits(users, items, temperature=1.0))
        items -= 1.0 * g.T @ users  # dL/d(items) = G^T U / temperature
    last = softmax_loss(in_batch_logits(users, items, temperature=1.0))[0]
    assert last < 0.5 * first, f"training should halve the loss; {first:.3f} -> {last:.3f}"
    for i in range(6):
        assert top_k(users[i], items, 1) == [i], f"user {i} should retrieve its own item first"


def test_top_k_orders_breaks_ties_and_excludes_seen_items():
    items = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [-1.0, 0.0]])
    q = np.array([1.0, 0.0])
    assert top_k(q, items, 3) == [0, 2, 3], f"ties to the lower index; got {top_k(q, items, 3)}"
    assert top_k(q, items, 2, exclude=[0]) == [2, 3], f"got {top_k(q, items, 2, exclude=[0])}"
    assert top_k(q, items, 10, exclude=[1, 4]) == [0, 2, 3], "fewer than k left: all of them"
    assert top_k(q, items, 0) == []
    with pytest.raises(ValueError):
        top_k(q, items, -1)


def test_mmr_trades_relevance_for_diversity():
    vecs = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.7, 0.7]])
    cands, rel = [0, 1, 2, 3], [0.9, 0.85, 0.6, 0.5]
    assert mmr(cands, rel, vecs, 4, lam=1.0) == [0, 1, 2, 3], "lam = 1 is relevance order"
    got = mmr(cands, rel, vecs, 2, lam=0.5)
    assert got == [0, 2], f"the near-duplicate of item 0 should give way to item 2, got {got}"
    assert mmr([3, 1], [0.2, 0.9], vecs, 5) == [1, 3], "k beyond the candidates: all, re-ranked"
    assert mmr([2, 0], [0.5, 0.5], vecs, 1) == [2], "a tie goes to the earlier candidate"
    with pytest.raises(ValueError):
        mmr(cands, rel, vecs, 2, lam=1.5)


def test_recall_at_k():
    assert recall_at_k([5, 3, 9, 1], {3, 1}, 2) == 0.5, "only 3 is in the top 2"
    assert recall_at_k([5, 3, 9, 1], {3, 1}, 10) == 1.0
    assert recall_at_k([], {3}, 5) == 0.0
    with pytest.raises(ValueError):
        recall_at_k([1], set(), 1)
