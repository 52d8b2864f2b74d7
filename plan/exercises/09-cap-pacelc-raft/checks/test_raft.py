import random

import pytest
from raft import (
    CANDIDATE,
    FOLLOWER,
    LEADER,
    Node,
    append_entries,
    election_timeouts,
    log_is_up_to_date,
    request_vote,
    send_heartbeats,
    start_election,
)


def cluster(n, logs=None):
    logs = logs or {}
    return {i: Node(i, log=list(logs.get(i, []))) for i in range(1, n + 1)}


def test_up_to_date_compares_last_term_then_length():
    voter = Node(1, log=[1, 1, 2])
    cases = {(3, 1): True, (2, 3): True, (2, 4): True, (2, 2): False, (1, 9): False}
    for (term, index), expected in cases.items():
        got = log_is_up_to_date(term, index, voter)
        assert got is expected, (
            f"voter log ends (term 2, index 3); candidate ({term}, {index}): expected {expected}, got {got}"
        )
    assert log_is_up_to_date(0, 0, Node(2)) is True, "two empty logs are equally up to date"


def test_stale_term_vote_is_refused():
    voter = Node(1, term=5)
    got = request_vote(voter, 4, 2, 0, 0)
    assert got == (5, False), (
        f"a request from term 4 to a term-5 voter: expected (5, False), got {got}"
    )
    assert voter.voted_for is None and voter.term == 5


def test_one_vote_per_term_and_a_new_term_frees_the_vote():
    voter = Node(1)
    assert request_vote(voter, 1, 2, 0, 0) == (1, True)
    assert voter.voted_for == 2
    got = request_vote(voter, 1, 3, 0, 0)
    assert got == (1, False), f"second candidate in the same term: expected (1, False), got {got}"
    assert request_vote(voter, 1, 2, 0, 0) == (1, True), (
        "the same candidate asking again is granted again"
    )
    got = request_vote(voter, 2, 3, 0, 0)
    assert got == (2, True), f"a newer term frees the vote: expected (2, True), got {got}"
    assert voter.voted_for == 3


def test_higher_term_is_adopted_even_when_the_vote_is_refused():
    voter = Node(1, term=1, role=LEADER, log=[1, 1])
    got = request_vote(voter, 3, 2, 1, 1)
    assert got == (3, False), (
        f"candidate's log is shorter at the same last term: expected (3, False), got {got}"
    )
    assert (voter.term, voter.role, voter.voted_for) == (3, FOLLOWER, None), (
        f"expected the voter at term 3 as a follower with no vote, got {(voter.term, voter.role, voter.voted_for)}"
    )


def test_election_needs_a_majority_of_all_members():
    nodes = cluster(5)
    won = start_election(nodes, 1, [1, 2])
    assert won is False and nodes[1].role == CANDIDATE, (
        "2 votes of 5 is no majority: expected a candidate"
    )
    assert nodes[1].term == 1 and nodes[1].voted_for == 1
    won = start_election(nodes, 1, [2, 3])
    assert won is True, "3 votes of 5 (itself, 2 and 3) in term 2: expected a leader"
    assert (nodes[1].role, nodes[1].term) == (LEADER, 2)
    assert nodes[4].term == 0, "an unreachable node is never asked"


def test_candidate_with_a_stale_log_loses():
    nodes = cluster(3, {1: [1], 2: [1, 1], 3: [1, 1]})
    assert start_election(nodes, 1, [1, 2, 3]) is False, (
        "the others hold a longer log: expected no win"
    )
    assert start_election(nodes, 2, [1, 2, 3]) is True, (
        "node 2's log is as up to date as any: expected a win"
    )
    assert nodes[2].term == 2, f"node 2 had to outbid term 1: expected term 2, got {nodes[2].term}"


def test_candidate_meeting_a_higher_term_steps_down():
    nodes = cluster(3)
    nodes[3].term = 7
    won = start_election(nodes, 1, [2, 3])
    assert won is False
    assert (nodes[1].term, nodes[1].role, nodes[1].voted_for) == (7, FOLLOWER, None), (
        f"expected node 1 to adopt term 7 as a follower, got {(nodes[1].term, nodes[1].role, nodes[1].voted_for)}"
    )


def test_stale_leader_steps_down_and_heartbeats_follow_the_term_rules():
    nodes = cluster(5)
    assert start_election(nodes, 1, [1, 2, 3, 4, 5])
    assert send_heartbeats(nodes, 1, [2, 3, 4, 5]) is True
    assert start_election(nodes, 5, [3, 4]), "node 5 wins term 2 with 3, 4 while node 1 is cut off"
    assert nodes[1].role == LEADER, "node 1 has heard nothing yet and still believes it leads"
    got = send_heartbeats(nodes, 1, [2, 3])
    assert got is False and (nodes[1].role, nodes[1].term) == (FOLLOWER, 2), (
        f"the stale leader meets term 2: expected it a follower at term 2, got {got}, {nodes[1].role}, {nodes[1].term}"
    )
    with pytest.raises(ValueError):
        send_heartbeats(nodes, 1, [2])
    assert append_entries(nodes[5], 1, 1) == (2, False), "an old leader's heartbeat is refused"
    candidate = Node(9, term=4, voted_for=9, role=CANDIDATE)
    assert append_entries(candidate, 4, 2) == (4, True)
    assert (candidate.role, candidate.voted_for) == (FOLLOWER, 9), (
        "same term: step down, keep the vote"
    )


def test_election_timeouts_are_seeded_and_in_range():
    a = election_timeouts([3, 1, 2], seed=42)
    assert a == election_timeouts([1, 2, 3], seed=42), (
        "same seed and ids: expected the same timeouts"
    )
    rng = random.Random(42)
    expected = {i: rng.randint(150, 300) for i in (1, 2, 3)}
    assert a == expected, (
        f"one randint(150, 300) per node in ascending id order: expected {expected}, got {a}"
    )
    b = election_timeouts(range(50), seed=1, low=10, high=12)
    assert set(b.values()) <= {10, 11, 12} and len(set(b.values())) > 1
    with pytest.raises(ValueError):
        election_timeouts([1], seed=0, low=5, high=4)


@pytest.mark.parametrize("size", [3, 5])
def test_at_most_one_leader_per_term_under_random_partitions(size):
    rng = random.Random(2026 + size)
    for _ in range(30):
        nodes = cluster(size)
        leaders: dict[int, int] = {}
        for _ in range(60):
            node_id = rng.randint(1, size)
            reachable = [i for i in nodes if rng.random() < 0.6]
            if nodes[node_id].role == LEADER and rng.random() < 0.5:
                send_heartbeats(nodes, node_id, reachable)
            elif start_election(nodes, node_id, reachable):
                term = nodes[node_id].term
                assert leaders.setdefault(term, node_id) == node_id, (
                    f"term {term} got two leaders: {leaders[term]} and {node_id}"
                )
