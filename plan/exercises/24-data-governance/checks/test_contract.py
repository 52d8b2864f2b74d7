"""Checks for the contract validator and the lineage events of an audited run."""

from datetime import UTC, datetime, timedelta

import pytest
from contract import PRODUCER, Violation, lineage_events, validate

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CONTRACT = {
    "columns": {
        "order_id": {"type": "int", "nullable": False, "unique": True},
        "amount": {"type": "float", "nullable": False, "min": 0, "max": 10_000},
        "status": {"type": "str", "allowed": ["placed", "shipped"]},
        "updated_at": {"type": "datetime"},
    },
    "freshness": {"column": "updated_at", "max_age": timedelta(hours=24)},
}
RUN_ID = "0e7b8c2a-5d4f-4a53-9f1e-2b6c1d0a9e77"
JOB = ("eng28", "publish_orders")
INPUTS = [("duckdb://shop", "raw.orders")]
OUTPUTS = [("duckdb://shop", "mart.orders")]


def row(order_id=1, amount=10.0, status="placed", updated_at=NOW, **extra):
    return {
        "order_id": order_id,
        "amount": amount,
        "status": status,
        "updated_at": updated_at,
        **extra,
    }


def check(rows, now=NOW, contract=CONTRACT):
    return set(validate(rows, contract, now))


def test_a_clean_batch_has_no_violations():
    rows = [row(1), row(2, amount=0, status="shipped"), row(3, amount=10_000, status=None)]
    got = check(rows)
    assert got == set(), (
        f"expected no violations (bounds are inclusive, status nullable), got {got}"
    )


def test_nulls_break_only_non_nullable_columns_and_are_checked_no_further():
    got = check([row(1, amount=None, status=None)])
    want = {Violation(0, "amount", "null")}
    assert got == want, f"expected only the null amount, got {got}"


def test_types_are_strict_about_bools_and_lenient_about_ints_as_floats():
    rows = [row(True), row(2, amount=5), row(3, amount="12.5"), row(4, status=7)]
    got = check(rows)
    want = {
        Violation(0, "order_id", "type"),
        Violation(2, "amount", "type"),
        Violation(3, "status", "type"),
    }
    assert got == want, (
        f"expected a bool order_id, a str amount and an int status as type errors "
        f"(and an int amount accepted as a float), got {got}"
    )


def test_ranges_and_allowed_values():
    rows = [row(1, amount=-0.01), row(2, amount=10_000.5), row(3, status="lost")]
    got = check(rows)
    want = {
        Violation(0, "amount", "min"),
        Violation(1, "amount", "max"),
        Violation(2, "status", "allowed"),
    }
    assert got == want, f"expected {want}, got {got}"


def test_missing_and_unexpected_columns():
    incomplete = row(1)
    del incomplete["status"]
    got = check([incomplete, row(2, coupon="X1")])
    want = {Violation(0, "status", "missing"), Violation(1, "coupon", "unexpected")}
    assert got == want, f"expected {want}, got {got}"


def test_duplicates_flag_every_repeat_but_not_the_first_occurrence():
    contract = {"columns": {"order_id": {"type": "int", "unique": True}}}
    rows = [
        {"order_id": 7},
        {"order_id": 8},
        {"order_id": 7},
        {"order_id": None},
        {"order_id": None},
        {"order_id": 7},
    ]
    got = check(rows, contract=contract)
    want = {Violation(2, "order_id", "unique"), Violation(5, "order_id", "unique")}
    assert got == want, f"expected rows 2 and 5 (nulls are not duplicates), got {got}"


def test_freshness_uses_the_newest_value_and_its_boundary_is_fresh():
    old, newest = NOW - timedelta(days=3), NOW - timedelta(hours=24)
    got = check([row(1, updated_at=old), row(2, updated_at=newest)])
    assert got == set(), f"expected fresh: the newest row is exactly 24 h old, got {got}"
    stale = check([row(1, updated_at=newest - timedelta(seconds=1))])
    want = {Violation(None, "updated_at", "freshness")}
    assert stale == want, f"expected a stale batch one second past 24 h, got {stale}"
    assert check([]) == want, "an empty batch has no fresh row, so it is stale"
    assert check([row(1, updated_at=None)]) == want, "a batch with no timestamps is stale"
    assert check([], contract={"columns": CONTRACT["columns"]}) == set(), (
        "without a freshness clause an empty batch breaks nothing"
    )


def events_for(violations):
    started, finished = NOW, NOW + timedelta(minutes=3)
    return lineage_events(JOB, RUN_ID, INPUTS, OUTPUTS, started, finished, CONTRACT, violations)


def test_a_clean_run_emits_start_then_complete_with_the_output_schema():
    start, complete = events_for([])
    dataset_in = [{"namespace": "duckdb://shop", "name": "raw.orders"}]
    assert start["eventType"] == "START" and complete["eventType"] == "COMPLETE", (
        f"expected START then COMPLETE, got {start['eventType']}, {complete['eventType']}"
    )
    assert start["run"] == {"runId": RUN_ID} and complete["run"]["runId"] == RUN_ID, (
        "both events carry the same runId"
    )
    assert start["job"] == {"namespace": "eng28", "name": "publish_orders"}, start["job"]
    assert start["eventTime"] == "2026-12-01T12:00:00+00:00", start["eventTime"]
    assert complete["eventTime"] == "2026-12-01T12:03:00+00:00", complete["eventTime"]
    assert start["inputs"] == dataset_in and complete["inputs"] == dataset_in
    assert start["outputs"] == [{"namespace": "duckdb://shop", "name": "mart.orders"}]
    assert start["producer"] == PRODUCER and "schemaURL" in start
    fields = complete["outputs"][0]["facets"]["schema"]["fields"]
    want = [
        {"name": "order_id", "type": "int"},
        {"name": "amount", "type": "float"},
        {"name": "status", "type": "str"},
        {"name": "updated_at", "type": "datetime"},
    ]
    assert fields == want, f"expected the contract's columns in order, got {fields}"


def test_a_failed_audit_emits_fail_with_no_outputs_and_an_error_message():
    violations = validate([row(1, amount=-1), row(1)], CONTRACT, NOW)
    start, fail = events_for(violations)
    assert (start["eventType"], fail["eventType"]) == ("START", "FAIL"), (
        f"expected START then FAIL, got {start['eventType']}, {fail['eventType']}"
    )
    assert fail["outputs"] == [], f"nothing was published, so no outputs; got {fail['outputs']}"
    assert fail["inputs"] == [{"namespace": "duckdb://shop", "name": "raw.orders"}]
    error = fail["run"]["facets"]["errorMessage"]
    want = {"message": "2 contract violation(s)", "programmingLanguage": "python"}
    assert error == want, f"expected {want}, got {error}"
    assert fail["run"]["runId"] == RUN_ID


def test_lineage_events_refuse_a_bad_run_id_or_a_run_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        lineage_events(JOB, "run-1", INPUTS, OUTPUTS, NOW, NOW, CONTRACT, [])
    with pytest.raises(ValueError):
        lineage_events(JOB, RUN_ID, INPUTS, OUTPUTS, NOW, NOW - timedelta(seconds=1), CONTRACT, [])
