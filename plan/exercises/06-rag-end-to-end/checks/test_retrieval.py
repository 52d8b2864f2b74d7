import math

import pytest
from retrieval import BM25, chunk, recall_at_k, reciprocal_rank, rrf, tokenize


def close(a, b):
    return abs(a - b) < 1e-9


def test_tokenize_lowercases_and_keeps_letters_and_digits():
    got = tokenize("Error E42: pip-install FAILED (see  docs/v2.1)!")
    want = ["error", "e42", "pip", "install", "failed", "see", "docs", "v2", "1"]
    assert got == want, f"expected {want}, got {got}"
    assert tokenize("  ...  ") == [], "text without letters or digits has no tokens"


def test_chunks_overlap_and_cover_every_token_once_at_the_end():
    tokens = [f"t{i}" for i in range(10)]
    got = chunk(tokens, 4, 1)
    want = [tokens[0:4], tokens[3:7], tokens[6:10]]
    assert got == want, f"size 4, overlap 1 over 10 tokens: expected {want}, got {got}"
    got = chunk(tokens[:11] + ["t10"], 4, 1)
    assert got[-1] == ["t9", "t10"], f"the last window may be shorter, got {got[-1]}"
    got = chunk(tokens, 5, 0)
    assert got == [tokens[:5], tokens[5:]], f"no overlap: two halves, got {got}"
    got = chunk(tokens, 3, 2)
    assert len(got) == 8 and got[-1] == tokens[7:10], (
        f"step 1: windows start at 0..7 and the one at 7 reaches the end; got {len(got)} "
        f"windows ending {got[-1] if got else None}"
    )
    assert chunk(tokens[:3], 4, 1) == [tokens[:3]], "fewer tokens than size: one chunk"
    assert chunk(tokens[:4], 4, 1) == [tokens[:4]], (
        "exactly size tokens: one chunk, not a second one lying inside the first"
    )
    assert chunk([], 4, 1) == [], "no tokens, no chunks"


def test_chunk_refuses_an_overlap_that_would_never_advance():
    for size, overlap in [(4, 4), (4, 5), (0, 0), (3, -1)]:
        with pytest.raises(ValueError):
            chunk(["a", "b", "c"], size, overlap)


DOCS = [
    "the cat sat on the mat".split(),
    "the dog chased the cat around the garden".split(),
    "error e42 means the disk is full".split(),
    "cats and dogs".split(),
]


def test_bm25_matches_the_formula_by_hand():
    bm = BM25(DOCS, k1=1.5, b=0.75)
    got = bm.scores(["cat"])
    n, df = 4, 2
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avgdl = (6 + 8 + 7 + 3) / 4
    want0 = idf * 1 * 2.5 / (1 + 1.5 * (1 - 0.75 + 0.75 * 6 / avgdl))
    want1 = idf * 1 * 2.5 / (1 + 1.5 * (1 - 0.75 + 0.75 * 8 / avgdl))
    assert close(got[0], want0) and close(got[1], want1), (
        f"expected [{want0:.6f}, {want1:.6f}, 0, 0], got {got}"
    )
    assert got[2] == 0 and got[3] == 0, f"documents without the term score 0, got {got}"
    the = bm.scores(["the"])
    assert all(s > 0 for s in the[:3]), f"Lucene's idf stays positive for a common term: {the}"
    assert bm.scores(["zebra"]) == [0, 0, 0, 0] and bm.scores([]) == [0, 0, 0, 0], (
        "an unknown term or an empty query scores 0"
    )
    twice = bm.scores(["cat", "cat"])
    assert close(twice[0], 2 * want0), f"a repeated query term counts twice, got {twice[0]}"
    with pytest.raises(ValueError):
        BM25([])


def test_bm25_saturates_term_frequency_and_normalises_length():
    docs = [["x"] + ["pad"] * 9, ["x"] * 10, ["x", "pad"], ["other"] * 10]
    bm = BM25(docs, k1=1.2, b=0.75)
    s = bm.scores(["x"])
    idf = math.log(1 + (4 - 3 + 0.5) / (3 + 0.5))
    assert s[1] < idf * (1.2 + 1), (
        f"term frequency saturates below idf*(k1+1) = {idf * 2.2:.4f}: {s}"
    )
    assert s[1] > s[0], "more occurrences in a document of the same length score higher"
    assert s[2] > s[0], "with b > 0, the same count in a shorter document scores higher"
    flat = BM25(docs, k1=1.2, b=0.0).scores(["x"])
    assert close(flat[0], flat[2]), f"with b = 0 length does not matter: {flat[0]} vs {flat[2]}"
    only_empty = BM25([[], []]).scores(["x"])
    assert only_empty == [0, 0], f"a corpus of empty documents scores 0, got {only_empty}"


def test_bm25_search_ranks_breaks_ties_and_drops_zero_scores():
    docs = [["a"], ["b", "a"], ["a"], ["c"]]
    bm = BM25(docs)
    got = bm.search(["a"], 10)
    assert got == [0, 2, 1], f"equal scores keep index order, zero scores are left out: got {got}"
    assert bm.search(["a"], 2) == [0, 2], "k cuts the list"
    assert bm.search(["zzz"], 3) == [], "nothing matches: an empty list"


def test_rrf_fuses_ranks_not_scores():
    bm25 = ["d1", "d2", "d3"]
    dense = ["d3", "d4", "d1"]
    got = dict(rrf([bm25, dense]))
    want = {
        "d1": 1 / 61 + 1 / 63,
        "d2": 1 / 62,
        "d3": 1 / 63 + 1 / 61,
        "d4": 1 / 62,
    }
    assert set(got) == set(want), (
        f"every id any ranker returned: expected {sorted(want)}, got {sorted(got)}"
    )
    for d, v in want.items():
        assert close(got[d], v), f"{d}: expected {v:.6f}, got {got[d]:.6f}"
    order = [d for d, _ in rrf([bm25, dense])]
    assert order == ["d1", "d3", "d2", "d4"], f"ties in ascending id order: got {order}"
    order = [d for d, _ in rrf([["b", "a"], ["a", "b"]])]
    assert order == ["a", "b"], (
        f"equal scores come in ascending id order, not first seen: got {order}"
    )
    agree = rrf([["a", "x"] + [f"f{i}" for i in range(8)] + ["b"], ["b"]])
    assert agree[0][0] == "b", (
        f"ranked 1st by one ranker and 11th by the other beats 1st by one only: got {agree[:2]}"
    )
    got = dict(rrf([["a", "b", "a"]], k=1))
    assert close(got["a"], 1 / 2) and close(got["b"], 1 / 3), (
        f"a repeat keeps the best rank, k=1: {got}"
    )
    assert rrf([]) == [] and rrf([[], []]) == [], "no rankings, nothing fused"


def test_recall_at_k_and_reciprocal_rank():
    ranked = ["c7", "c2", "c9", "c4", "c1"]
    assert close(recall_at_k(ranked, {"c2", "c4"}, 3), 0.5), "one of two relevant in the top 3"
    assert close(recall_at_k(ranked, {"c2", "c4"}, 4), 1.0), "both relevant in the top 4"
    assert recall_at_k(ranked, {"c8"}, 5) == 0.0, "a relevant id never retrieved"
    assert close(recall_at_k(ranked, {"c1"}, 50), 1.0), "k beyond the list is the whole list"
    with pytest.raises(ValueError):
        recall_at_k(ranked, set(), 5)
    assert close(reciprocal_rank(ranked, {"c9", "c1"}, 10), 1 / 3), "the first relevant is 3rd"
    assert reciprocal_rank(ranked, {"c1"}, 4) == 0.0, "a relevant id at rank 5 is outside k=4"
    assert reciprocal_rank(ranked, {"c7"}, 1) == 1.0, "rank 1 gives 1.0"
    assert reciprocal_rank([], {"c7"}, 10) == 0.0, "nothing retrieved gives 0.0"
