"""LoRA on one linear layer, and the DPO loss, in NumPy.

Shapes follow PyTorch's nn.Linear: the frozen weight W is (d_out, d_in) and a batch x is
(n, d_in), so the layer computes x @ W.T. The adapter is A (r, d_in) and B (d_out, r); the update
is delta_W = scale * B @ A.
"""

from __future__ import annotations

import numpy as np


class LoRALinear:
    def __init__(
        self,
        weight: np.ndarray,
        r: int,
        alpha: float,
        rng: np.random.Generator,
        use_rslora: bool = False,
    ) -> None:
        """Wrap a frozen (d_out, d_in) weight with a rank-r adapter.

        Keeps its own copy of `weight` as `self.weight` (the caller's array is never changed).
        `self.A` is drawn from `rng` uniformly in [-1/sqrt(d_in), 1/sqrt(d_in)] (PyTorch's
        Kaiming-uniform default for a layer of fan-in d_in); `self.B` is zeros, so the adapted
        layer starts out exactly equal to the frozen one. `self.scale` is alpha / r, or
        alpha / sqrt(r) with use_rslora. ValueError unless 1 <= r <= min(d_out, d_in).
        """
        d_out, d_in = weight.shape
        if not 1 <= r <= min(d_out, d_in):
            raise ValueError(f"r must be between 1 and {min(d_out, d_in)}, got {r}")
        self.weight = np.array(weight, dtype=float)
        bound = 1 / np.sqrt(d_in)
        self.A = rng.uniform(-bound, bound, size=(r, d_in))
        self.B = np.zeros((d_out, r))
        self.scale = alpha / np.sqrt(r) if use_rslora else alpha / r

    def delta(self) -> np.ndarray:
        """The (d_out, d_in) update scale * B @ A."""
        return self.scale * self.B @ self.A

    def forward(self, x: np.ndarray) -> np.ndarray:
        """x @ W.T plus the adapter's path, computed without forming delta_W:
        scale * (x @ A.T) @ B.T. Returns (n, d_out)."""
        return x @ self.weight.T + self.scale * (x @ self.A.T) @ self.B.T

    def merged(self) -> np.ndarray:
        """W + delta_W as a new array: one matrix that computes what forward does, at no extra
        latency. self.weight is left as it was."""
        return self.weight + self.delta()

    def grads(self, x: np.ndarray, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(dL/dA, dL/dB) for a batch x (n, d_in), given grad_out = dL/d(output) (n, d_out).
        W gets no gradient: it is frozen."""
        hidden = x @ self.A.T  # (n, r)
        grad_b = self.scale * grad_out.T @ hidden
        grad_a = self.scale * (grad_out @ self.B).T @ x
        return grad_a, grad_b

    def trainable_params(self) -> int:
        """The number of trainable values: those of A and B, r * (d_in + d_out)."""
        return self.A.size + self.B.size


def lora_param_count(shapes: list[tuple[int, int]], r: int) -> int:
    """Trainable parameters of rank-r adapters on linear layers of the given (d_out, d_in) shapes,
    one adapter per shape listed (list a shape once per layer that has it)."""
    return sum(r * (d_out + d_in) for d_out, d_in in shapes)


def dpo_loss(
    policy_chosen: np.ndarray,
    policy_rejected: np.ndarray,
    ref_chosen: np.ndarray,
    ref_rejected: np.ndarray,
    beta: float = 0.1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-pair DPO losses and implicit rewards from summed sequence log-probabilities.

    chosen_rewards = beta * (policy_chosen - ref_chosen), rejected_rewards likewise, and
    loss = -log(sigmoid(chosen_rewards - rejected_rewards)), computed so that it stays finite for
    any margin (a margin of -1000 gives a loss of about 1000, not inf or nan).
    Returns (losses, chosen_rewards, rejected_rewards), each of the inputs' shape.
    """
    chosen = beta * (np.asarray(policy_chosen, float) - np.asarray(ref_chosen, float))
    rejected = beta * (np.asarray(policy_rejected, float) - np.asarray(ref_rejected, float))
    losses = np.logaddexp(0.0, -(chosen - rejected))
    return losses, chosen, rejected
