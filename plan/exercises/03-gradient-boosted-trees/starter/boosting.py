"""One round of XGBoost-style gradient boosting with a depth-1 tree, in plain Python:
gradients and hessians, leaf weights with lambda, split gain with gamma, and an exact
best-split search."""

import math

LOSSES = ("squared", "logistic")


def base_score(y: list[float], loss: str) -> float:
    """The starting prediction F_0 for every row: the mean of y for "squared", the
    log-odds of the positive rate for "logistic" (y holds 0s and 1s). Raises ValueError
    for an empty y, an unknown loss, or a logistic y that is all 0s or all 1s."""
    raise NotImplementedError


def grad_hess(y: list[float], pred: list[float], loss: str) -> tuple[list[float], list[float]]:
    """Per-row gradient and hessian of the loss with respect to the raw prediction.

    "squared" (loss ½(pred − y)²): g = pred − y, h = 1.
    "logistic" (pred is a log-odds score F, p = sigmoid(F)): g = p − y, h = p(1 − p).
    The sigmoid must not overflow for scores as large as ±1000. Raises ValueError for
    an unknown loss or lists of different lengths."""
    raise NotImplementedError


def leaf_weight(g_sum: float, h_sum: float, lam: float) -> float:
    """The optimal weight of a leaf whose rows have gradient sum G and hessian sum H:
    −G / (H + lambda)."""
    raise NotImplementedError


def split_gain(gl: float, hl: float, gr: float, hr: float, lam: float, gamma: float) -> float:
    """The objective's improvement from splitting a node into left (GL, HL) and right
    (GR, HR): ½·[GL²/(HL+λ) + GR²/(HR+λ) − (GL+GR)²/(HL+HR+λ)] − γ."""
    raise NotImplementedError


def best_split(
    x: list[list[float]],
    g: list[float],
    h: list[float],
    lam: float = 1.0,
    gamma: float = 0.0,
    min_child_weight: float = 0.0,
) -> tuple[int, float, float] | None:
    """The exact greedy split of one node over rows x (x[i][j] is feature j of row i).

    Candidate thresholds for a feature lie halfway between consecutive distinct values
    of it; rows with value < threshold go left, the rest right. A candidate is allowed
    only when both children hold a hessian sum of at least min_child_weight. Return
    (feature, threshold, gain) of the allowed candidate with the largest split_gain,
    or None when no allowed candidate has a gain above 0. On equal gains the lower
    feature index wins, then the lower threshold."""
    raise NotImplementedError


def boost_round(
    x: list[list[float]],
    y: list[float],
    pred: list[float],
    loss: str,
    eta: float = 0.3,
    lam: float = 1.0,
    gamma: float = 0.0,
    min_child_weight: float = 0.0,
) -> tuple[list[float], tuple[int | None, float | None, float, float]]:
    """One boosting round with a depth-1 tree (a stump).

    Compute g and h at pred, find best_split, give each side the leaf_weight of its
    rows, and add eta times that weight to every row's prediction. When best_split
    finds nothing, the tree is one leaf over all rows. Return (new_pred, tree) with
    tree = (feature, threshold, left_weight, right_weight), or (None, None, w, w) for
    a single leaf of weight w."""
    raise NotImplementedError
