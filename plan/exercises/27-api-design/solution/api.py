"""Two pieces of an HTTP API that survive the real world: keyset pagination that stays stable while
rows are inserted, and idempotency keys that make a retried POST safe.

Rows are dicts with at least "id" (an int, unique) and "created_at" (an ISO 8601 string in one
fixed format, so that strings sort as times). Responses are (status, body) tuples.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


def encode_token(created_at: str, row_id: int) -> str:
    """An opaque, URL-safe page token holding the sort key (created_at, id) of a page's last row."""
    raw = json.dumps([created_at, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[str, int]:
    """The (created_at, id) inside a token from encode_token; ValueError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        created_at, row_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"invalid page token {token!r}") from exc
    if not isinstance(created_at, str) or type(row_id) is not int:
        raise ValueError(f"invalid page token {token!r}")
    return created_at, row_id


def list_page(
    rows: list[dict[str, Any]], page_size: int = DEFAULT_PAGE_SIZE, page_token: str = ""
) -> tuple[list[dict[str, Any]], str]:
    """One page of `rows` (given in any order), newest first: by created_at descending, then id
    descending. Returns (items, next_page_token).

    With a page_token, the page starts right after the token's (created_at, id) in that order,
    whether or not that row still exists; rows inserted meanwhile with a later key never shift
    the pages still to come. page_size is capped at MAX_PAGE_SIZE; below 1 is a ValueError, as is
    a bad token. next_page_token is "" when no row comes after the page (never an empty last page).
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    size = min(page_size, MAX_PAGE_SIZE)
    ordered = sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)
    if page_token:
        cursor = decode_token(page_token)
        ordered = [r for r in ordered if (r["created_at"], r["id"]) < cursor]
    items = ordered[:size]
    more = len(ordered) > size
    token = encode_token(items[-1]["created_at"], items[-1]["id"]) if more else ""
    return items, token


def problem(status: int, title: str, detail: str) -> tuple[int, dict[str, Any]]:
    """An RFC 9457 problem-details response. Its type is "about:blank", which says the problem
    means no more than its status code, so the title should be that status's phrase and the
    detail carries the specifics."""
    return status, {"type": "about:blank", "title": title, "status": status, "detail": detail}


class IdempotencyStore:
    def __init__(self, clock: Callable[[], float], ttl: float = 24 * 3600) -> None:
        """Remembers each key's request and response for `ttl` seconds of `clock()` time."""
        self.clock, self.ttl = clock, ttl
        self._entries: dict[str, dict[str, Any]] = {}

    def handle(
        self,
        key: str | None,
        body: dict[str, Any],
        execute: Callable[[dict[str, Any]], tuple[int, dict[str, Any]]],
    ) -> tuple[int, dict[str, Any]]:
        """Run execute(body) at most once per key and return its (status, body).

        - No key (None or ""): execute every time.
        - A new key (or one stored more than ttl seconds ago): execute, store the request's
          fingerprint (its JSON with sorted keys, so key order does not matter) and the response,
          whatever its status, and return it.
        - The same key and the same request: the stored response, without executing.
        - The same key and a different request: problem(422, ...), without executing.
        - The same key while its first request is still executing: problem(409, ...).
        - If execute raises, nothing is stored for the key and the exception propagates, so a
          retry executes again.
        """
        if not key:
            return execute(body)
        fingerprint = hashlib.sha256(
            json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
        now = self.clock()
        entry = self._entries.get(key)
        if entry is not None and now - entry["at"] >= self.ttl:
            del self._entries[key]
            entry = None
        if entry is not None:
            if entry["fingerprint"] != fingerprint:
                return problem(
                    422, "Unprocessable Content", f"idempotency key {key!r} came with another body"
                )
            if entry["response"] is None:
                return problem(
                    409, "Conflict", f"a request with idempotency key {key!r} is still running"
                )
            return entry["response"]
        entry = {"fingerprint": fingerprint, "at": now, "response": None}
        self._entries[key] = entry
        try:
            response = execute(body)
        except BaseException:
            del self._entries[key]
            raise
        entry["response"] = response
        return response
