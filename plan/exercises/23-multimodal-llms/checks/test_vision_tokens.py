"""Checks for patching, resizing, token costs and interleaved sequences."""

import numpy as np
import pytest
from vision_tokens import (
    IMAGE_END,
    IMAGE_START,
    PATCH,
    ROW_END,
    build_sequence,
    fit_size,
    fit_to_budget,
    gpt4o_image_tokens,
    patch_grid,
    patchify,
)


def test_patchify_gives_one_row_per_patch_of_p_times_p_times_channels_values():
    img = np.random.default_rng(23).random((224, 224, 3))
    out = patchify(img, 16)
    assert out.shape == (196, 768), f"expected (196, 768) for 224x224x3 at p=16, got {out.shape}"


def test_patchify_numbers_patches_row_by_row_and_flattens_each_square_in_order():
    img = np.arange(32 * 48 * 3).reshape(32, 48, 3)  # 2 rows x 3 columns of 16-pixel patches
    out = patchify(img, 16)
    assert out.shape == (6, 768), f"expected (6, 768), got {out.shape}"
    for index, (y, x) in enumerate([(0, 0), (0, 16), (0, 32), (16, 0), (16, 16), (16, 32)]):
        want = img[y : y + 16, x : x + 16].reshape(-1)
        assert np.array_equal(out[index], want), (
            f"patch {index} should be the square at row {y}, column {x}, flattened; it is not"
        )


def test_patchify_refuses_sizes_it_cannot_cut():
    for shape, p in [((30, 32, 3), 16), ((32, 30, 3), 16), ((32, 32), 16)]:
        with pytest.raises(ValueError):
            patchify(np.zeros(shape), p)


def test_fit_size_scales_the_long_side_down_and_never_up():
    cases = [
        ((1000, 500, 336), (336, 168)),
        ((500, 1000, 336), (168, 336)),
        ((1000, 333, 336), (336, 111)),  # 111.888 rounds down
        ((200, 100, 336), (200, 100)),  # already fits: kept
        ((336, 336, 336), (336, 336)),
        ((5000, 3, 336), (336, 1)),  # at least one pixel
    ]
    for (w, h, m), want in cases:
        got = fit_size(w, h, m)
        assert got == want, f"fit_size({w}, {h}, {m}): expected {want}, got {got}"
    with pytest.raises(ValueError):
        fit_size(0, 10, 336)


def test_patch_grid_matches_the_well_known_encoders_and_keeps_orientation():
    cases = [
        ((336, 336, 14, 336, 1), (24, 24)),  # LLaVA-1.5: 576 tokens
        ((224, 224, 16, 224, 1), (14, 14)),  # ViT-B/16: 196 tokens
        ((448, 448, 14, 448, 2), (16, 16)),  # a 2x2 merge: one token per 28 pixels
        ((1000, 500, 14, 336, 1), (24, 12)),  # wide: more columns than rows
        ((500, 1000, 14, 336, 1), (12, 24)),  # tall: more rows than columns
        ((10, 10, 14, 336, 1), (1, 1)),  # smaller than a patch: still one token
        ((350, 100, 14, 1000, 1), (25, 7)),  # remainders are cropped
    ]
    for (w, h, p, m, merge), want in cases:
        got = patch_grid(w, h, p, m, merge)
        assert got == want, (
            f"patch_grid({w}, {h}, p={p}, max={m}, merge={merge}): expected {want}, got {got}"
        )


def test_gpt4o_tokens_follow_the_documented_tile_formula():
    cases = [
        ((1024, 1024, "high"), 765),  # 768x768: 4 tiles
        ((768, 768, "high"), 765),
        ((1536, 768, "high"), 1105),  # 3 x 2 tiles
        ((2048, 4096, "high"), 1105),  # 1024x2048, then 768x1536: 2 x 3 tiles
        ((4096, 8192, "high"), 1105),
        ((3000, 2000, "high"), 1105),  # 2048x1365, then 1152x768: 3 x 2 tiles
        ((4096, 8192, "low"), 85),
        ((100, 100, "low"), 85),
    ]
    for (w, h, detail), want in cases:
        got = gpt4o_image_tokens(w, h, detail)
        assert got == want, f"gpt4o_image_tokens({w}, {h}, {detail!r}): expected {want}, got {got}"
    with pytest.raises(ValueError):
        gpt4o_image_tokens(100, 100, "auto-ish")


def test_build_sequence_interleaves_text_and_image_rows_in_order():
    seq = build_sequence(["What is  this?", (56, 28), "Answer briefly."], patch=14, max_side=56)
    row = [PATCH] * 4 + [ROW_END]
    want = ["What", "is", "this?", IMAGE_START, *row, *row, IMAGE_END, "Answer", "briefly."]
    assert seq == want, f"expected {want}, got {seq}"
    two = build_sequence([(28, 28), (28, 28)], patch=14, max_side=28, merge=2)
    want = [IMAGE_START, PATCH, ROW_END, IMAGE_END] * 2
    assert two == want, f"expected two one-token images {want}, got {two}"
    assert build_sequence([], 14, 336) == [], "no segments give no tokens"


def test_fit_to_budget_halves_images_until_the_sequence_fits():
    segments = ["describe", (336, 336)]
    seq, side = fit_to_budget(segments, budget=1000, patch=14, max_side=336)
    assert (len(seq), side) == (1 + 2 + 24 * 25, 336), (
        f"expected 603 tokens at 336 (it fits), got {len(seq)} at {side}"
    )
    seq, side = fit_to_budget(segments, budget=200, patch=14, max_side=336)
    assert (len(seq), side) == (1 + 2 + 12 * 13, 168), (
        f"expected 159 tokens at 168 after one halving, got {len(seq)} at {side}"
    )
    seq, side = fit_to_budget(segments, budget=6, patch=14, max_side=56)
    assert (len(seq), side) == (1 + 2 + 1 * 2, 14), (
        f"expected 5 tokens at 14 (56, 28, then one patch: the floor), got {len(seq)} at {side}"
    )
    with pytest.raises(ValueError):
        fit_to_budget(["far too many words here", (336, 336)], budget=6, patch=14, max_side=336)
