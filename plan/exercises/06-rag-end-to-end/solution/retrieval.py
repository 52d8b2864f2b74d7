"""The retrieval half of a RAG pipeline in plain Python: overlapping chunks, BM25,
reciprocal rank fusion, and the two metrics that say whether retrieval works."""

import math
import re
from collections import Counter


def tokenize(text: str) -> list[str]:
    """Lower-case `text` and return its runs of letters and digits ([a-z0-9]+ after
    lower-casing), in order. Everything else separates tokens."""
    return re.findall(r"[a-z0-9]+", text.lower())


def chunk(tokens: list[str], size: int, overlap: int) -> list[list[str]]:
    """Cut `tokens` into windows of `size` tokens, each starting `size - overlap`
    tokens after the one before; the last window may be shorter. Stop at the first
    window that reaches the end, so no window lies wholly inside the one before it.
    No tokens give no chunks. Raises ValueError unless 0 <= overlap < size."""
    if size < 1 or overlap < 0 or overlap >= size:
        raise ValueError(f"need 0 <= overlap < size, got size={size}, overlap={overlap}")
    out = []
    step = size - overlap
    for start in range(0, len(tokens), step):
        out.append(tokens[start : start + size])
        if start + size >= len(tokens):
            break
    return out


class BM25:
    """Okapi BM25 over tokenised documents, with Lucene's always-positive idf:

    idf(t) = ln(1 + (N - n_t + 0.5) / (n_t + 0.5))
    score(q, d) = sum over the query's tokens t (repeats included) of
                  idf(t) * f(t, d) * (k1 + 1) / (f(t, d) + k1 * (1 - b + b * |d| / avgdl))

    N is the number of documents, n_t how many contain t, f(t, d) how often t occurs
    in d, |d| the length of d and avgdl the mean length. Raises ValueError for an empty
    corpus."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        if not docs:
            raise ValueError("BM25 needs at least one document")
        self.k1, self.b = k1, b
        self.freqs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avgdl = sum(self.lengths) / len(docs)
        df = Counter(t for f in self.freqs for t in f)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def scores(self, query: list[str]) -> list[float]:
        """The score of every document for `query`, in document order. A term that no
        document holds adds nothing; an empty query scores 0 everywhere."""
        out = []
        for f, length in zip(self.freqs, self.lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / self.avgdl) if self.avgdl else self.k1
            total = 0.0
            for t in query:
                tf = f.get(t, 0)
                if tf:
                    total += self.idf[t] * tf * (self.k1 + 1) / (tf + norm)
            out.append(total)
        return out

    def search(self, query: list[str], k: int) -> list[int]:
        """The indices of the (at most) k best documents with a score above 0, best
        first; equal scores keep the lower index first."""
        s = self.scores(query)
        ranked = sorted((i for i in range(len(s)) if s[i] > 0), key=lambda i: (-s[i], i))
        return ranked[:k]


def rrf(rankings: list[list[str]], k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each ranking lists ids best first (rank 1 is the first);
    an id scores the sum of 1 / (k + rank) over the rankings that hold it (only its
    best rank counts if a ranking repeats it). Return (id, score) pairs, highest score
    first; equal scores in ascending id order."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        seen = set()
        for rank, doc in enumerate(ranking, start=1):
            if doc in seen:
                continue
            seen.add(doc)
            fused[doc] = fused.get(doc, 0.0) + 1 / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def recall_at_k(ranked: list[str], relevant: set[str], k: int) -> float:
    """The share of the relevant ids that appear in the first k of `ranked`. Raises
    ValueError when `relevant` is empty."""
    if not relevant:
        raise ValueError("recall needs at least one relevant id")
    return len(relevant & set(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int) -> float:
    """1 / rank of the first relevant id within the first k of `ranked` (rank 1 is
    the first), or 0.0 when none is there. MRR@k is its mean over queries."""
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            return 1 / rank
    return 0.0
