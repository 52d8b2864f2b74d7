"""How an image becomes tokens for a vision-language model, and what it costs.

A ViT cuts an image into patch x patch squares; each square becomes one token (or, with a merge of
m, each m x m group of squares becomes one). The language model then reads the image tokens between
text tokens in one sequence, and every image token counts against the context and the prefill cost.
"""

from __future__ import annotations

import numpy as np

IMAGE_START, PATCH, ROW_END, IMAGE_END = "<img>", "<patch>", "<row_end>", "</img>"


def patchify(image: np.ndarray, patch: int) -> np.ndarray:
    """Cut an (height, width, channels) array into (patches, patch * patch * channels) rows.

    Patches are numbered row by row from the top left (patch 1 is right of patch 0); each row is
    its square flattened in (row, column, channel) order, i.e. image[y:y+p, x:x+p].reshape(-1).
    ValueError if the array is not 3-D or a side is not a multiple of `patch`.
    """
    raise NotImplementedError


def fit_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The (width, height) an image is resized to so that its long side is at most `max_side`.

    An image that already fits is kept as it is (never upscaled). Otherwise the long side becomes
    exactly `max_side` and the short side is scaled by the same factor and rounded down, but is at
    least 1. ValueError if a side or `max_side` is not positive.
    """
    raise NotImplementedError


def patch_grid(
    width: int, height: int, patch: int, max_side: int, merge: int = 1
) -> tuple[int, int]:
    """The (columns, rows) of image tokens for an image of width x height.

    The image is first resized with fit_size(width, height, max_side); one token covers a square of
    patch * merge pixels, and each resized side is divided by that and rounded down (the remainder
    is cropped), with at least one token per side.
    """
    raise NotImplementedError


def gpt4o_image_tokens(width: int, height: int, detail: str = "high") -> int:
    """Input tokens OpenAI documents for one image sent to GPT-4o.

    "low": a flat 85. "high": scale the image down to fit inside 2048 x 2048 (aspect kept), then
    scale it so its short side is 768 pixels, and charge 85 plus 170 for every 512-pixel tile
    needed to cover it (a partial tile counts whole). ValueError for any other detail. (Images
    whose short side ends up under 768 are not pinned by the checks: sources disagree on whether
    they are scaled up.)
    """
    raise NotImplementedError


def build_sequence(
    segments: list[str | tuple[int, int]], patch: int, max_side: int, merge: int = 1
) -> list[str]:
    """One token sequence from interleaved segments, in their order.

    A str segment contributes its whitespace-separated words, one token each. A (width, height)
    segment is an image: IMAGE_START, then for each row of its patch_grid that many PATCH tokens
    followed by ROW_END, then IMAGE_END.
    """
    raise NotImplementedError


def fit_to_budget(
    segments: list[str | tuple[int, int]], budget: int, patch: int, max_side: int, merge: int = 1
) -> tuple[list[str], int]:
    """The sequence of `segments` within `budget` tokens, and the max_side it used.

    Try `max_side`; while the sequence is longer than `budget`, halve it (integer division) and try
    again, but never below patch * merge. Text is never cut. ValueError if even that smallest
    max_side does not fit.
    """
    raise NotImplementedError
