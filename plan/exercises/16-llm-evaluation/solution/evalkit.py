"""A small evaluation harness: string metrics, a debiased pairwise judge, agreement with
human labels and a bootstrap confidence interval."""

import random
import re
import string
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

Judge = Callable[[str, str, str], str]
"""judge(question, first_answer, second_answer) -> "first" | "second" | "tie"."""

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize(text: str) -> str:
    """SQuAD-style normalisation, in this order: lower-case; delete every character of
    `string.punctuation`; replace the words a, an, the by a space; collapse runs of
    whitespace to one space and strip both ends."""
    text = text.lower().translate(_PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(prediction: str, reference: str) -> float:
    """1.0 if the two strings are equal after `normalize`, else 0.0."""
    return float(normalize(prediction) == normalize(reference))


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall between the normalised strings.

    Tokens are the words of `normalize(...)`; overlap counts each token as often as it
    occurs in both (multiset intersection). If both are empty the score is 1.0; if
    exactly one is empty, or nothing overlaps, it is 0.0.
    """
    pred, ref = normalize(prediction).split(), normalize(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def debiased_verdict(judge: Judge, question: str, a: str, b: str) -> str:
    """Ask `judge` twice, with (a, b) and then (b, a) as (first, second), and return "a"
    or "b" only when both orders prefer the same answer; "tie" otherwise (a tie in
    either order, or a verdict that flips with the order).

    ValueError if the judge answers anything but "first", "second" or "tie".
    """
    forward = _winner(judge(question, a, b), first="a", second="b")
    backward = _winner(judge(question, b, a), first="b", second="a")
    return forward if forward == backward else "tie"


@dataclass(frozen=True)
class PairwiseResult:
    """Counts over compared pairs; `flips` counts pairs whose two orders disagreed
    while neither order said tie (pure position effects)."""

    a_wins: int
    b_wins: int
    ties: int
    flips: int

    @property
    def a_win_rate(self) -> float:
        """(a_wins + ties / 2) / pairs; ValueError when no pair was compared."""
        n = self.a_wins + self.b_wins + self.ties
        if n == 0:
            raise ValueError("no pairs were compared")
        return (self.a_wins + self.ties / 2) / n


def compare(judge: Judge, items: Sequence[tuple[str, str, str]]) -> PairwiseResult:
    """Judge every (question, answer_a, answer_b) in both orders, as `debiased_verdict`
    does (exactly two judge calls per item), and count the outcomes; a pair whose orders
    disagree counts as a tie. ValueError for a verdict other than first, second, tie."""
    a_wins = b_wins = ties = flips = 0
    for question, a, b in items:
        forward = _winner(judge(question, a, b), first="a", second="b")
        backward = _winner(judge(question, b, a), first="b", second="a")
        if forward == backward:
            a_wins += forward == "a"
            b_wins += forward == "b"
            ties += forward == "tie"
        else:
            ties += 1
            flips += "tie" not in (forward, backward)
    return PairwiseResult(a_wins, b_wins, ties, flips)


def cohen_kappa(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> float:
    """Cohen's kappa (p_o - p_e) / (1 - p_e) between two raters' labels of the same items.

    p_o is the share of items labelled alike; p_e the chance agreement, the sum over
    labels of the product of each rater's share of that label. When p_e == 1 (both raters
    gave every item the same single label) return 1.0. ValueError if the sequences are
    empty or differ in length.
    """
    if not labels_a or len(labels_a) != len(labels_b):
        raise ValueError("need two non-empty label sequences of the same length")
    n = len(labels_a)
    p_o = sum(x == y for x, y in zip(labels_a, labels_b, strict=True)) / n
    count_a, count_b = Counter(labels_a), Counter(labels_b)
    p_e = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if p_e == 1:
        return 1.0
    return (p_o - p_e) / (1 - p_e)


def bootstrap_ci(
    scores: Sequence[float], n_resamples: int = 2000, alpha: float = 0.05, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval for the mean of `scores`.

    Draw `n_resamples` resamples of len(scores) items with replacement using
    random.Random(seed), take each resample's mean, sort them, and return the values at
    the alpha/2 and 1 - alpha/2 quantiles (index int(q * (n_resamples - 1)) into the
    sorted means). The same inputs and seed give the same interval. ValueError for no
    scores, n_resamples < 1 or alpha outside (0, 1).
    """
    if not scores:
        raise ValueError("no scores")
    if n_resamples < 1 or not 0 < alpha < 1:
        raise ValueError("need n_resamples >= 1 and 0 < alpha < 1")
    rng = random.Random(seed)
    n = len(scores)
    means = sorted(sum(rng.choices(scores, k=n)) / n for _ in range(n_resamples))
    lo = means[int(alpha / 2 * (n_resamples - 1))]
    hi = means[int((1 - alpha / 2) * (n_resamples - 1))]
    return lo, hi


def _winner(verdict: str, first: str, second: str) -> str:
    if verdict == "first":
        return first
    if verdict == "second":
        return second
    if verdict == "tie":
        return "tie"
    raise ValueError(f"judge said {verdict!r}; expected 'first', 'second' or 'tie'")
