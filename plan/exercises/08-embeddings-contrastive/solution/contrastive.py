"""Contrastive learning's arithmetic in numpy: cosine similarity, the InfoNCE loss with
in-batch negatives and a temperature (with its gradient), and recall@k by brute force."""

import numpy as np


def normalize(x: np.ndarray) -> np.ndarray:
    """Each row of the 2-D array `x` scaled to unit Euclidean length, as float64.
    Raises ValueError when a row is all zeros (its direction is undefined)."""
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("cannot normalise a zero vector")
    return x / norms


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The (n, m) matrix of cosine similarities between the n rows of `a` and the m rows
    of `b`. Raises ValueError when the row lengths differ, or for a zero row."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"rows of length {a.shape[1]} and {b.shape[1]} cannot be compared")
    return normalize(a) @ normalize(b).T


def info_nce(sim: np.ndarray, temperature: float) -> tuple[float, np.ndarray]:
    """InfoNCE over a square (N, N) similarity matrix whose row i has its positive at
    column i and its negatives everywhere else (in-batch negatives).

    loss = mean over rows i of −log( exp(sim[i, i] / t) / Σ_j exp(sim[i, j] / t) )

    Return (loss, grad) where grad[i, j] = ∂loss / ∂sim[i, j]. It must stay finite for
    temperatures as small as 1e-3. Raises ValueError for a non-square or empty matrix or
    a temperature that is not above 0."""
    sim = np.asarray(sim, dtype=np.float64)
    if sim.ndim != 2 or sim.shape[0] != sim.shape[1] or sim.shape[0] == 0:
        raise ValueError(f"need a non-empty square matrix, got shape {sim.shape}")
    if not temperature > 0:
        raise ValueError(f"temperature must be above 0, got {temperature}")
    n = sim.shape[0]
    logits = sim / temperature
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_z = np.log(np.exp(shifted).sum(axis=1))
    log_p = shifted - log_z[:, None]
    loss = float(-np.mean(np.diag(log_p)))
    grad = (np.exp(log_p) - np.eye(n)) / (temperature * n)
    return loss, grad


def batch_info_nce(
    queries: np.ndarray, keys: np.ndarray, temperature: float = 0.05, symmetric: bool = False
) -> float:
    """The InfoNCE loss of a batch of (query, key) pairs: row i of `queries` and row i
    of `keys` are a positive pair, every other key in the batch is a negative. The
    similarity is the cosine. With symmetric=True (as CLIP trains), return the mean of
    the query-to-key loss and the key-to-query loss. Raises ValueError when the two
    arrays differ in shape, and as info_nce does."""
    queries, keys = np.asarray(queries), np.asarray(keys)
    if queries.shape != keys.shape:
        raise ValueError(f"queries {queries.shape} and keys {keys.shape} must match")
    sim = cosine_matrix(queries, keys)
    loss, _ = info_nce(sim, temperature)
    if symmetric:
        loss = (loss + info_nce(sim.T, temperature)[0]) / 2
    return loss


def top_k(queries: np.ndarray, corpus: np.ndarray, k: int) -> np.ndarray:
    """For each query row, the indices of its k most cosine-similar corpus rows, best
    first; equal similarities keep the lower index first. Shape (n_queries, k).
    Raises ValueError unless 1 <= k <= len(corpus)."""
    corpus = np.asarray(corpus)
    if not 1 <= k <= len(corpus):
        raise ValueError(f"k must lie in 1..{len(corpus)}, got {k}")
    sim = cosine_matrix(queries, corpus)
    return np.argsort(-sim, axis=1, kind="stable")[:, :k]


def recall_at_k(queries: np.ndarray, corpus: np.ndarray, relevant: list[int], k: int) -> float:
    """The share of queries whose relevant corpus row (relevant[i] for query i) is among
    their top_k. Raises ValueError when relevant has the wrong length, and as top_k."""
    queries = np.asarray(queries)
    if len(relevant) != len(queries):
        raise ValueError(f"{len(queries)} queries but {len(relevant)} relevant indices")
    hits = top_k(queries, corpus, k) == np.asarray(relevant)[:, None]
    return float(hits.any(axis=1).mean())
