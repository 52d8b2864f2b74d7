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

from datetime import datetime
from typing import Any, NamedTuple

PRODUCER = "https://example.com/eng28/contract-check"
SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"


class Violation(NamedTuple):
    row: int | None  # the row's index in the batch; None for a rule about the whole batch
    column: str
    rule: str  # missing, unexpected, null, type, min, max, allowed, unique, freshness


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
    raise NotImplementedError


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
    raise NotImplementedError
