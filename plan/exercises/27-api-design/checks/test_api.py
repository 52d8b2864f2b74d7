"""Checks for keyset pagination and idempotency keys."""

import random
import re

import pytest
from api import IdempotencyStore, decode_token, encode_token, list_page


def stamp(minute):
    return f"2026-12-01T{minute // 60:02d}:{minute % 60:02d}:00Z"


def table(n, seed=27):
    rng = random.Random(seed)
    rows = [{"id": i, "created_at": stamp(rng.randrange(0, 600))} for i in range(1, n + 1)]
    rng.shuffle(rows)
    return rows


def newest_first(rows):
    return sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)


def page_all(rows, size, between=None):
    seen, token, pages = [], "", 0
    while True:
        items, token = list_page(rows, size, token)
        seen += [r["id"] for r in items]
        pages += 1
        if not token:
            return seen, pages
        if between:
            between(pages)


def test_pages_come_newest_first_and_end_with_an_empty_token():
    rows = table(45)
    first, token = list_page(rows, 20)
    want = [r["id"] for r in newest_first(rows)[:20]]
    assert [r["id"] for r in first] == want, "the first page is the 20 newest, newest first"
    assert token, "a page with rows after it has a next_page_token"
    seen, pages = page_all(rows, 20)
    assert pages == 3, f"45 rows at 20 a page make 3 pages, got {pages}"
    assert seen == [r["id"] for r in newest_first(rows)], "paging visits every row once, in order"


def test_ties_on_created_at_are_broken_by_id_across_a_page_boundary():
    rows = [{"id": i, "created_at": stamp(5)} for i in (3, 9, 1, 7)] + [
        {"id": 4, "created_at": stamp(1)}
    ]
    first, token = list_page(rows, 2)
    second, token = list_page(rows, 2, token)
    got = [[r["id"] for r in first], [r["id"] for r in second]]
    assert got == [[9, 7], [3, 1]], f"expected [[9, 7], [3, 1]] (id breaks the tie), got {got}"
    third, token = list_page(rows, 2, token)
    assert ([r["id"] for r in third], token) == ([4], ""), f"expected [4] and '', got {third}"


def test_an_exact_multiple_ends_without_an_empty_page_and_empty_tables_work():
    seen, pages = page_all(table(40), 20)
    assert (len(seen), pages) == (40, 2), f"40 rows at 20 a page: 2 pages, got {pages}"
    assert list_page([], 20) == ([], ""), "an empty table gives an empty page and no token"


def test_inserts_between_pages_never_duplicate_or_skip_the_rows_that_were_there():
    rows = table(100)
    original = {r["id"] for r in rows}
    next_id = [1000]

    def insert_newer(_):
        for _ in range(7):  # new orders arrive while the client pages
            next_id[0] += 1
            rows.append({"id": next_id[0], "created_at": stamp(700)})

    seen, _ = page_all(rows, 15, between=insert_newer)
    dupes = len(seen) - len(set(seen))
    missing = original - set(seen)
    assert dupes == 0 and not missing, f"expected no duplicates or skips, got {dupes} and {missing}"


def test_the_cursor_works_even_when_its_row_is_deleted():
    rows = table(30)
    first, token = list_page(rows, 10)
    last_id = first[-1]["id"]
    rest = [r for r in rows if r["id"] != last_id]
    second, _ = list_page(rest, 10, token)
    want = [r["id"] for r in newest_first(rows)[10:20]]
    assert [r["id"] for r in second] == want, "the next page follows the cursor, not the row"


def test_page_size_default_cap_and_refusals():
    rows = table(250)
    assert len(list_page(rows)[0]) == 20, "the default page size is 20"
    assert len(list_page(rows, 1000)[0]) == 100, "page_size is capped at 100"
    for size in (0, -5):
        with pytest.raises(ValueError):
            list_page(rows, size)
    for bad in ("not-a-token!", "e30", encode_token("x", 1)[:-3]):
        with pytest.raises(ValueError):
            list_page(rows, 10, bad)


def test_tokens_are_url_safe_and_round_trip():
    token = encode_token("2026-12-01T10:00:00Z", 42)
    assert re.fullmatch(r"[A-Za-z0-9_=-]+", token), f"expected a URL-safe token, got {token!r}"
    assert decode_token(token) == ("2026-12-01T10:00:00Z", 42), "decode undoes encode"


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def counting(response=(201, {"id": 1})):
    calls = []

    def execute(body):
        calls.append(body)
        return response

    return execute, calls


def test_a_retry_with_the_same_key_replays_the_first_response():
    store = IdempotencyStore(Clock())
    execute, calls = counting((201, {"id": 77}))
    first = store.handle("k1", {"amount": 500, "currency": "EUR"}, execute)
    again = store.handle("k1", {"currency": "EUR", "amount": 500}, execute)
    assert first == again == (201, {"id": 77}), f"expected the same response, got {first}, {again}"
    assert len(calls) == 1, f"the order must be created once, got {len(calls)} executions"
    failed, calls2 = counting((402, {"error": "card declined"}))
    store.handle("k2", {"amount": 1}, failed)
    assert store.handle("k2", {"amount": 1}, failed) == (402, {"error": "card declined"})
    assert len(calls2) == 1, "an error response is stored and replayed too"


def test_a_reused_key_with_another_body_is_422_and_nothing_runs():
    store = IdempotencyStore(Clock())
    execute, calls = counting()
    store.handle("k", {"amount": 500}, execute)
    status, body = store.handle("k", {"amount": 900}, execute)
    assert (status, body.get("status")) == (422, 422), (
        f"expected a 422 problem, got {status} {body}"
    )
    assert {"type", "title", "status", "detail"} <= body.keys(), f"RFC 9457 members, got {body}"
    assert len(calls) == 1, "the second body must not execute"


def test_the_same_key_while_the_first_request_runs_is_409():
    store = IdempotencyStore(Clock())
    inner = []

    def execute(body):
        inner.append(store.handle("k", body, execute))  # the client retried too early
        return 201, {"id": 5}

    assert store.handle("k", {"amount": 1}, execute) == (201, {"id": 5})
    assert inner and inner[0][0] == 409, f"expected 409 for the concurrent retry, got {inner}"


def test_a_crash_releases_the_key_expiry_forgets_it_and_no_key_means_no_protection():
    clock = Clock()
    store = IdempotencyStore(clock, ttl=3600)

    def crash(body):
        raise TimeoutError("database went away")

    with pytest.raises(TimeoutError):
        store.handle("k", {"amount": 1}, crash)
    execute, calls = counting()
    assert store.handle("k", {"amount": 1}, execute) == (201, {"id": 1}) and len(calls) == 1, (
        "after a crash the retry must execute"
    )
    clock.now = 3600
    store.handle("k", {"amount": 2}, execute)
    assert len(calls) == 2, "a key older than its ttl is forgotten, even with another body"
    for _ in range(2):
        store.handle(None, {"amount": 1}, execute)
    store.handle("", {"amount": 1}, execute)
    assert len(calls) == 5, f"without a key every call executes, got {len(calls)} in all"
