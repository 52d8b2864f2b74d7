"""Raft leader election (terms, votes, step-down) over simulated nodes."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

FOLLOWER, CANDIDATE, LEADER = "follower", "candidate", "leader"


@dataclass
class Node:
    """One Raft member. `log` holds the term of each entry; entry 1 is log[0]."""

    id: int
    term: int = 0
    voted_for: int | None = None
    role: str = FOLLOWER
    log: list[int] = field(default_factory=list)

    @property
    def last_log_index(self) -> int:
        return len(self.log)

    @property
    def last_log_term(self) -> int:
        return self.log[-1] if self.log else 0


def _adopt(node: Node, term: int) -> None:
    """A higher term seen anywhere: take it, forget the vote, become a follower."""
    node.term, node.voted_for, node.role = term, None, FOLLOWER


def log_is_up_to_date(last_log_term: int, last_log_index: int, voter: Node) -> bool:
    """True if a candidate's log (its last entry's term and index) is at least as up to
    date as the voter's: a higher last term wins; equal last terms compare the index."""
    if last_log_term != voter.last_log_term:
        return last_log_term > voter.last_log_term
    return last_log_index >= voter.last_log_index


def request_vote(
    voter: Node, term: int, candidate_id: int, last_log_index: int, last_log_term: int
) -> tuple[int, bool]:
    """Handle a RequestVote on `voter`; return (voter's term afterwards, vote granted).

    A request from an older term is refused. A newer term is adopted first (the voter
    becomes a follower with no vote in that term). The vote is granted only if the voter
    has not voted for someone else in this term and the candidate's log is up to date;
    granting records voted_for. Asking again as the same candidate is granted again.
    """
    if term < voter.term:
        return voter.term, False
    if term > voter.term:
        _adopt(voter, term)
    if voter.voted_for not in (None, candidate_id):
        return voter.term, False
    if not log_is_up_to_date(last_log_term, last_log_index, voter):
        return voter.term, False
    voter.voted_for = candidate_id
    return voter.term, True


def append_entries(follower: Node, term: int, leader_id: int) -> tuple[int, bool]:
    """Handle a heartbeat (an AppendEntries with no entries); return (term, accepted).

    An older term is refused and nothing changes. Otherwise the receiver takes the term
    (forgetting its vote only if the term is newer) and becomes a follower: a candidate
    of the same term steps down, since that term already has a leader.
    """
    if term < follower.term:
        return follower.term, False
    if term > follower.term:
        _adopt(follower, term)
    follower.role = FOLLOWER
    return follower.term, True


def start_election(nodes: dict[int, Node], candidate_id: int, reachable: Iterable[int]) -> bool:
    """`candidate_id` times out: it starts a new term, votes for itself and asks every
    reachable other node (in ascending id order) for a vote.

    As soon as a reply carries a higher term the candidate adopts it, becomes a follower
    and the election ends (False). It becomes leader if it holds votes from a strict
    majority of all len(nodes) members (return True); otherwise it stays a candidate
    (False). Unreachable nodes are not asked. The candidate itself in `reachable` is ignored.
    """
    me = nodes[candidate_id]
    me.term += 1
    me.voted_for = candidate_id
    me.role = CANDIDATE
    votes = 1
    for peer_id in sorted(set(reachable) - {candidate_id}):
        reply_term, granted = request_vote(
            nodes[peer_id], me.term, candidate_id, me.last_log_index, me.last_log_term
        )
        if reply_term > me.term:
            _adopt(me, reply_term)
            return False
        votes += granted
    if votes > len(nodes) // 2:
        me.role = LEADER
        return True
    return False


def send_heartbeats(nodes: dict[int, Node], leader_id: int, reachable: Iterable[int]) -> bool:
    """The leader sends a heartbeat to every reachable other node (ascending id order).

    If a reply carries a higher term, the leader adopts it, steps down to follower and
    returns False at once; otherwise it returns True. Calling it on a node that is not a
    leader is a ValueError.
    """
    me = nodes[leader_id]
    if me.role != LEADER:
        raise ValueError(f"node {leader_id} is a {me.role}, not a leader")
    for peer_id in sorted(set(reachable) - {leader_id}):
        reply_term, _ = append_entries(nodes[peer_id], me.term, leader_id)
        if reply_term > me.term:
            _adopt(me, reply_term)
            return False
    return True


def election_timeouts(
    node_ids: Iterable[int], seed: int, low: int = 150, high: int = 300
) -> dict[int, int]:
    """A randomised election timeout in milliseconds, low <= t <= high, for each node.

    Drawn with random.Random(seed).randint(low, high), one draw per node in ascending id
    order, so the same seed always gives the same timeouts. low > high is a ValueError.
    """
    if low > high:
        raise ValueError(f"low {low} is above high {high}")
    rng = random.Random(seed)
    return {i: rng.randint(low, high) for i in sorted(node_ids)}
