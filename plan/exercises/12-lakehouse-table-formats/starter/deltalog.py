"""A tiny Delta-style transaction log over a folder: numbered JSON commits, optimistic
concurrency with put-if-absent, snapshots at any version, and checkpoints."""

from __future__ import annotations

import json
import re
from pathlib import Path


class CommitConflictError(Exception):
    """A commit that landed after this transaction's read version touched what it depends on."""


class DeltaLog:
    """The log of the table at `root`, kept in `root/_delta_log/` (created if missing).

    Commit v is the file `<v as 20 zero-padded digits>.json`, one JSON action per line:
    {"add": {"path": p}}, {"remove": {"path": p}}, and last {"commitInfo": {"operation":
    ..., "readVersion": ...}}. Other files in the folder are ignored.
    """

    def __init__(self, root: str | Path) -> None:
        """Keep `log_dir`, the Path root/_delta_log, creating it if missing."""
        raise NotImplementedError

    def latest_version(self) -> int:
        """The highest committed version (commit or checkpoint file), or -1 for an empty log."""
        raise NotImplementedError

    def snapshot(self, version: int | None = None) -> frozenset[str]:
        """The set of data-file paths in the table at `version` (default: the latest).

        Replay the add and remove actions of commits 0..version in order, starting instead
        from the newest checkpoint at or below `version` when there is one (so commits older
        than a checkpoint may have been deleted). An empty log with no version asked gives
        an empty set. A version below 0 or above the latest is a ValueError.
        """
        raise NotImplementedError

    def begin(self) -> Transaction:
        """A transaction reading the latest version."""
        raise NotImplementedError

    def checkpoint(self) -> int:
        """Write `<latest>.checkpoint.json` holding {"version": v, "files": sorted paths} and
        `_last_checkpoint` holding {"version": v}; return v. An empty log is a ValueError."""
        raise NotImplementedError


class Transaction:
    """Changes made against one read version, published by `commit`."""

    def __init__(self, log: DeltaLog, read_version: int) -> None:
        """Keep `log`, `read_version` and `files`: the snapshot at read_version (empty for -1)."""
        raise NotImplementedError

    def read(self, path: str) -> None:
        """Record that this transaction's result depends on `path` (a file of its snapshot,
        else ValueError): a concurrent commit removing it is a conflict."""
        raise NotImplementedError

    def add(self, path: str) -> None:
        """Add a data file. Adds never conflict with other commits (blind appends)."""
        raise NotImplementedError

    def remove(self, path: str) -> None:
        """Remove a data file of the snapshot (else ValueError); this also counts as reading it."""
        raise NotImplementedError

    def commit(self, operation: str = "WRITE") -> int:
        """Publish the actions as the next version and return it.

        Try to create commit read_version + 1 so that it fails if the file exists (never
        overwrite). If another writer took that version, read its actions: if it removed any
        file this transaction read or removes, raise CommitConflictError; otherwise try the
        next version, and so on. A version at or below the newest checkpoint is never
        created: if its commit file was deleted after the checkpoint, what it did cannot be
        read, so raise CommitConflictError rather than write a commit no snapshot replays.
        A transaction commits at most once (ValueError after).
        """
        raise NotImplementedError
