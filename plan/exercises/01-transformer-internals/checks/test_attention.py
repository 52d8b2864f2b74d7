import numpy as np
import pytest
from attention import causal_mask, multi_head_attention, rope, scaled_dot_product, softmax


def rng():
    return np.random.default_rng(2026)


def weights(d_model, seed=7):
    r = np.random.default_rng(seed)
    return [r.normal(0, d_model**-0.5, (d_model, d_model)) for _ in range(4)]


def test_softmax_rows_are_probabilities():
    x = rng().normal(0, 3, (5, 7))
    p = softmax(x)
    assert p.shape == x.shape, f"expected shape {x.shape}, got {p.shape}"
    assert np.all(p >= 0), f"expected no negative weight, got min {p.min()}"
    sums = p.sum(axis=-1)
    assert np.allclose(sums, 1.0), f"expected every row to sum to 1, got {sums}"
    along0 = softmax(x, axis=0).sum(axis=0)
    assert np.allclose(along0, 1.0), f"softmax(x, axis=0): columns sum to {along0}"


def test_softmax_is_stable_on_large_logits_and_ignores_minus_infinity():
    with np.errstate(over="raise", invalid="raise"):
        big = softmax(np.array([1000.0, 1000.0, 999.0]))
        small = softmax(np.array([-1000.0, -1000.0, -1001.0]))
    expected = np.exp([1.0, 1.0, 0.0]) / np.exp([1.0, 1.0, 0.0]).sum()
    assert np.allclose(big, expected), f"logits 1000, 1000, 999: expected {expected}, got {big}"
    assert np.allclose(small, expected), f"logits -1000...: expected {expected}, got {small}"
    masked = softmax(np.array([0.5, -np.inf, 0.5]))
    assert np.allclose(masked, [0.5, 0.0, 0.5]), f"expected [0.5, 0, 0.5], got {masked}"


def test_causal_mask_hides_the_future_only():
    m = causal_mask(4)
    assert m.shape == (4, 4), f"expected shape (4, 4), got {m.shape}"
    above = m[np.triu_indices(4, 1)]
    below = m[np.tril_indices(4)]
    assert np.all(np.isneginf(above)), f"expected -inf above the diagonal, got {above}"
    assert np.all(below == 0.0), f"expected 0 on and below the diagonal, got {below}"


def test_attention_weights_sum_to_one_and_put_nothing_on_the_future():
    q, k = rng().normal(size=(2, 6, 8))
    weights_seen = scaled_dot_product(q, k, np.eye(6), causal=True)  # v = I shows the weights
    sums = weights_seen.sum(axis=-1)
    assert np.allclose(sums, 1.0), f"expected each row of weights to sum to 1, got {sums}"
    future = weights_seen[np.triu_indices(6, 1)]
    assert np.allclose(future, 0.0), f"expected zero weight above the diagonal, got {future}"
    first = weights_seen[0]
    assert np.allclose(first, np.eye(6)[0]), f"position 0 sees only itself; got {first}"


def test_logits_are_scaled_by_the_square_root_of_d_k():
    d_k = 16
    q = np.ones((1, d_k)) * 0.5
    k = np.stack([np.ones(d_k) * 0.5, np.zeros(d_k)])  # raw scores 4 and 0
    got = scaled_dot_product(q, k, np.eye(2), causal=False)[0]
    expected = softmax(np.array([4.0, 0.0]) / np.sqrt(d_k))
    unscaled = softmax(np.array([4.0, 0.0]))
    assert np.allclose(got, expected), (
        f"expected weights {expected} (scores / sqrt({d_k})), got {got}"
        + (" - the unscaled ones" if np.allclose(got, unscaled) else "")
    )


def test_a_later_token_never_changes_an_earlier_output():
    x = rng().normal(size=(7, 16))
    w = weights(16)
    before = multi_head_attention(x, *w, heads=4)
    changed = x.copy()
    changed[4:] = rng().normal(size=(3, 16)) * 10
    after = multi_head_attention(changed, *w, heads=4)
    assert np.allclose(before[:4], after[:4]), (
        f"changing tokens 4..6 moved outputs 0..3 by up to {np.abs(before[:4] - after[:4]).max()}"
    )
    assert not np.allclose(before[4:], after[4:]), "outputs 4..6 should follow their own tokens"


def test_shapes_follow_the_contract():
    r = rng()
    q, k = r.normal(size=(2, 2, 3, 5, 8))
    v = r.normal(size=(2, 3, 5, 6))
    out = scaled_dot_product(q, k, v)
    assert out.shape == (2, 3, 5, 6), f"expected (2, 3, 5, 6) from d_v = 6, got {out.shape}"
    x = r.normal(size=(2, 5, 12))
    out = multi_head_attention(x, *weights(12), heads=3)
    assert out.shape == (2, 5, 12), f"expected a batch of (5, 12) outputs, got {out.shape}"
    with pytest.raises(ValueError):
        multi_head_attention(x, *weights(12), heads=5)
        pytest.fail("expected ValueError: 5 heads do not divide d_model = 12")


def test_rope_rotates_each_pair_by_position_times_its_frequency():
    x = np.zeros((4, 4))
    x[:, 0] = 1.0  # pair 0 = (1, 0), frequency 1
    x[:, 2] = 1.0  # pair 1 = (1, 0), frequency 10000 ** (-2/4) = 0.01
    got = rope(x)
    assert np.allclose(got[0], x[0]), f"position 0 must be unchanged, got {got[0]}"
    expected = np.array([np.cos(3), np.sin(3), np.cos(0.03), np.sin(0.03)])
    assert np.allclose(got[3], expected), f"position 3: expected {expected}, got {got[3]}"
    norms = np.linalg.norm(rope(rng().normal(size=(5, 8))).reshape(5, 4, 2), axis=-1)
    plain = np.linalg.norm(rng().normal(size=(5, 8)).reshape(5, 4, 2), axis=-1)
    assert np.allclose(norms, plain), "a rotation keeps the length of every pair"
    with pytest.raises(ValueError):
        rope(np.zeros((3, 5)))
        pytest.fail("expected ValueError for an odd width")


def test_rope_scores_depend_only_on_the_offset():
    r = rng()
    q, k = r.normal(size=(2, 1, 16))

    def score(m, n):
        return float(rope(q, np.array([m]))[0] @ rope(k, np.array([n]))[0])

    for m, n, shift in ((5, 2, 10), (3, 3, 7), (0, 9, 100)):
        a, b = score(m, n), score(m + shift, n + shift)
        assert np.isclose(a, b), f"q·k at ({m}, {n}) is {a}, at ({m + shift}, {n + shift}) {b}"
    assert not np.isclose(score(5, 2), score(6, 2)), "a different offset must change the score"


def test_heads_are_contiguous_slices_with_rope_on_queries_and_keys():
    r = rng()
    x = r.normal(size=(6, 8))
    w_q, w_k, w_v, w_o = weights(8)
    parts = []
    for h in range(2):
        cols = slice(4 * h, 4 * h + 4)
        q, k, v = ((x @ w)[:, cols] for w in (w_q, w_k, w_v))
        parts.append(scaled_dot_product(rope(q), rope(k), v, causal=True))
    expected = np.concatenate(parts, axis=-1) @ w_o
    got = multi_head_attention(x, w_q, w_k, w_v, w_o, heads=2)
    assert np.allclose(got, expected), (
        f"expected head h on columns 4h..4h+3, RoPE on q and k: off by up to "
        f"{np.abs(got - expected).max()}"
    )


def test_without_positions_or_mask_attention_is_permutation_equivariant():
    r = rng()
    x = r.normal(size=(6, 8))
    w = weights(8)
    order = r.permutation(6)
    out = multi_head_attention(x, *w, heads=2, causal=False, use_rope=False)
    shuffled = multi_head_attention(x[order], *w, heads=2, causal=False, use_rope=False)
    assert np.allclose(shuffled, out[order]), (
        "without positions, shuffling the tokens should shuffle the outputs the same way"
    )
    with_rope = multi_head_attention(x[order], *w, heads=2, causal=False, use_rope=True)
    plain = multi_head_attention(x, *w, heads=2, causal=False, use_rope=True)
    assert not np.allclose(with_rope, plain[order]), "RoPE must make the order matter"
