"""A tiny Delta-style transaction log over a folder: numbered JSON commits, optimistic
concurrency with put-if-absent, snapshots at any version, and checkpoints."""

from __future__ import annotations

import json
import re
from pathlib import Path

_COMMIT = re.compile(r"(\d{20})\.json")
_CHECKPOINT = re.compile(r"(\d{20})\.checkpoint\.json")


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
        self.log_dir = Path(root) / "_delta_log"
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def _versions(self, pattern: re.Pattern[str]) -> list[int]:
        return sorted(
            int(m.group(1)) for p in self.log_dir.iterdir() if (m := pattern.fullmatch(p.name))
        )

    def _actions(self, version: int) -> list[dict]:
        path = self.log_dir / f"{version:020d}.json"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def latest_version(self) -> int:
        """The highest committed version (commit or checkpoint file), or -1 for an empty log."""
        found = self._versions(_COMMIT) + self._versions(_CHECKPOINT)
        return max(found, default=-1)

    def snapshot(self, version: int | None = None) -> frozenset[str]:
        """The set of data-file paths in the table at `version` (default: the latest).

        Replay the add and remove actions of commits 0..version in order, starting instead
        from the newest checkpoint at or below `version` when there is one (so commits older
        than a checkpoint may have been deleted). An empty log with no version asked gives
        an empty set. A version below 0 or above the latest is a ValueError.
        """
        latest = self.latest_version()
        if version is None:
            version = latest
            if version == -1:
                return frozenset()
        if not 0 <= version <= latest:
            raise ValueError(f"version {version} is not in 0..{latest}")
        start, files = 0, set()
        checkpoints = [v for v in self._versions(_CHECKPOINT) if v <= version]
        if checkpoints:
            base = checkpoints[-1]
            data = json.loads((self.log_dir / f"{base:020d}.checkpoint.json").read_text())
            start, files = base + 1, set(data["files"])
        for v in range(start, version + 1):
            for action in self._actions(v):
                if "add" in action:
                    files.add(action["add"]["path"])
                elif "remove" in action:
                    files.discard(action["remove"]["path"])
        return frozenset(files)

    def begin(self) -> Transaction:
        """A transaction reading the latest version."""
        return Transaction(self, self.latest_version())

    def checkpoint(self) -> int:
        """Write `<latest>.checkpoint.json` holding {"version": v, "files": sorted paths} and
        `_last_checkpoint` holding {"version": v}; return v. An empty log is a ValueError."""
        version = self.latest_version()
        if version < 0:
            raise ValueError("nothing to checkpoint: the log is empty")
        files = sorted(self.snapshot(version))
        name = f"{version:020d}.checkpoint.json"
        (self.log_dir / name).write_text(json.dumps({"version": version, "files": files}))
        (self.log_dir / "_last_checkpoint").write_text(json.dumps({"version": version}))
        return version


class Transaction:
    """Changes made against one read version, published by `commit`."""

    def __init__(self, log: DeltaLog, read_version: int) -> None:
        """Keep `log`, `read_version` and `files`: the snapshot at read_version (empty for -1)."""
        self.log = log
        self.read_version = read_version
        self.files = log.snapshot(read_version) if read_version >= 0 else frozenset()
        self.actions: list[dict] = []
        self.depends_on: set[str] = set()
        self.committed: int | None = None

    def read(self, path: str) -> None:
        """Record that this transaction's result depends on `path` (a file of its snapshot,
        else ValueError): a concurrent commit removing it is a conflict."""
        if path not in self.files:
            raise ValueError(f"{path!r} is not in the table at version {self.read_version}")
        self.depends_on.add(path)

    def add(self, path: str) -> None:
        """Add a data file. Adds never conflict with other commits (blind appends)."""
        self.actions.append({"add": {"path": path}})

    def remove(self, path: str) -> None:
        """Remove a data file of the snapshot (else ValueError); this also counts as reading it."""
        self.read(path)
        self.actions.append({"remove": {"path": path}})

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
        if self.committed is not None:
            raise ValueError(f"this transaction already committed version {self.committed}")
        info = {"commitInfo": {"operation": operation, "readVersion": self.read_version}}
        body = "".join(json.dumps(a) + "\n" for a in [*self.actions, info])
        version = self.read_version + 1
        newest_checkpoint = max(self.log._versions(_CHECKPOINT), default=-1)
        while True:
            if (
                version <= newest_checkpoint
                and not (self.log.log_dir / f"{version:020d}.json").exists()
            ):
                raise CommitConflictError(
                    f"version {version} was taken and its commit deleted after the checkpoint "
                    f"at {newest_checkpoint}; begin a new transaction"
                )
            try:
                with open(self.log.log_dir / f"{version:020d}.json", "x") as f:
                    f.write(body)
            except FileExistsError:
                removed = {a["remove"]["path"] for a in self.log._actions(version) if "remove" in a}
                if removed & self.depends_on:
                    clash = sorted(removed & self.depends_on)
                    raise CommitConflictError(
                        f"version {version} removed {clash}, which this transaction depends on"
                    ) from None
                version += 1
                continue
            self.committed = version
            return version
