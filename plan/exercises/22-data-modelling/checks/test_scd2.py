"""Checks for a type 2 dimension loaded from full snapshots."""

import copy
import random
from datetime import date, timedelta

import pytest
from scd2 import OPEN_END, apply_snapshot, version_on

D1, D2, D3, D4 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)


def seg(name):
    return {"segment": name}


def initial():
    return apply_snapshot([], {"b": seg("AUTO"), "a": seg("BUILDING"), "c": seg("MACHINERY")}, D1)


def rows_of(dim, key):
    return [row for row in dim if row["key"] == key]


def test_initial_load_opens_one_current_row_per_key_with_keys_in_natural_key_order():
    dim = initial()
    got = [(r["sk"], r["key"], r["valid_from"], r["valid_to"], r["is_current"]) for r in dim]
    want = [
        (1, "a", D1, OPEN_END, True),
        (2, "b", D1, OPEN_END, True),
        (3, "c", D1, OPEN_END, True),
    ]
    assert got == want, f"expected {want}, got {got}"


def test_a_change_closes_the_old_version_and_opens_a_new_one_with_a_fresh_sk():
    dim = apply_snapshot(
        initial(), {"a": seg("BUILDING"), "b": seg("HOUSEHOLD"), "c": seg("MACHINERY")}, D2
    )
    old, new = rows_of(dim, "b")
    assert (old["sk"], old["valid_to"], old["is_current"]) == (2, D2, False), (
        f"expected the old version sk 2 closed on {D2}, got {old}"
    )
    assert old["attrs"] == seg("AUTO"), f"the old version keeps its attrs, got {old['attrs']}"
    want = {
        "sk": 4,
        "key": "b",
        "attrs": seg("HOUSEHOLD"),
        "valid_from": D2,
        "valid_to": OPEN_END,
        "is_current": True,
    }
    assert new == want, f"expected the new version {want}, got {new}"
    assert len(dim) == 4, f"expected 4 rows (3 + 1 new version), got {len(dim)}"


def test_unchanged_keys_keep_their_row_exactly():
    before = initial()
    after = apply_snapshot(
        before, {"a": seg("BUILDING"), "b": seg("HOUSEHOLD"), "c": seg("MACHINERY")}, D2
    )
    for key in ("a", "c"):
        assert rows_of(after, key) == rows_of(before, key), (
            f"expected {key!r} untouched: {rows_of(before, key)}, got {rows_of(after, key)}"
        )


def test_a_deleted_key_is_closed_with_no_new_row_and_comes_back_under_a_new_sk():
    dim = apply_snapshot(initial(), {"a": seg("BUILDING"), "b": seg("AUTO")}, D2)
    c_rows = rows_of(dim, "c")
    assert [(r["sk"], r["valid_to"], r["is_current"]) for r in c_rows] == [(3, D2, False)], (
        f"expected c's one row closed on {D2}, got {c_rows}"
    )
    dim = apply_snapshot(dim, {"a": seg("BUILDING"), "b": seg("AUTO"), "c": seg("MACHINERY")}, D3)
    back = [r for r in rows_of(dim, "c") if r["is_current"]]
    assert [(r["sk"], r["valid_from"]) for r in back] == [(4, D3)], (
        f"expected c back as sk 4 from {D3} (same attrs, but a new version), got {back}"
    )


def test_new_surrogate_keys_continue_from_the_largest_one_even_with_gaps():
    dim = [
        {
            "sk": 7,
            "key": "x",
            "attrs": seg("AUTO"),
            "valid_from": D1,
            "valid_to": OPEN_END,
            "is_current": True,
        }
    ]
    dim = apply_snapshot(dim, {"x": seg("AUTO"), "z": seg("A"), "y": seg("B")}, D2)
    got = {r["key"]: r["sk"] for r in dim}
    assert got == {"x": 7, "y": 8, "z": 9}, f"expected x 7, y 8, z 9, got {got}"
    assert [r["sk"] for r in dim] == [7, 8, 9], f"rows sorted by sk, got {[r['sk'] for r in dim]}"


def test_loading_the_same_snapshot_twice_changes_nothing():
    snap = {"a": seg("BUILDING"), "b": seg("HOUSEHOLD")}
    once = apply_snapshot(initial(), snap, D2)
    twice = apply_snapshot(once, snap, D2)
    assert twice == once, f"expected an idempotent re-run, got {twice} after {once}"
    later = apply_snapshot(once, snap, D3)
    assert later == once, f"expected an unchanged later snapshot to change nothing, got {later}"


def test_inputs_are_not_modified():
    dim = initial()
    snap = {"a": seg("FURNITURE")}
    dim_copy, snap_copy = copy.deepcopy(dim), copy.deepcopy(snap)
    out = apply_snapshot(dim, snap, D2)
    assert dim == dim_copy, f"expected the input dimension untouched, got {dim}"
    assert snap == snap_copy, f"expected the snapshot untouched, got {snap}"
    out[-1]["attrs"]["segment"] = "CHANGED"
    assert snap == snap_copy, "the new row's attrs must be a copy, not the snapshot's own dict"


def test_an_out_of_order_or_conflicting_batch_is_refused():
    dim = apply_snapshot(initial(), {"a": seg("BUILDING")}, D3)
    with pytest.raises(ValueError):
        apply_snapshot(dim, {"a": seg("BUILDING")}, D2)  # older than the last load (D3)
    with pytest.raises(ValueError):
        apply_snapshot(
            initial(), {"a": seg("AUTO"), "b": seg("AUTO"), "c": seg("MACHINERY")}, D1
        )  # a different D1 for "a"


def test_version_on_uses_half_open_intervals():
    dim = apply_snapshot(initial(), {"a": seg("HOUSEHOLD"), "b": seg("AUTO")}, D2)
    cases = [
        ("a", D1 - timedelta(days=1), None),
        ("a", D1, 1),
        ("a", D2 - timedelta(days=1), 1),
        ("a", D2, 4),
        ("a", D4, 4),
        ("c", D2 - timedelta(days=1), 3),
        ("c", D2, None),
        ("zz", D2, None),
    ]
    for key, day, want in cases:
        row = version_on(dim, key, day)
        got = row and row["sk"]
        assert got == want, f"version_on({key!r}, {day}): expected sk {want}, got {got}"


def test_random_histories_keep_one_version_per_key_and_day():
    rng = random.Random(22)
    keys = [f"k{i}" for i in range(12)]
    dim, day, history = [], D1, []
    for _ in range(25):
        snap = {k: seg(rng.choice("XYZ")) for k in keys if rng.random() < 0.85}
        dim = apply_snapshot(dim, snap, day)
        history.append((day, snap))
        day += timedelta(days=rng.randint(1, 9))
    sks = [r["sk"] for r in dim]
    assert len(set(sks)) == len(sks), "surrogate keys must be unique"
    for key in keys:
        current = [r for r in rows_of(dim, key) if r["is_current"]]
        assert len(current) <= 1, f"expected at most one current row for {key}, got {current}"
    for load_day, snap in history:
        for key in keys:
            row = version_on(dim, key, load_day)
            got = row and row["attrs"]
            assert got == snap.get(key), f"{key} on {load_day}: expected {snap.get(key)}, got {got}"
