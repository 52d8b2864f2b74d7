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
        raise NotImplementedError

    def create(self, conv_id: str, members: Iterable[str]) -> None:
        """Open a conversation for `members`, every read cursor at 0. ValueError if the
        conversation exists or has no members."""
        raise NotImplementedError

    def send(self, conv_id: str, sender: str, client_msg_id: str, body: str) -> Ack:
        """Append a message and acknowledge it with its seq: 1 for a conversation's first
        message, then one more each time, with no gaps.

        A retry (same conversation, sender and client_msg_id) appends nothing and returns
        the original seq with duplicate=True; a retry whose body differs is a ValueError.
        The sender's read cursor moves to the new message. KeyError for an unknown
        conversation, PermissionError for a sender who is not a member.
        """
        raise NotImplementedError

    def since(self, conv_id: str, after_seq: int) -> list[Message]:
        """Every message of the conversation with seq > after_seq, in seq order
        (KeyError for an unknown conversation)."""
        raise NotImplementedError

    def mark_read(self, user: str, conv_id: str, seq: int) -> None:
        """Move the user's read cursor forward to `seq`; an older seq changes nothing.
        ValueError for a seq beyond the newest message; KeyError / PermissionError as for
        `send`."""
        raise NotImplementedError

    def unread(self, user: str, conv_id: str) -> int:
        """How many messages after the user's read cursor were sent by someone else."""
        raise NotImplementedError

    def read_by(self, conv_id: str, seq: int) -> set[str]:
        """Read receipts: the members, other than the message's sender, whose read cursor
        has reached `seq`. KeyError for an unknown conversation or message."""
        raise NotImplementedError


class Inbox:
    """A client's view: messages may arrive late, twice or not at all, yet it shows each
    conversation's messages exactly once and in seq order. `shown` lists every message
    shown so far, in the order it was shown."""

    def __init__(self) -> None:
        """Nothing received yet; every cursor is 0."""
        raise NotImplementedError

    def receive(self, msg: Message) -> list[Message]:
        """Take one pushed message and return the messages it makes showable, in order
        (also appended to `shown`): nothing while an earlier seq is missing, the whole run
        once the gap closes. Duplicates of shown or waiting messages are ignored."""
        raise NotImplementedError

    def cursor(self, conv_id: str) -> int:
        """The highest seq shown for the conversation (0 if none): everything up to it has
        been shown, in order."""
        raise NotImplementedError

    def missing(self, conv_id: str) -> list[int]:
        """The seqs after the cursor and below the highest waiting message that have not
        arrived, ascending; empty when nothing waits."""
        raise NotImplementedError

    def catch_up(self, server: ChatServer, conv_id: str) -> list[Message]:
        """Reconnect: ask the server for everything after the cursor, receive it, and return
        what became showable."""
        raise NotImplementedError
