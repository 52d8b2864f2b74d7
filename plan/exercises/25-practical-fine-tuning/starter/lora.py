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
        raise NotImplementedError

    def delta(self) -> np.ndarray:
        """The (d_out, d_in) update scale * B @ A."""
        raise NotImplementedError

    def forward(self, x: np.ndarray) -> np.ndarray:
        """x @ W.T plus the adapter's path, computed without forming delta_W:
        scale * (x @ A.T) @ B.T. Returns (n, d_out)."""
        raise NotImplementedError

    def merged(self) -> np.ndarray:
        """W + delta_W as a new array: one matrix that computes what forward does, at no extra
        latency. self.weight is left as it was."""
        raise NotImplementedError

    def grads(self, x: np.ndarray, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(dL/dA, dL/dB) for a batch x (n, d_in), given grad_out = dL/d(output) (n, d_out).
        W gets no gradient: it is frozen."""
        raise NotImplementedError

    def trainable_params(self) -> int:
        """The number of trainable values: those of A and B, r * (d_in + d_out)."""
        raise NotImplementedError


def lora_param_count(shapes: list[tuple[int, int]], r: int) -> int:
    """Trainable parameters of rank-r adapters on linear layers of the given (d_out, d_in) shapes,
    one adapter per shape listed (list a shape once per layer that has it)."""
    raise NotImplementedError


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
    raise NotImplementedError
