"""How an image becomes tokens for a vision-language model, and what it costs.

A ViT cuts an image into patch x patch squares; each square becomes one token (or, with a merge of
m, each m x m group of squares becomes one). The language model then reads the image tokens between
text tokens in one sequence, and every image token counts against the context and the prefill cost.
"""

from __future__ import annotations

import math

import numpy as np

IMAGE_START, PATCH, ROW_END, IMAGE_END = "<img>", "<patch>", "<row_end>", "</img>"


def patchify(image: np.ndarray, patch: int) -> np.ndarray:
    """Cut an (height, width, channels) array into (patches, patch * patch * channels) rows.

    Patches are numbered row by row from the top left (patch 1 is right of patch 0); each row is
    its square flattened in (row, column, channel) order, i.e. image[y:y+p, x:x+p].reshape(-1).
    ValueError if the array is not 3-D or a side is not a multiple of `patch`.
    """
    if image.ndim != 3:
        raise ValueError(f"expected a (height, width, channels) array, got shape {image.shape}")
    h, w, c = image.shape
    if patch <= 0 or h % patch or w % patch:
        raise ValueError(f"an image of {h}x{w} cannot be cut into {patch}-pixel patches")
    grid = image.reshape(h // patch, patch, w // patch, patch, c)
    return grid.transpose(0, 2, 1, 3, 4).reshape(-1, patch * patch * c)


def fit_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The (width, height) an image is resized to so that its long side is at most `max_side`.

    An image that already fits is kept as it is (never upscaled). Otherwise the long side becomes
    exactly `max_side` and the short side is scaled by the same factor and rounded down, but is at
    least 1. ValueError if a side or `max_side` is not positive.
    """
    if width <= 0 or height <= 0 or max_side <= 0:
        raise ValueError(f"sizes must be positive, got {width}x{height} and max_side {max_side}")
    long_side = max(width, height)
    if long_side <= max_side:
        return width, height
    if width >= height:
        return max_side, max(1, height * max_side // width)
    return max(1, width * max_side // height), max_side


def patch_grid(
    width: int, height: int, patch: int, max_side: int, merge: int = 1
) -> tuple[int, int]:
    """The (columns, rows) of image tokens for an image of width x height.

    The image is first resized with fit_size(width, height, max_side); one token covers a square of
    patch * merge pixels, and each resized side is divided by that and rounded down (the remainder
    is cropped), with at least one token per side.
    """
    w, h = fit_size(width, height, max_side)
    unit = patch * merge
    return max(1, w // unit), max(1, h // unit)


def gpt4o_image_tokens(width: int, height: int, detail: str = "high") -> int:
    """Input tokens OpenAI documents for one image sent to GPT-4o.

    "low": a flat 85. "high": scale the image down to fit inside 2048 x 2048 (aspect kept), then
    scale it so its short side is 768 pixels, and charge 85 plus 170 for every 512-pixel tile
    needed to cover it (a partial tile counts whole). ValueError for any other detail. (Images
    whose short side ends up under 768 are not pinned by the checks: sources disagree on whether
    they are scaled up.)
    """
    if detail == "low":
        return 85
    if detail != "high":
        raise ValueError(f"detail must be 'low' or 'high', got {detail!r}")
    w, h = float(width), float(height)
    if max(w, h) > 2048:
        scale = 2048 / max(w, h)
        w, h = w * scale, h * scale
    if min(w, h) > 768:
        scale = 768 / min(w, h)
        w, h = w * scale, h * scale
    tiles = math.ceil(round(w, 6) / 512) * math.ceil(round(h, 6) / 512)
    return 85 + 170 * tiles


def build_sequence(
    segments: list[str | tuple[int, int]], patch: int, max_side: int, merge: int = 1
) -> list[str]:
    """One token sequence from interleaved segments, in their order.

    A str segment contributes its whitespace-separated words, one token each. A (width, height)
    segment is an image: IMAGE_START, then for each row of its patch_grid that many PATCH tokens
    followed by ROW_END, then IMAGE_END.
    """
    tokens: list[str] = []
    for segment in segments:
        if isinstance(segment, str):
            tokens += segment.split()
            continue
        cols, rows = patch_grid(segment[0], segment[1], patch, max_side, merge)
        tokens.append(IMAGE_START)
        for _ in range(rows):
            tokens += [PATCH] * cols + [ROW_END]
        tokens.append(IMAGE_END)
    return tokens


def fit_to_budget(
    segments: list[str | tuple[int, int]], budget: int, patch: int, max_side: int, merge: int = 1
) -> tuple[list[str], int]:
    """The sequence of `segments` within `budget` tokens, and the max_side it used.

    Try `max_side`; while the sequence is longer than `budget`, halve it (integer division) and try
    again, but never below patch * merge. Text is never cut. ValueError if even that smallest
    max_side does not fit.
    """
    smallest = patch * merge
    side = max(max_side, smallest)
    while True:
        tokens = build_sequence(segments, patch, side, merge)
        if len(tokens) <= budget:
            return tokens, side
        if side == smallest:
            raise ValueError(
                f"{len(tokens)} tokens even with images at {side} pixels; the budget is {budget}"
            )
        side = max(side // 2, smallest)
