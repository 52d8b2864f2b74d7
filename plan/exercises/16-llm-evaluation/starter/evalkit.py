"""A small evaluation harness: string metrics, a debiased pairwise judge, agreement with
human labels and a bootstrap confidence interval."""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

Judge = Callable[[str, str, str], str]
'judge(question, first_answer, second_answer) -> "first" | "second" | "tie".'


def normalize(text: str) -> str:
    """SQuAD-style normalisation, in this order: lower-case; delete every character of
    `string.punctuation`; replace the words a, an, the by a space; collapse runs of
    whitespace to one space and strip both ends."""
    raise NotImplementedError


def exact_match(prediction: str, reference: str) -> float:
    """1.0 if the two strings are equal after `normalize`, else 0.0."""
    raise NotImplementedError


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall between the normalised strings.

    Tokens are the words of `normalize(...)`; overlap counts each token as often as it
    occurs in both (multiset intersection). If both are empty the score is 1.0; if
    exactly one is empty, or nothing overlaps, it is 0.0.
    """
    raise NotImplementedError


def debiased_verdict(judge: Judge, question: str, a: str, b: str) -> str:
    """Ask `judge` twice, with (a, b) and then (b, a) as (first, second), and return "a"
    or "b" only when both orders prefer the same answer; "tie" otherwise (a tie in
    either order, or a verdict that flips with the order).

    ValueError if the judge answers anything but "first", "second" or "tie".
    """
    raise NotImplementedError


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
        raise NotImplementedError


def compare(judge: Judge, items: Sequence[tuple[str, str, str]]) -> PairwiseResult:
    """Judge every (question, answer_a, answer_b) in both orders, as `debiased_verdict`
    does (exactly two judge calls per item), and count the outcomes; a pair whose orders
    disagree counts as a tie. ValueError for a verdict other than first, second, tie."""
    raise NotImplementedError


def cohen_kappa(labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]) -> float:
    """Cohen's kappa (p_o - p_e) / (1 - p_e) between two raters' labels of the same items.

    p_o is the share of items labelled alike; p_e the chance agreement, the sum over
    labels of the product of each rater's share of that label. When p_e == 1 (both raters
    gave every item the same single label) return 1.0. ValueError if the sequences are
    empty or differ in length.
    """
    raise NotImplementedError


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
    raise NotImplementedError
