"""A model registry with immutable versions and movable aliases, a promotion gate,
reproducible run ids and sticky canary routing."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any


def run_id(params: dict[str, Any], data_sha256: str, code_version: str) -> str:
    """A run id that depends only on what the run was made from.

    The first 12 hex digits of the SHA-256 of the UTF-8 bytes of
    json.dumps({"code": code_version, "data": data_sha256, "params": params},
    sort_keys=True, separators=(",", ":")). So key order never matters, while 1, 1.0,
    "1" and True are different values. Values JSON cannot encode raise TypeError.
    """
    raise NotImplementedError


@dataclass(frozen=True)
class ModelVersion:
    name: str
    version: int
    run_id: str
    metrics: dict[str, float] = field(default_factory=dict)


class ModelRegistry:
    """Named models, each with versions 1, 2, 3... that never change, and aliases
    (a name like "champion") that each point at one version of one model."""

    def __init__(self) -> None:
        """Start empty."""
        raise NotImplementedError

    def register(self, name: str, run_id: str, metrics: dict[str, float]) -> int:
        """Add the next version of `name` (1 for a new name) and return its number.
        The metrics are copied: changing the caller's dict later changes nothing here."""
        raise NotImplementedError

    def get(self, name: str, version: int) -> ModelVersion:
        """The version asked for; KeyError if the model or the version does not exist."""
        raise NotImplementedError

    def set_alias(self, name: str, alias: str, version: int) -> None:
        """Point `alias` of model `name` at `version` (KeyError if it does not exist),
        moving it if it pointed elsewhere. One version may carry several aliases."""
        raise NotImplementedError

    def delete_alias(self, name: str, alias: str) -> None:
        """Remove the alias; KeyError if it is not set."""
        raise NotImplementedError

    def aliases(self, name: str) -> dict[str, int]:
        """A copy of the model's aliases, alias -> version ({} if none)."""
        raise NotImplementedError

    def resolve(self, uri: str) -> ModelVersion:
        """Resolve "models:/<name>/<version>" or "models:/<name>@<alias>".
        A malformed URI is a ValueError; an unknown model, version or alias a KeyError."""
        raise NotImplementedError


@dataclass
class Decision:
    promoted: bool
    reasons: list[str] = field(default_factory=list)


def promote(
    registry: ModelRegistry,
    name: str,
    candidate: int,
    *,
    metric: str = "auc",
    min_gain: float = 0.005,
    max_p95_ms: float = 50.0,
) -> Decision:
    """The promotion gate: move alias "champion" to version `candidate` only if it earns it.

    The candidate must carry `metric` and "p95_ms" in its metrics, with p95_ms <=
    max_p95_ms. If there is a champion, the candidate must not be it already, and its
    metric must beat the champion's by at least min_gain (compare with a tolerance of
    1e-9, so a gain of exactly min_gain passes). With no champion yet, the latency rule
    alone decides. On success the old champion (if any) gets the alias "previous" and
    the candidate "champion"; on failure no alias changes. `reasons` names every rule
    that failed (empty when promoted). An unknown candidate is a KeyError.
    """
    raise NotImplementedError


def rollback(registry: ModelRegistry, name: str) -> int:
    """Point "champion" back at the version "previous" names, drop "previous", and return
    that version. With no "previous" alias, raise KeyError and change nothing."""
    raise NotImplementedError


def in_canary(request_key: str, percent: int) -> bool:
    """Sticky canary routing: does this request (user, session) go to the challenger?

    True when int(sha256(request_key).hexdigest(), 16) % 100 < percent. The same key
    always gets the same answer, a key in the canary at p% stays in it at any higher p,
    0 routes nobody and 100 everybody. percent outside 0..100 is a ValueError.
    """
    raise NotImplementedError
