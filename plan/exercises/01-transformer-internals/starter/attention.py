"""Causal multi-head attention with rotary position embeddings (RoPE), in numpy.

Arrays are float64. Shapes use T for the sequence length, d_k for a head's width, and `...`
for any leading batch (and head) dimensions.
"""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax of `x` along `axis`, numerically stable: every finite input (logits of 1000 or
    -1000 included) gives finite weights that sum to 1, and an entry of -inf gets weight 0
    (a row that is entirely -inf is not asked of it)."""
    raise NotImplementedError


def causal_mask(t: int) -> np.ndarray:
    """A (t, t) array to add to the attention logits: 0.0 on and below the diagonal, -inf
    above it (so that position i sees only positions j <= i)."""
    raise NotImplementedError


def scaled_dot_product(
    q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = True
) -> np.ndarray:
    """softmax(q kᵀ / sqrt(d_k) + M) v, with M the causal mask when `causal` (else 0).

    q and k: (..., T, d_k); v: (..., T, d_v). Returns (..., T, d_v)."""
    raise NotImplementedError


def rope(x: np.ndarray, positions: np.ndarray | None = None, base: float = 10000.0) -> np.ndarray:
    """Rotary position embedding of `x`, shape (..., T, d) with d even: the pair
    (x[..., 2i], x[..., 2i + 1]) of the token at position p is rotated by the angle
    p * base ** (-2i / d), i = 0 .. d/2 - 1:

        (a, b) -> (a cos θ - b sin θ, a sin θ + b cos θ)

    `positions` (length T) defaults to 0, 1, ..., T - 1. Returns a new array of x's shape;
    an odd d raises ValueError."""
    raise NotImplementedError


def multi_head_attention(
    x: np.ndarray,
    w_q: np.ndarray,
    w_k: np.ndarray,
    w_v: np.ndarray,
    w_o: np.ndarray,
    heads: int,
    causal: bool = True,
    use_rope: bool = True,
) -> np.ndarray:
    """Multi-head self-attention of `x`, shape (..., T, d_model); each weight is
    (d_model, d_model).

    Q = x @ w_q (likewise K and V) is split along its last axis into `heads` contiguous
    slices of width d_k = d_model / heads: head h gets columns h*d_k to (h+1)*d_k. With
    `use_rope`, RoPE (positions 0 .. T-1) is applied to each head's queries and keys, never
    to the values. Each head attends (`causal` as given), the heads' outputs are joined back
    in order to (..., T, d_model), and the result is that @ w_o. A d_model that `heads` does
    not divide raises ValueError."""
    raise NotImplementedError
