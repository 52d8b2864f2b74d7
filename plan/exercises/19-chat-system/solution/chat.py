"""The ordering core of a chat backend: per-conversation sequence numbers, idempotent
sends, in-order delivery over an unreliable network, read cursors and unread counts."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    conv_id: str
    seq: int
    sender: str
    client_msg_id: str
    body: str


@dataclass(frozen=True)
class Ack:
    conv_id: str
    seq: int
    client_msg_id: str
    duplicate: bool = False


class ChatServer:
    """The message service: one log per conversation, the single writer of its seq."""

    def __init__(self) -> None:
        """No conversations yet."""
        self._members: dict[str, set[str]] = {}
        self._log: dict[str, list[Message]] = {}
        self._sent: dict[tuple[str, str, str], Message] = {}
        self._read: dict[tuple[str, str], int] = {}

    def create(self, conv_id: str, members: Iterable[str]) -> None:
        """Open a conversation for `members`, every read cursor at 0. ValueError if the
        conversation exists or has no members."""
        people = set(members)
        if conv_id in self._members or not people:
            raise ValueError(f"cannot create {conv_id!r}: it exists or has no members")
        self._members[conv_id] = people
        self._log[conv_id] = []
        for user in people:
            self._read[(user, conv_id)] = 0

    def send(self, conv_id: str, sender: str, client_msg_id: str, body: str) -> Ack:
        """Append a message and acknowledge it with its seq: 1 for a conversation's first
        message, then one more each time, with no gaps.

        A retry (same conversation, sender and client_msg_id) appends nothing and returns
        the original seq with duplicate=True; a retry whose body differs is a ValueError.
        The sender's read cursor moves to the new message. KeyError for an unknown
        conversation, PermissionError for a sender who is not a member.
        """
        self._member(sender, conv_id)
        key = (conv_id, sender, client_msg_id)
        if key in self._sent:
            old = self._sent[key]
            if old.body != body:
                raise ValueError(f"{client_msg_id!r} was already used for another message")
            return Ack(conv_id, old.seq, client_msg_id, duplicate=True)
        log = self._log[conv_id]
        msg = Message(conv_id, len(log) + 1, sender, client_msg_id, body)
        log.append(msg)
        self._sent[key] = msg
        self._read[(sender, conv_id)] = msg.seq
        return Ack(conv_id, msg.seq, client_msg_id)

    def since(self, conv_id: str, after_seq: int) -> list[Message]:
        """Every message of the conversation with seq > after_seq, in seq order
        (KeyError for an unknown conversation)."""
        return self._log[conv_id][max(after_seq, 0) :]

    def mark_read(self, user: str, conv_id: str, seq: int) -> None:
        """Move the user's read cursor forward to `seq`; an older seq changes nothing.
        ValueError for a seq beyond the newest message; KeyError / PermissionError as for
        `send`."""
        self._member(user, conv_id)
        if seq > len(self._log[conv_id]):
            raise ValueError(f"{conv_id!r} has no message {seq} yet")
        key = (user, conv_id)
        self._read[key] = max(self._read[key], seq)

    def unread(self, user: str, conv_id: str) -> int:
        """How many messages after the user's read cursor were sent by someone else."""
        self._member(user, conv_id)
        cursor = self._read[(user, conv_id)]
        return sum(m.sender != user for m in self._log[conv_id][cursor:])

    def read_by(self, conv_id: str, seq: int) -> set[str]:
        """Read receipts: the members, other than the message's sender, whose read cursor
        has reached `seq`. KeyError for an unknown conversation or message."""
        log = self._log[conv_id]
        if not 1 <= seq <= len(log):
            raise KeyError(seq)
        sender = log[seq - 1].sender
        return {
            u for u in self._members[conv_id] if u != sender and self._read[(u, conv_id)] >= seq
        }

    def _member(self, user: str, conv_id: str) -> None:
        if conv_id not in self._members:
            raise KeyError(conv_id)
        if user not in self._members[conv_id]:
            raise PermissionError(f"{user!r} is not a member of {conv_id!r}")


class Inbox:
    """A client's view: messages may arrive late, twice or not at all, yet it shows each
    conversation's messages exactly once and in seq order. `shown` lists every message
    shown so far, in the order it was shown."""

    def __init__(self) -> None:
        """Nothing received yet; every cursor is 0."""
        self._cursor: dict[str, int] = {}
        self._pending: dict[str, dict[int, Message]] = {}
        self.shown: list[Message] = []

    def receive(self, msg: Message) -> list[Message]:
        """Take one pushed message and return the messages it makes showable, in order
        (also appended to `shown`): nothing while an earlier seq is missing, the whole run
        once the gap closes. Duplicates of shown or waiting messages are ignored."""
        conv = msg.conv_id
        cursor = self._cursor.get(conv, 0)
        pending = self._pending.setdefault(conv, {})
        if msg.seq <= cursor or msg.seq in pending:
            return []
        pending[msg.seq] = msg
        ready = []
        while cursor + 1 in pending:
            cursor += 1
            ready.append(pending.pop(cursor))
        self._cursor[conv] = cursor
        self.shown.extend(ready)
        return ready

    def cursor(self, conv_id: str) -> int:
        """The highest seq shown for the conversation (0 if none): everything up to it has
        been shown, in order."""
        return self._cursor.get(conv_id, 0)

    def missing(self, conv_id: str) -> list[int]:
        """The seqs after the cursor and below the highest waiting message that have not
        arrived, ascending; empty when nothing waits."""
        pending = self._pending.get(conv_id, {})
        if not pending:
            return []
        return [s for s in range(self.cursor(conv_id) + 1, max(pending)) if s not in pending]

    def catch_up(self, server: ChatServer, conv_id: str) -> list[Message]:
        """Reconnect: ask the server for everything after the cursor, receive it, and return
        what became showable."""
        shown = []
        for msg in server.since(conv_id, self.cursor(conv_id)):
            shown += self.receive(msg)
        return shown
