import pytest
from collector import RefHeap, mark_sweep


def test_mark_sweep_frees_exactly_the_unreachable_objects():
    heap = {"a": ["b"], "b": ["c"], "c": [], "d": ["c"], "e": []}
    freed = mark_sweep(heap, ["a"])
    assert freed == {"d", "e"}, f"expected {{'d', 'e'}} freed (a reaches b and c), got {freed}"


def test_mark_sweep_frees_an_unreachable_cycle_and_keeps_a_reachable_one():
    heap = {
        "root": ["x"],
        "x": ["y"],
        "y": ["x"],  # a cycle the root reaches
        "p": ["q"],
        "q": ["p"],  # a cycle nothing reaches
        "s": ["s"],  # a self-loop nothing reaches
    }
    freed = mark_sweep(heap, ["root"])
    assert freed == {"p", "q", "s"}, f"expected the two unreachable cycles freed, got {freed}"


def test_mark_sweep_edge_cases_no_roots_repeats_and_no_mutation():
    heap = {"a": ["b", "b"], "b": []}
    snapshot = {k: list(v) for k, v in heap.items()}
    assert mark_sweep(heap, []) == {"a", "b"}, "with no roots everything is garbage"
    assert mark_sweep(heap, ["a", "a"]) == set(), "a root named twice is still one root"
    assert mark_sweep({}, []) == set(), "an empty heap frees nothing"
    assert heap == snapshot, f"mark_sweep must not change the heap; it became {heap}"


def test_mark_sweep_survives_a_chain_deeper_than_the_recursion_limit():
    n = 20_000
    heap = {f"n{i}": [f"n{i + 1}"] for i in range(n)}
    heap[f"n{n}"] = []
    heap["orphan"] = ["n0"]
    freed = mark_sweep(heap, ["n5"])
    expected = {"orphan", "n0", "n1", "n2", "n3", "n4"}
    assert freed == expected, f"expected {sorted(expected)} freed, got {len(freed)} objects"


def test_mark_sweep_rejects_unknown_roots_and_dangling_references():
    with pytest.raises(ValueError):
        mark_sweep({"a": []}, ["nope"])
    with pytest.raises(ValueError):
        mark_sweep({"a": ["ghost"]}, ["a"])
    with pytest.raises(ValueError):
        # a dangling reference is a corrupt heap even in an object nobody reaches
        mark_sweep({"a": [], "b": ["ghost"]}, ["a"])


def test_refcount_frees_a_tree_in_cascade_when_its_last_root_goes():
    h = RefHeap()
    for oid in ("top", "left", "right", "leaf"):
        h.new(oid)
    h.add_ref("top", "left")
    h.add_ref("top", "right")
    h.add_ref("left", "leaf")
    for oid in ("left", "right", "leaf"):
        assert h.drop_root(oid) == set(), f"{oid} is still referenced by top, nothing to free"
    assert h.refcount("top") == 1 and h.refcount("leaf") == 1
    freed = h.drop_root("top")
    assert freed == {"top", "left", "right", "leaf"}, f"expected the whole tree freed, got {freed}"
    assert h.live() == set(), f"nothing should be live, got {h.live()}"


def test_refcount_counts_every_reference_including_repeats_and_extra_roots():
    h = RefHeap()
    h.new("list")
    h.new("item")
    h.add_ref("list", "item")
    h.add_ref("list", "item")  # the same item stored twice
    h.add_root("item")
    assert h.refcount("item") == 4, f"1 root + 1 extra root + 2 refs = 4, got {h.refcount('item')}"
    assert h.drop_root("item") == set()
    assert h.drop_root("item") == set()
    assert h.drop_ref("list", "item") == set(), "one reference is left, item must survive"
    assert h.refcount("item") == 1, f"expected 1, got {h.refcount('item')}"
    assert h.drop_ref("list", "item") == {"item"}, "the last reference is gone: item is freed"
    assert h.live() == {"list"}


def test_refcount_leaks_a_cycle_that_lost_its_root():
    h = RefHeap()
    h.new("parent")
    h.new("child")
    h.add_ref("parent", "child")
    h.add_ref("child", "parent")
    h.drop_root("child")
    freed = h.drop_root("parent")
    assert freed == set(), f"a cycle never reaches count 0 under refcounting, yet {freed} was freed"
    assert h.live() == {"parent", "child"}
    assert (h.refcount("parent"), h.refcount("child")) == (1, 1)


def test_collect_cycles_frees_garbage_cycles_and_keeps_what_roots_reach():
    h = RefHeap()
    for oid in ("a", "b", "c", "d", "kept", "x", "y"):
        h.new(oid)
    # a <-> b: garbage; a -> c, c only reached from the garbage cycle: garbage too
    h.add_ref("a", "b")
    h.add_ref("b", "a")
    h.add_ref("a", "c")
    # kept -> x <-> y: a cycle hanging off a root: survives
    h.add_ref("kept", "x")
    h.add_ref("x", "y")
    h.add_ref("y", "x")
    for oid in ("a", "b", "c", "x", "y"):
        h.drop_root(oid)
    h.drop_root("d")  # d had no other reference: refcounting frees it at once
    assert "d" not in h.live()
    freed = h.collect_cycles()
    assert freed == {"a", "b", "c"}, f"expected the cycle a<->b and its c freed, got {freed}"
    assert h.live() == {"kept", "x", "y"}, f"expected kept, x, y live, got {h.live()}"
    assert h.collect_cycles() == set(), "a second collection finds nothing new"


def test_collect_cycles_fixes_counts_of_survivors_the_garbage_pointed_to():
    h = RefHeap()
    for oid in ("shared", "p", "q"):
        h.new(oid)
    h.add_ref("p", "q")
    h.add_ref("q", "p")
    h.add_ref("p", "shared")
    h.add_ref("q", "shared")
    h.drop_root("p")
    h.drop_root("q")
    assert h.refcount("shared") == 3
    assert h.collect_cycles() == {"p", "q"}
    assert h.refcount("shared") == 1, (
        f"the freed cycle's two references to shared no longer count: expected 1, "
        f"got {h.refcount('shared')}"
    )
    assert h.drop_root("shared") == {"shared"}, "dropping its last root now frees it"


def test_refheap_rejects_bad_operations():
    h = RefHeap()
    h.new("a")
    h.new("b")
    with pytest.raises(ValueError):
        h.new("a")  # already live
    with pytest.raises(ValueError):
        h.drop_ref("a", "b")  # a holds no reference to b
    with pytest.raises(KeyError):
        h.add_ref("a", "ghost")
    h.add_ref("a", "b")
    h.drop_root("b")
    with pytest.raises(ValueError):
        h.drop_root("b")  # b is live (a holds it) but no root references it
    h.drop_root("a")
    with pytest.raises(KeyError):
        h.refcount("b")  # freed in cascade with a
