"""A data contract checked on a batch before it is published, and the lineage events of that run.

A contract is a dict:

    {"columns": {"order_id": {"type": "int", "nullable": False, "unique": True},
                 "amount": {"type": "float", "min": 0, "max": 10_000},
                 "status": {"type": "str", "allowed": ["placed", "shipped"]},
                 "updated_at": {"type": "datetime"}},
     "freshness": {"column": "updated_at", "max_age": timedelta(hours=24)}}

Column keys other than "type" are optional: "nullable" defaults to True, "unique" to False.
Types: "int" (an int, not a bool), "float" (an int or a float, not a bool), "str", "bool",
"datetime" (a datetime). "freshness" is optional.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

PRODUCER = "https://example.com/eng28/contract-check"
SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"


class Violation(NamedTuple):
    row: int | None  # the row's index in the batch; None for a rule about the whole batch
    column: str
    rule: str  # missing, unexpected, null, type, min, max, allowed, unique, freshness


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "datetime":
        return isinstance(value, datetime)
    raise ValueError(f"unknown type {kind!r} in the contract")


def validate(
    rows: list[dict[str, Any]], contract: dict[str, Any], now: datetime
) -> list[Violation]:
    """Every way `rows` break `contract`, checked at time `now` (order does not matter).

    Per row and column: "missing" (a contract column absent from the row), "unexpected" (a key the
    contract does not name), "null" (None where nullable is False; a None that is allowed is
    checked no further), "type" (a value of the wrong type, checked no further), "min" and "max"
    (inclusive bounds), "allowed" (a value outside the list). "unique": every row whose non-null
    value repeats one of an earlier row (the first occurrence is not a violation).
    "freshness" (row None): the newest non-null value of the freshness column is older than
    now - max_age, or there is none at all. A value exactly max_age old is still fresh.
    """
    columns: dict[str, dict[str, Any]] = contract["columns"]
    found: list[Violation] = []
    seen: dict[str, set[Any]] = {
        name: set() for name, spec in columns.items() if spec.get("unique")
    }
    for index, row in enumerate(rows):
        found += [Violation(index, key, "unexpected") for key in row if key not in columns]
        for name, spec in columns.items():
            if name not in row:
                found.append(Violation(index, name, "missing"))
                continue
            value = row[name]
            if value is None:
                if not spec.get("nullable", True):
                    found.append(Violation(index, name, "null"))
                continue
            if not _type_ok(value, spec["type"]):
                found.append(Violation(index, name, "type"))
                continue
            if "min" in spec and value < spec["min"]:
                found.append(Violation(index, name, "min"))
            if "max" in spec and value > spec["max"]:
                found.append(Violation(index, name, "max"))
            if "allowed" in spec and value not in spec["allowed"]:
                found.append(Violation(index, name, "allowed"))
            if name in seen:
                if value in seen[name]:
                    found.append(Violation(index, name, "unique"))
                seen[name].add(value)
    fresh = contract.get("freshness")
    if fresh:
        column = fresh["column"]
        stamps = [row[column] for row in rows if isinstance(row.get(column), datetime)]
        if not stamps or max(stamps) < now - fresh["max_age"]:
            found.append(Violation(None, column, "freshness"))
    return found


def lineage_events(
    job: tuple[str, str],
    run_id: str,
    inputs: list[tuple[str, str]],
    outputs: list[tuple[str, str]],
    started: datetime,
    finished: datetime,
    contract: dict[str, Any],
    violations: list[Violation],
) -> list[dict[str, Any]]:
    """The two OpenLineage RunEvents of one audited run: a START, then a COMPLETE or a FAIL.

    Each event is {"eventType", "eventTime" (isoformat() of started or finished), "run": {"runId":
    run_id}, "job": {"namespace", "name"}, "inputs", "outputs", "producer": PRODUCER,
    "schemaURL": SCHEMA_URL}; a dataset is {"namespace", "name"}.
    - START lists the inputs and the outputs.
    - With no violations, COMPLETE lists the inputs and the outputs, each output carrying
      "facets": {"schema": {"fields": [{"name", "type"}, ...]}} in the contract's column order.
    - With violations, FAIL lists the inputs and no outputs (nothing was published) and carries
      "run": {"runId", "facets": {"errorMessage": {"message": "N contract violation(s)",
      "programmingLanguage": "python"}}}, N being len(violations).
    ValueError if run_id is not a UUID or finished is before started.
    """
    try:
        uuid.UUID(run_id)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"run_id must be a UUID, got {run_id!r}") from None
    if finished < started:
        raise ValueError(f"the run finished ({finished}) before it started ({started})")

    def dataset(ref: tuple[str, str]) -> dict[str, Any]:
        return {"namespace": ref[0], "name": ref[1]}

    def event(kind: str, at: datetime, run: dict[str, Any], outs: list[dict[str, Any]]):
        return {
            "eventType": kind,
            "eventTime": at.isoformat(),
            "run": run,
            "job": {"namespace": job[0], "name": job[1]},
            "inputs": [dataset(ref) for ref in inputs],
            "outputs": outs,
            "producer": PRODUCER,
            "schemaURL": SCHEMA_URL,
        }

    start = event("START", started, {"runId": run_id}, [dataset(ref) for ref in outputs])
    if violations:
        message = f"{len(violations)} contract violation(s)"
        facets = {"errorMessage": {"message": message, "programmingLanguage": "python"}}
        return [start, event("FAIL", finished, {"runId": run_id, "facets": facets}, [])]
    fields = [{"name": name, "type": spec["type"]} for name, spec in contract["columns"].items()]
    outs = [dict(dataset(ref), facets={"schema": {"fields": fields}}) for ref in outputs]
    return [start, event("COMPLETE", finished, {"runId": run_id}, outs)]
