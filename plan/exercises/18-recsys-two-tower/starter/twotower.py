"""The maths of a two-tower retriever and its re-ranker, in numpy: in-batch softmax with
the logQ correction, exact top-k retrieval, maximal marginal relevance and Recall@K."""

from collections.abc import Sequence

import numpy as np


def l2_normalize(x: np.ndarray) -> np.ndarray:
    """A copy of the 2-D array `x` with every row scaled to unit L2 norm; an all-zero row
    stays zero. `x` itself is not changed."""
    raise NotImplementedError


def in_batch_logits(
    users: np.ndarray,
    items: np.ndarray,
    temperature: float = 0.05,
    log_q: np.ndarray | None = None,
    item_ids: Sequence[int] | None = None,
) -> np.ndarray:
    """The B x B logits of a batch of B (user, positive item) pairs: row i, column j is
    users[i] . items[j] / temperature, minus log_q[j] when `log_q` (the log sampling
    probability of each column's item: the logQ correction) is given.

    When `item_ids` is given, a column j != i whose item id equals row i's own positive
    is set to -inf: the same item twice in a batch is not a negative for itself. The
    diagonal is never masked. ValueError if temperature <= 0 or the shapes disagree.
    """
    raise NotImplementedError


def softmax_loss(logits: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of each row's softmax against its diagonal entry (row i's
    positive is column i), and the gradient of that mean with respect to `logits`.

    Numerically stable for very large logits; entries of -inf get probability 0 and
    gradient 0.
    """
    raise NotImplementedError


def top_k(query: np.ndarray, items: np.ndarray, k: int, exclude: Sequence[int] = ()) -> list[int]:
    """Indices of the k rows of `items` with the largest inner product with `query`,
    best first; equal scores go to the lower index. Rows listed in `exclude` (items the
    user has already seen) are never returned; if fewer than k remain, all of them are
    returned. ValueError if k < 0."""
    raise NotImplementedError


def mmr(
    candidates: Sequence[int],
    relevance: Sequence[float],
    vectors: np.ndarray,
    k: int,
    lam: float = 0.7,
) -> list[int]:
    """Re-rank `candidates` (item indices, with `relevance[n]` the score of
    candidates[n]) by maximal marginal relevance and return the first k picks.

    Each step picks the unpicked candidate maximising
    lam * relevance - (1 - lam) * (largest cosine similarity between its row of `vectors`
    and any row already picked); the first pick has no similarity term. Ties go to the
    candidate earlier in `candidates`. ValueError unless 0 <= lam <= 1.
    """
    raise NotImplementedError


def recall_at_k(retrieved: Sequence[int], relevant: set[int], k: int) -> float:
    """The share of `relevant` found among the first k of `retrieved`.
    ValueError if `relevant` is empty."""
    raise NotImplementedError
