"""One round of XGBoost-style gradient boosting with a depth-1 tree, in plain Python:
gradients and hessians, leaf weights with lambda, split gain with gamma, and an exact
best-split search."""

import math

LOSSES = ("squared", "logistic")


def base_score(y: list[float], loss: str) -> float:
    """The starting prediction F_0 for every row: the mean of y for "squared", the
    log-odds of the positive rate for "logistic" (y holds 0s and 1s). Raises ValueError
    for an empty y, an unknown loss, or a logistic y that is all 0s or all 1s."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}")
    if not y:
        raise ValueError("y is empty")
    mean = sum(y) / len(y)
    if loss == "squared":
        return mean
    if mean <= 0 or mean >= 1:
        raise ValueError("logistic base score needs both classes in y")
    return math.log(mean / (1 - mean))


def grad_hess(y: list[float], pred: list[float], loss: str) -> tuple[list[float], list[float]]:
    """Per-row gradient and hessian of the loss with respect to the raw prediction.

    "squared" (loss ½(pred − y)²): g = pred − y, h = 1.
    "logistic" (pred is a log-odds score F, p = sigmoid(F)): g = p − y, h = p(1 − p).
    The sigmoid must not overflow for scores as large as ±1000. Raises ValueError for
    an unknown loss or lists of different lengths."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}")
    if len(y) != len(pred):
        raise ValueError(f"{len(y)} labels but {len(pred)} predictions")
    if loss == "squared":
        return [f - t for t, f in zip(y, pred, strict=True)], [1.0] * len(y)
    g, h = [], []
    for t, f in zip(y, pred, strict=True):
        if f >= 0:
            p = 1 / (1 + math.exp(-f))
        else:
            e = math.exp(f)
            p = e / (1 + e)
        g.append(p - t)
        h.append(p * (1 - p))
    return g, h


def leaf_weight(g_sum: float, h_sum: float, lam: float) -> float:
    """The optimal weight of a leaf whose rows have gradient sum G and hessian sum H:
    −G / (H + lambda)."""
    return -g_sum / (h_sum + lam)


def split_gain(gl: float, hl: float, gr: float, hr: float, lam: float, gamma: float) -> float:
    """The objective's improvement from splitting a node into left (GL, HL) and right
    (GR, HR): ½·[GL²/(HL+λ) + GR²/(HR+λ) − (GL+GR)²/(HL+HR+λ)] − γ."""
    parent = (gl + gr) ** 2 / (hl + hr + lam)
    return 0.5 * (gl**2 / (hl + lam) + gr**2 / (hr + lam) - parent) - gamma


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
    if not x:
        return None
    g_total, h_total = sum(g), sum(h)
    best: tuple[int, float, float] | None = None
    for j in range(len(x[0])):
        order = sorted(range(len(x)), key=lambda i: x[i][j])
        gl = hl = 0.0
        for pos in range(len(order) - 1):
            i, nxt = order[pos], order[pos + 1]
            gl += g[i]
            hl += h[i]
            if x[i][j] == x[nxt][j]:
                continue
            gr, hr = g_total - gl, h_total - hl
            if hl < min_child_weight or hr < min_child_weight:
                continue
            gain = split_gain(gl, hl, gr, hr, lam, gamma)
            if gain > 0 and (best is None or gain > best[2]):
                best = (j, (x[i][j] + x[nxt][j]) / 2, gain)
    return best


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
    g, h = grad_hess(y, pred, loss)
    split = best_split(x, g, h, lam, gamma, min_child_weight)
    if split is None:
        w = leaf_weight(sum(g), sum(h), lam)
        return [f + eta * w for f in pred], (None, None, w, w)
    feature, threshold, _ = split
    left = [row[feature] < threshold for row in x]
    wl = leaf_weight(
        sum(gi for gi, lt in zip(g, left, strict=True) if lt),
        sum(hi for hi, lt in zip(h, left, strict=True) if lt),
        lam,
    )
    wr = leaf_weight(
        sum(gi for gi, lt in zip(g, left, strict=True) if not lt),
        sum(hi for hi, lt in zip(h, left, strict=True) if not lt),
        lam,
    )
    new = [f + eta * (wl if lt else wr) for f, lt in zip(pred, left, strict=True)]
    return new, (feature, threshold, wl, wr)
