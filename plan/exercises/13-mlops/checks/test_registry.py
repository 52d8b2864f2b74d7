import hashlib
import json

import pytest
from registry import ModelRegistry, in_canary, promote, rollback, run_id


def fresh(*metrics):
    reg = ModelRegistry()
    for i, m in enumerate(metrics):
        reg.register("churn", f"run{i}", m)
    return reg


def test_run_id_is_the_hash_of_canonical_json():
    params = {"lr": 0.1, "depth": 6, "opt": {"b": 1, "a": [1, 2]}}
    blob = json.dumps(
        {"code": "abc123", "data": "d" * 64, "params": params},
        sort_keys=True,
        separators=(",", ":"),
    )
    expected = hashlib.sha256(blob.encode()).hexdigest()[:12]
    got = run_id(params, "d" * 64, "abc123")
    assert got == expected, f"expected {expected}, got {got}"
    reordered = {"opt": {"a": [1, 2], "b": 1}, "depth": 6, "lr": 0.1}
    assert run_id(reordered, "d" * 64, "abc123") == got, "key order must not change the id"


def test_run_id_tells_apart_what_differs():
    base = run_id({"depth": 1}, "x", "c")
    for params, data, code in [
        ({"depth": 1.0}, "x", "c"),
        ({"depth": "1"}, "x", "c"),
        ({"depth": True}, "x", "c"),
        ({"depth": 1}, "y", "c"),
        ({"depth": 1}, "x", "d"),
        ({"depth": [1]}, "x", "c"),
    ]:
        other = run_id(params, data, code)
        assert other != base, (
            f"{params}, {data!r}, {code!r} must not share the id of depth=1: both {base}"
        )
    with pytest.raises(TypeError):
        run_id({"when": object()}, "x", "c")


def test_versions_are_numbered_per_model_and_immutable():
    reg = ModelRegistry()
    metrics = {"auc": 0.8}
    assert reg.register("churn", "r1", metrics) == 1
    assert reg.register("churn", "r2", {"auc": 0.9}) == 2
    assert reg.register("fraud", "r3", {}) == 1, "each model counts its own versions"
    metrics["auc"] = 0.0
    got = reg.get("churn", 1)
    assert (got.version, got.run_id, got.metrics) == (1, "r1", {"auc": 0.8}), (
        f"expected version 1 unchanged by a later edit of the caller's dict, got {got}"
    )
    for name, version in [("churn", 0), ("churn", 3), ("nope", 1)]:
        with pytest.raises(KeyError):
            reg.get(name, version)


def test_aliases_move_and_uris_resolve():
    reg = fresh({"auc": 0.8}, {"auc": 0.9})
    reg.set_alias("churn", "champion", 1)
    reg.set_alias("churn", "staging", 1)
    assert reg.resolve("models:/churn@champion").version == 1
    reg.set_alias("churn", "champion", 2)
    assert reg.aliases("churn") == {"champion": 2, "staging": 1}, f"got {reg.aliases('churn')}"
    assert reg.resolve("models:/churn@champion").run_id == "run1"
    assert reg.resolve("models:/churn/1").run_id == "run0"
    copy = reg.aliases("churn")
    copy["champion"] = 1
    assert reg.aliases("churn")["champion"] == 2, "aliases() must return a copy"
    with pytest.raises(KeyError):
        reg.set_alias("churn", "champion", 3)
    for uri in ["models:/churn@nobody", "models:/churn/9", "models:/other@champion"]:
        with pytest.raises(KeyError):
            reg.resolve(uri)
    for uri in ["churn@champion", "models:/churn", "models:/churn/x", "models:/churn/1/2"]:
        with pytest.raises(ValueError):
            reg.resolve(uri)
    reg.delete_alias("churn", "staging")
    with pytest.raises(KeyError):
        reg.delete_alias("churn", "staging")


def test_the_first_model_needs_only_the_latency_budget():
    reg = fresh({"auc": 0.7, "p95_ms": 80.0}, {"auc": 0.6, "p95_ms": 20.0})
    slow = promote(reg, "churn", 1)
    assert not slow.promoted and slow.reasons, (
        f"80 ms is above the 50 ms budget: expected a refusal, got {slow}"
    )
    assert reg.aliases("churn") == {}, "a refused promotion changes no alias"
    ok = promote(reg, "churn", 2)
    assert ok.promoted and ok.reasons == [], f"expected the first champion promoted, got {ok}"
    assert reg.aliases("churn") == {"champion": 2}, (
        f"no previous champion yet, got {reg.aliases('churn')}"
    )


def test_the_gate_demands_the_gain_exactly_at_the_threshold():
    # 0.69 - 0.685 is 0.004999999999999893 in floating point: the 1e-9 tolerance lets it pass
    reg = fresh(
        {"auc": 0.685, "p95_ms": 10},
        {"auc": 0.69, "p95_ms": 10},
        {"auc": 0.6949, "p95_ms": 10},
        {"auc": 0.70, "p95_ms": 10},
    )
    reg.set_alias("churn", "champion", 1)
    exact = promote(reg, "churn", 2)
    assert exact.promoted, f"a gain of exactly 0.005 passes: got {exact}"
    assert reg.aliases("churn") == {"champion": 2, "previous": 1}, f"got {reg.aliases('churn')}"
    short = promote(reg, "churn", 3)
    assert not short.promoted and len(short.reasons) == 1, (
        f"a gain of 0.0049 fails for one reason, got {short}"
    )
    assert reg.aliases("churn") == {"champion": 2, "previous": 1}
    again = promote(reg, "churn", 2, min_gain=0.0)
    assert not again.promoted, (
        f"the champion cannot be promoted over itself, even with min_gain=0: got {again}"
    )
    custom = promote(reg, "churn", 4, min_gain=0.02)
    assert not custom.promoted, "0.01 gain is below a min_gain of 0.02"


def test_every_failed_rule_is_reported():
    reg = fresh({"auc": 0.9, "p95_ms": 10}, {"auc": 0.85, "p95_ms": 99}, {"f1": 0.9})
    reg.set_alias("churn", "champion", 1)
    both = promote(reg, "churn", 2)
    assert not both.promoted and len(both.reasons) == 2, (
        f"expected a worse AUC and a slow p95 reported, got {both}"
    )
    missing = promote(reg, "churn", 3)
    assert not missing.promoted and len(missing.reasons) == 2, (
        f"expected both missing metrics named, got {missing}"
    )
    other = promote(reg, "churn", 3, metric="f1")
    assert not other.promoted, "the champion has no f1 and the candidate no p95_ms: still refused"
    assert reg.aliases("churn") == {"champion": 1}
    with pytest.raises(KeyError):
        promote(reg, "churn", 7)


def test_rollback_returns_to_the_previous_champion():
    reg = fresh({"auc": 0.8, "p95_ms": 10}, {"auc": 0.9, "p95_ms": 10})
    with pytest.raises(KeyError):
        rollback(reg, "churn")
    assert promote(reg, "churn", 1).promoted and promote(reg, "churn", 2).promoted
    assert rollback(reg, "churn") == 1
    assert reg.aliases("churn") == {"champion": 1}, (
        f"expected champion back at 1 and no previous, got {reg.aliases('churn')}"
    )
    with pytest.raises(KeyError):
        rollback(reg, "churn")


def test_canary_routing_is_sticky_monotone_and_about_the_right_size():
    keys = [f"user-{i}" for i in range(10_000)]
    at5 = {k for k in keys if in_canary(k, 5)}
    at20 = {k for k in keys if in_canary(k, 20)}
    assert 400 <= len(at5) <= 600, f"expected about 5% of 10,000 keys, got {len(at5)}"
    assert at5 <= at20, "a key in the canary at 5% must stay in it at 20%"
    assert all(in_canary(k, 5) for k in list(at5)[:100]), (
        "the same key must always route the same way"
    )
    expected = {k for k in keys[:500] if int(hashlib.sha256(k.encode()).hexdigest(), 16) % 100 < 20}
    assert {k for k in keys[:500] if in_canary(k, 20)} == expected, (
        "route by sha256(key) % 100 < percent"
    )
    assert not any(in_canary(k, 0) for k in keys[:1000]) and all(
        in_canary(k, 100) for k in keys[:1000]
    )
    for bad in (-1, 101):
        with pytest.raises(ValueError):
            in_canary("x", bad)
