"""Review cards' kinds and ids: pure functions of an id, shared by every room that files,
merges or shows cards.

A card's id says its kind: "3" is day 3's reflection, "3:attention-scaling" a question of day
3's "Check yourself", "lc:3" the re-solve of day 3's LeetCode problem.
"""

from __future__ import annotations

import hashlib
from typing import Literal

CardKind = Literal["reflection", "question", "leetcode"]
KINDS: tuple[CardKind, ...] = ("reflection", "question", "leetcode")


def card_kind(card_id: str | int) -> CardKind:
    card_id = str(card_id)
    if card_id.startswith("lc:"):
        return "leetcode"
    return "question" if ":" in card_id else "reflection"


def card_day(card_id: str | int) -> int:
    """The day a card belongs to."""
    return int(str(card_id).removeprefix("lc:").split(":")[0])


def question_card(day: int, question_id: str) -> str:
    return f"{day}:{question_id}"


def leetcode_card(day: int) -> str:
    return f"lc:{day}"


def fsrs_number(card_id: str | int) -> int:
    """The whole number fsrs keeps inside a card: a reflection's is its day (as before card
    kinds existed), any other's is derived from its id, far above any day number."""
    card_id = str(card_id)
    if card_kind(card_id) == "reflection":
        return int(card_id)
    return 10**6 + int(hashlib.sha256(card_id.encode()).hexdigest()[:12], 16)
