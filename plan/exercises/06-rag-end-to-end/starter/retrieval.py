"""The retrieval half of a RAG pipeline in plain Python: overlapping chunks, BM25,
reciprocal rank fusion, and the two metrics that say whether retrieval works."""

import math
import re
from collections import Counter


def tokenize(text: str) -> list[str]:
    """Lower-case `text` and return its runs of letters and digits ([a-z0-9]+ after
    lower-casing), in order. Everything else separates tokens."""
    raise NotImplementedError


def chunk(tokens: list[str], size: int, overlap: int) -> list[list[str]]:
    """Cut `tokens` into windows of `size` tokens, each starting `size - overlap`
    tokens after the one before; the last window may be shorter. Stop at the first
    window that reaches the end, so no window lies wholly inside the one before it.
    No tokens give no chunks. Raises ValueError unless 0 <= overlap < size."""
    raise NotImplementedError


class BM25:
    """Okapi BM25 over tokenised documents, with Lucene's always-positive idf:

    idf(t) = ln(1 + (N - n_t + 0.5) / (n_t + 0.5))
    score(q, d) = sum over the query's tokens t (repeats included) of
                  idf(t) * f(t, d) * (k1 + 1) / (f(t, d) + k1 * (1 - b + b * |d| / avgdl))

    N is the number of documents, n_t how many contain t, f(t, d) how often t occurs
    in d, |d| the length of d and avgdl the mean length. Raises ValueError for an empty
    corpus."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        raise NotImplementedError

    def scores(self, query: list[str]) -> list[float]:
        """The score of every document for `query`, in document order. A term that no
        document holds adds nothing; an empty query scores 0 everywhere."""
        raise NotImplementedError

    def search(self, query: list[str], k: int) -> list[int]:
        """The indices of the (at most) k best documents with a score above 0, best
        first; equal scores keep the lower index first."""
        raise NotImplementedError


def rrf(rankings: list[list[str]], k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each ranking lists ids best first (rank 1 is the first);
    an id scores the sum of 1 / (k + rank) over the rankings that hold it (only its
    best rank counts if a ranking repeats it). Return (id, score) pairs, highest score
    first; equal scores in ascending id order."""
    raise NotImplementedError


def recall_at_k(ranked: list[str], relevant: set[str], k: int) -> float:
    """The share of the relevant ids that appear in the first k of `ranked`. Raises
    ValueError when `relevant` is empty."""
    raise NotImplementedError


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int) -> float:
    """1 / rank of the first relevant id within the first k of `ranked` (rank 1 is
    the first), or 0.0 when none is there. MRR@k is its mean over queries."""
    raise NotImplementedError
