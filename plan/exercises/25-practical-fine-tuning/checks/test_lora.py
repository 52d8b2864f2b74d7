"""Checks for a LoRA layer in NumPy and for the DPO loss."""

import numpy as np
import pytest
from lora import LoRALinear, dpo_loss, lora_param_count


def layer(d_out=6, d_in=5, r=2, alpha=4.0, seed=25, **kw):
    rng = np.random.default_rng(seed)
    weight = rng.normal(size=(d_out, d_in))
    return weight, LoRALinear(weight, r, alpha, np.random.default_rng(seed + 1), **kw)


def test_a_fresh_adapter_leaves_the_layer_unchanged():
    weight, lo = layer()
    x = np.random.default_rng(1).normal(size=(3, 5))
    assert lo.A.shape == (2, 5) and lo.B.shape == (6, 2), (
        f"expected A (2, 5) and B (6, 2), got {lo.A.shape} and {lo.B.shape}"
    )
    assert np.all(lo.B == 0), "B starts at zero"
    bound = 1 / np.sqrt(5)
    assert np.all(np.abs(lo.A) <= bound) and np.abs(lo.A).max() > 0, (
        f"A is uniform in [-{bound:.3f}, {bound:.3f}] and not all zero, got {lo.A}"
    )
    assert np.array_equal(lo.forward(x), x @ weight.T), "at init the output is exactly x @ W.T"
    assert np.array_equal(lo.delta(), np.zeros((6, 5))), "at init delta_W is zero"


def test_scale_is_alpha_over_r_or_over_sqrt_r_with_rslora():
    _, plain = layer(r=4, alpha=16.0)
    _, rs = layer(r=4, alpha=16.0, use_rslora=True)
    assert plain.scale == pytest.approx(4.0), f"expected 16 / 4 = 4, got {plain.scale}"
    assert rs.scale == pytest.approx(8.0), f"expected 16 / sqrt(4) = 8, got {rs.scale}"


def test_forward_matches_the_merged_weight_and_merging_keeps_w():
    weight, lo = layer(r=3, alpha=6.0)
    lo.B = np.random.default_rng(2).normal(size=lo.B.shape)
    x = np.random.default_rng(3).normal(size=(4, 5))
    want_delta = 2.0 * lo.B @ lo.A
    assert np.allclose(lo.delta(), want_delta), "delta_W is (alpha / r) * B @ A"
    merged = lo.merged()
    assert np.allclose(lo.forward(x), x @ merged.T), "forward equals x @ (W + delta_W).T"
    assert np.allclose(merged, weight + want_delta), "merged is W + delta_W"
    assert np.array_equal(lo.weight, weight), "merging must not change the frozen weight"


def test_the_callers_weight_is_copied_not_shared():
    weight, lo = layer()
    original = weight.copy()
    lo.weight += 1.0
    assert np.array_equal(weight, original), "the layer keeps its own copy of W"


def test_rank_must_fit_the_matrix():
    weight = np.zeros((6, 5))
    for r in (0, 6, -1):
        with pytest.raises(ValueError):
            LoRALinear(weight, r, 8.0, np.random.default_rng(0))
    LoRALinear(weight, 5, 8.0, np.random.default_rng(0))  # the full rank is allowed


def test_parameter_counts():
    _, lo = layer(d_out=6, d_in=5, r=2)
    assert lo.trainable_params() == 22, f"expected 2 * (5 + 6) = 22, got {lo.trainable_params()}"
    got = lora_param_count([(4096, 4096)], 16)
    assert got == 131_072, f"a 4096 x 4096 projection at r=16 adds 131,072, got {got}"
    got = lora_param_count([(576, 576), (192, 576), (1536, 576), (576, 1536)], 8)
    assert got == 8 * (1152 + 768 + 2112 + 2112), f"expected {8 * 6144}, got {got}"
    assert lora_param_count([], 8) == 0


def test_gradients_match_finite_differences_and_a_is_still_at_the_first_step():
    _, lo = layer(r=2, alpha=3.0)
    rng = np.random.default_rng(4)
    x, target = rng.normal(size=(3, 5)), rng.normal(size=(3, 6))

    def loss():
        return 0.5 * np.sum((lo.forward(x) - target) ** 2)

    grad_a, grad_b = lo.grads(x, lo.forward(x) - target)
    assert np.all(grad_a == 0), "with B = 0 the first gradient on A is exactly zero"
    assert np.abs(grad_b).max() > 0, "with B = 0 the first gradient on B is not zero"
    lo.B = rng.normal(size=lo.B.shape)
    grad_a, grad_b = lo.grads(x, lo.forward(x) - target)
    for name, param, grad in (("A", lo.A, grad_a), ("B", lo.B, grad_b)):
        assert grad.shape == param.shape, (
            f"d{name} has {name}'s shape {param.shape}, got {grad.shape}"
        )
        numeric = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            old = param[index]
            param[index] = old + 1e-6
            up = loss()
            param[index] = old - 1e-6
            down = loss()
            param[index] = old
            numeric[index] = (up - down) / 2e-6
        assert np.allclose(grad, numeric, atol=1e-5), f"d{name} disagrees with finite differences"


def test_dpo_loss_values_rewards_and_stability():
    losses, chosen, rejected = dpo_loss(
        np.array([-10.0, -5.0, 0.0]),
        np.array([-10.0, -15.0, -20000.0]),
        np.array([-10.0, -10.0, -20000.0]),
        np.array([-10.0, -10.0, 0.0]),
        beta=0.1,
    )
    assert np.allclose(chosen, [0.0, 0.5, 2000.0]), f"chosen rewards, got {chosen}"
    assert np.allclose(rejected, [0.0, -0.5, -2000.0]), f"rejected rewards, got {rejected}"
    want = [np.log(2), np.log1p(np.exp(-1.0)), 0.0]
    assert np.allclose(losses, want), f"expected {want}, got {losses}"
    big, _, _ = dpo_loss(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([1e4]), 0.1)
    assert np.isfinite(big).all() and big[0] == pytest.approx(0.0, abs=1e-12), (
        f"a margin of +1000 gives a loss of about 0, never inf or nan; got {big}"
    )
    bad, _, _ = dpo_loss(np.array([0.0]), np.array([0.0]), np.array([1e4]), np.array([0.0]), 0.1)
    assert np.isfinite(bad).all() and bad[0] == pytest.approx(1000.0), (
        f"a margin of -1000 gives a loss of about 1000, got {bad}"
    )


def test_dpo_depends_only_on_the_log_ratio_margin_and_beta_scales_it():
    rng = np.random.default_rng(5)
    pc, pr, rc, rr = rng.normal(-50, 5, size=(4, 8))
    base, _, _ = dpo_loss(pc, pr, rc, rr, beta=0.1)
    shifted, _, _ = dpo_loss(pc + 7, pr - 3, rc + 7, rr - 3, beta=0.1)
    assert np.allclose(base, shifted), "shifting policy and reference alike changes nothing"
    no_ref, _, _ = dpo_loss(pc, pr, np.zeros(8), np.zeros(8), beta=0.1)
    assert not np.allclose(base, no_ref), "the reference log-probs must enter the loss"
    double, _, _ = dpo_loss(pc, pr, rc, rr, beta=0.2)
    margin = 0.1 * ((pc - rc) - (pr - rr))
    assert np.allclose(double, np.logaddexp(0, -2 * margin)), "beta multiplies the margin"
