import random

import pytest
from chat import Ack, ChatServer, Inbox, Message


def server_with(*convs):
    s = ChatServer()
    for conv, members in convs:
        s.create(conv, members)
    return s


def test_seq_starts_at_one_and_has_no_gaps_per_conversation():
    s = server_with(("c1", ["ann", "bob"]), ("c2", ["ann", "cat"]))
    seqs = [s.send("c1", "ann", "m1", "hi").seq, s.send("c1", "bob", "m1", "hey").seq]
    seqs.append(s.send("c2", "ann", "m2", "yo").seq)
    seqs.append(s.send("c1", "ann", "m3", "how are you").seq)
    assert seqs == [1, 2, 1, 3], f"each conversation counts from 1 on its own: got {seqs}"
    assert [m.body for m in s.since("c1", 0)] == ["hi", "hey", "how are you"]


def test_a_retried_send_returns_the_original_ack_and_appends_nothing():
    s = server_with(("c", ["ann", "bob"]))
    first = s.send("c", "ann", "abc", "lunch?")
    s.send("c", "bob", "zzz", "sure")
    again = s.send("c", "ann", "abc", "lunch?")
    assert again == Ack("c", first.seq, "abc", duplicate=True), (
        f"expected the first ack again, got {again}"
    )
    assert first.duplicate is False
    assert len(s.since("c", 0)) == 2, "the retry must not create a message"
    other = s.send("c", "bob", "abc", "lunch?")
    assert (other.seq, other.duplicate) == (3, False), "the same id from another sender is new"
    with pytest.raises(ValueError):
        s.send("c", "ann", "abc", "dinner?")  # an id reused for a different message


def test_membership_and_unknown_conversations():
    s = server_with(("c", ["ann"]))
    with pytest.raises(PermissionError):
        s.send("c", "eve", "x", "let me in")
    with pytest.raises(KeyError):
        s.send("nope", "ann", "x", "hello")
    with pytest.raises(ValueError):
        s.create("c", ["bob"])
    with pytest.raises(ValueError):
        s.create("empty", [])


def test_since_returns_what_comes_after_a_cursor():
    s = server_with(("c", ["ann"]))
    for i in range(1, 6):
        s.send("c", "ann", f"m{i}", f"body {i}")
    got = [m.seq for m in s.since("c", 2)]
    assert got == [3, 4, 5], f"expected seqs 3..5 after cursor 2, got {got}"
    assert s.since("c", 5) == [], "nothing after the newest"
    assert s.since("c", 9) == []
    assert [m.seq for m in s.since("c", 0)] == [1, 2, 3, 4, 5]


def msg(seq, conv="c", sender="bob"):
    return Message(conv, seq, sender, f"id{seq}", f"body {seq}")


def test_inbox_shows_messages_in_order_whatever_the_arrival_order():
    inbox = Inbox()
    assert inbox.receive(msg(3)) == [], "seq 3 must wait for 1 and 2"
    assert inbox.missing("c") == [1, 2], f"expected [1, 2] missing, got {inbox.missing('c')}"
    assert [m.seq for m in inbox.receive(msg(1))] == [1]
    assert inbox.receive(msg(3)) == [], "a duplicate of a waiting message is ignored"
    assert [m.seq for m in inbox.receive(msg(2))] == [2, 3], "closing the gap releases 2 and 3"
    assert inbox.receive(msg(2)) == [], "a duplicate of a shown message is ignored"
    assert inbox.cursor("c") == 3 and inbox.missing("c") == []
    assert [m.seq for m in inbox.receive(msg(1, conv="d"))] == [1], "conversations are separate"
    assert [m.seq for m in inbox.shown] == [1, 2, 3, 1]


def test_catch_up_fills_gaps_left_by_lost_pushes():
    s = server_with(("c", ["ann", "bob"]))
    pushed = [s.send("c", "bob", f"b{i}", f"text {i}") for i in range(1, 7)]
    inbox = Inbox()
    for ack in pushed:
        if ack.seq in (1, 4, 6):  # 2, 3 and 5 were lost in transit
            inbox.receive(s.since("c", ack.seq - 1)[0])
    assert inbox.cursor("c") == 1 and inbox.missing("c") == [2, 3, 5]
    got = [m.seq for m in inbox.catch_up(s, "c")]
    assert got == [2, 3, 4, 5, 6], f"expected 2..6 released, got {got}"
    assert inbox.catch_up(s, "c") == [], "a second catch-up shows nothing new"
    assert [m.seq for m in inbox.shown] == [1, 2, 3, 4, 5, 6]


def test_unread_counts_other_peoples_messages_after_the_read_cursor():
    s = server_with(("c", ["ann", "bob", "cat"]))
    s.send("c", "bob", "1", "a")
    s.send("c", "cat", "2", "b")
    assert s.unread("ann", "c") == 2
    assert s.unread("bob", "c") == 1, "bob's own message is not unread for bob"
    s.send("c", "ann", "3", "c")
    assert s.unread("ann", "c") == 0, "sending marks everything up to your message read"
    s.send("c", "bob", "4", "d")
    s.mark_read("cat", "c", 3)
    assert s.unread("cat", "c") == 1, (
        f"cat read up to 3, only 4 is unread; got {s.unread('cat', 'c')}"
    )
    s.mark_read("cat", "c", 1)
    assert s.unread("cat", "c") == 1, "a read cursor never moves back"
    with pytest.raises(ValueError):
        s.mark_read("cat", "c", 5)
    with pytest.raises(PermissionError):
        s.unread("eve", "c")


def test_read_receipts_name_who_has_read_a_message():
    s = server_with(("c", ["ann", "bob", "cat"]))
    s.send("c", "ann", "1", "hello")
    s.send("c", "ann", "2", "anyone?")
    assert s.read_by("c", 1) == set(), "the sender does not count as a reader"
    s.mark_read("bob", "c", 2)
    s.mark_read("cat", "c", 1)
    assert s.read_by("c", 1) == {"bob", "cat"}
    assert s.read_by("c", 2) == {"bob"}, f"cat has not reached 2: got {s.read_by('c', 2)}"
    with pytest.raises(KeyError):
        s.read_by("c", 3)


def test_a_lossy_duplicating_reordering_network_still_shows_each_message_once_in_order():
    rng = random.Random(19)
    s = server_with(("g", ["ann", "bob", "cat"]))
    people = ["ann", "bob", "cat"]
    acks = []
    for i in range(200):
        who = rng.choice(people)
        cid = f"{who}-{i // 2}"  # the same person twice in a row retries the same id
        acks.append(s.send("g", who, cid, f"msg {cid}"))
    assert sum(a.duplicate for a in acks) > 0, "the scenario must contain retries"
    log = s.since("g", 0)
    assert [m.seq for m in log] == list(range(1, len(log) + 1)), "the server log has gaps"
    wire = [m for m in log if rng.random() > 0.3] * 2  # 30% lost, the rest delivered twice
    rng.shuffle(wire)
    inbox = Inbox()
    for m in wire:
        inbox.receive(m)
    inbox.catch_up(s, "g")
    assert inbox.shown == log, "after catch-up the inbox must hold the server log exactly"
