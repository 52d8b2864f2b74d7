"""`eng28 sync`: the state and the shared config travel through a git repository the learner
owns, and two machines' changes are merged by `merge.py`, never by git.

The sync repository is a folder `sync/` in the data folder holding copies of `state.toml` and
`config.toml` (every key but `plan`, a path on this machine). A sync fetches, merges the remote
files with the local state under the state lock, commits the result with both histories as
parents, pushes, and only then writes the merged state locally. Any failure leaves the local
state as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from eng28 import config as cfg
from eng28 import files, reviewlog, store, tomlfile
from eng28.errors import Eng28Error, StateError
from eng28.merge import merge_config, merge_config_times, merge_states
from eng28.models import Config, ReviewEntry, State
from eng28.usecases import synclog, syncmonths
from eng28.usecases.context import Context, settle_card
from eng28.usecases.progress import first_due
from eng28.usecases.syncgit import BRANCH, SyncError, git_reason, repo_dir
from eng28.usecases.syncgit import fetch as _fetch
from eng28.usecases.syncgit import git as _git
from eng28.usecases.syncgit import head as _head
from eng28.usecases.syncgit import host as _host
from eng28.usecases.syncgit import no_remote_hooks as _no_remote_hooks
from eng28.usecases.syncgit import plumbing as _plumbing
from eng28.usecases.syncgit import require_repo as _require_repo
from eng28.usecases.syncgit import show as _show

LOCAL_ONLY_KEYS = ("plan", "workspace", "python", "start")  # paths on this machine; a start
# older than schema 3 (the start is the plan's, in the state)
ATTEMPTS = 3


def _shared_config(config: Config) -> dict[str, Any]:
    """Every key that travels, None for an unset one (so that an unset can win a merge)."""
    data = config.model_dump(mode="json")
    return {k: v for k, v in data.items() if k not in LOCAL_ONLY_KEYS}


def _complete(shared: dict[str, Any]) -> dict[str, Any]:
    """A config read from the remote file, with the keys it leaves out as unset (None)."""
    return {k: shared.get(k) for k in Config.model_fields if k not in LOCAL_ONLY_KEYS}


def _remote_state(
    repo: Path, commit: str, now: datetime, plan_id: str, log: bool = True
) -> tuple[State, int]:
    """The remote's state, held to the rules of the local files (and stamped no later than
    `now`, give or take a day; a file from before schema 3 filed under `plan_id`); errors
    name the remote file and key. `log` False: its table alone, the ratings not read."""
    where = f"remote {commit[:8]}"
    raw = _show(repo, commit, "state.toml")
    if raw is None:
        return State(), store.SCHEMA_VERSION
    raw = syncmonths.as_state_file(raw)
    pieces = syncmonths.read_log(_plumbing(repo), commit, where, SyncError) if log else None
    ratings = b"".join(data for _, data in pieces) if pieces else None
    try:
        state, version = store.parse_state(raw, Path(f"{where}:state.toml"), plan_id, log=ratings)
        if log:
            store.check_stamps(state, now, f"{where}:state.toml")
    except StateError as exc:
        message = syncmonths.name_line(str(exc), f"{where}:", pieces or [])
        raise SyncError(f"{message}; local state untouched") from None
    return state, version


def _remote_config(repo: Path, commit: str) -> dict[str, Any]:
    """The remote's shared config, held to the rules of the local file."""
    from pydantic import ValidationError

    where = f"remote {commit[:8]}"
    shared: dict[str, Any] = {}
    conf = _show(repo, commit, "config.toml")
    if conf is not None:
        shared = tomlfile.parse_toml(conf, f"{where}:config.toml", SyncError)
        try:
            Config.model_validate({k: v for k, v in shared.items() if k not in LOCAL_ONLY_KEYS})
        except ValidationError as exc:
            problem = cfg.describe_validation_error(exc)
            newer = " (is the other machine on a newer eng28?)" if "unknown key" in problem else ""
            raise SyncError(
                f"{where}:config.toml: {problem}{newer}; local state untouched"
            ) from None
    return shared


def _config(data: dict[str, Any]) -> Config:
    from pydantic import ValidationError

    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise SyncError(
            f"the synced config is not valid here: {cfg.describe_validation_error(exc)} (is the "
            "other machine on a newer eng28?); local state untouched"
        ) from None


def _toml(data: dict[str, Any]) -> str:
    import tomli_w

    present = {k: v for k, v in data.items() if v is not None}
    return tomli_w.dumps(_config(present).model_dump(mode="python", exclude_none=True))


@dataclass
class SyncResult:
    changed_here: bool  # the local state or config was updated from the remote
    pushed: bool  # a new commit went to the remote
    remote: str


def init(ctx: Context, remote: str) -> SyncResult:
    """Set up the sync repository for REMOTE (a URL or a path to a bare repository) and sync."""
    repo = repo_dir()
    if (repo / ".git").is_dir():
        current = _git(repo, "remote", "get-url", "origin").stdout.strip()
        raise SyncError(f"sync is already set up with {current}; run `eng28 sync`")
    if os.path.isdir(remote):
        remote = os.path.abspath(remote)
    files.make_private_dir(str(repo))  # git's objects hold the learner's text too
    try:
        _git(repo, "init", "--quiet", "-b", BRANCH)
        _git(repo, "remote", "add", "origin", remote)
        _fetch(repo)
    except Eng28Error:
        shutil.rmtree(repo, ignore_errors=True)
        raise
    return sync(ctx)


@dataclass
class RemoteChange:
    remote: str
    old: str


def change_remote(ctx: Context, remote: str) -> RemoteChange:
    """Point the sync repository at another remote, once a fetch from it has succeeded: the
    remote-tracking branch then holds the new remote's history (or none, for an empty one), so
    the next sync merges with what is there. A remote that cannot be reached changes nothing."""
    repo = _require_repo()
    old = _git(repo, "remote", "get-url", "origin").stdout.strip()
    if os.path.isdir(remote):
        remote = os.path.abspath(remote)  # as `init` keeps it: the same from any folder
    refspec = "+refs/heads/*:refs/remotes/origin/*"
    hooks = _no_remote_hooks(repo, remote, "upload-pack")
    with store.locked(ctx.state_path):  # not in the middle of a sync's push
        done = _git(repo, "fetch", "--quiet", "--prune", *hooks, "--", remote, refspec, check=False)
        if done.returncode != 0:
            why = git_reason(done.stderr)
            raise SyncError(f"cannot reach {remote}: {why}; the sync remote is still {old}")
        _git(repo, "remote", "set-url", "origin", remote)
    return RemoteChange(remote=remote, old=old)


def sync(ctx: Context) -> SyncResult:
    """Pull, merge, commit and push; then write the merged state here."""
    repo = _require_repo()
    git = _plumbing(repo)
    remote = _git(repo, "remote", "get-url", "origin").stdout.strip()
    for _attempt in range(ATTEMPTS):
        theirs = _fetch(repo)
        ours = _head(repo)
        # A consistent reading of what is here, under the lock; the lock is not held while git
        # talks to the network, so `eng28 done` never waits on a slow remote.
        with store.locked(ctx.state_path):
            seen = _local_bytes(ctx)
            local_config = cfg.load_config()
        found = _merged(ctx, repo, seen, local_config, ours, theirs)
        local, merged, shared, months, trees = found
        state_text = (_text(merged, log=False)[0], list(months.values()))
        shared_text = syncmonths.shared_state(store.dump_state(_without_paths(merged)))
        # Copies of the learner's text: private (0600), written whole, like every other.
        files.atomic_write(repo / "state.toml", shared_text.encode("utf-8"), SyncError)
        files.atomic_write(repo / "config.toml", _toml(shared).encode("utf-8"), SyncError)
        with contextlib.suppress(OSError):
            (repo / reviewlog.LOG_NAME).unlink()  # an older eng28's: the months replace it
        _git(repo, "add", "state.toml", "config.toml")
        syncmonths.stage(git, months, trees)
        tree = _git(repo, "write-tree").stdout.strip()
        pushed = _commit_and_push(repo, tree, ours, theirs)
        if pushed is None:
            continue  # someone pushed in between: fetch and merge again
        with store.locked(ctx.state_path):
            if not _unchanged(ctx, seen):
                continue  # changed here while git talked to the remote: merge that too
            changed = _apply_locally(ctx, local, merged, state_text, local_config, shared, seen)
        return SyncResult(changed_here=changed, pushed=pushed, remote=remote)
    raise SyncError(f"the remote kept changing during {ATTEMPTS} attempts; try again")


@dataclass
class _Merge:
    local: State  # this machine's side as the merge saw it
    merged: State
    shared: dict[str, Any]  # the merged shared config
    months: dict[str, bytes] | dict[str, bytes | memoryview]  # the merged log, by months
    trees: list[syncmonths.Tree]  # the logs of HEAD and the remote's commit, where there are

    def __iter__(self) -> Any:
        return iter((self.local, self.merged, self.shared, self.months, self.trees))


def _merged(
    ctx: Context,
    repo: Path,
    seen: tuple[bytes | None, ...],
    local_config: Config,
    ours: str | None,
    theirs: str | None,
) -> _Merge:
    """Merge this machine's files (`seen`, as read under the lock) with the remote's commit
    `theirs`: by lines where they share nearly all of them with HEAD (`ours`), else whole
    states (see synclog), which also says what is wrong in the order it always has."""
    here = _shared_config(local_config)
    done = _by_lines(ctx, repo, seen, here, ours, theirs) if ours and theirs else None
    if done is not None:
        return done
    local, remote_state = _whole(ctx, repo, seen, theirs)
    remote_shared = _complete(_remote_config(repo, theirs)) if theirs else here
    git = _plumbing(repo)
    trees = [syncmonths.tree(git, c, f"remote {c[:8]}", SyncError) for c in (ours, theirs) if c]
    merged, shared = _merge_sides(ctx, local, remote_state, here, remote_shared)
    months = syncmonths.months_of(store.dump_log(merged))
    return _Merge(local, merged, shared, months, trees)


def _by_lines(
    ctx: Context,
    repo: Path,
    seen: tuple[bytes | None, ...],
    here: dict[str, Any],
    ours: str,
    theirs: str,
) -> _Merge | None:
    """The merge by lines (synclog.Lines), or None where it declines."""
    git = _plumbing(repo)
    try:
        remote_shared = _complete(_remote_config(repo, theirs))
        if here != remote_shared:
            return None  # every card is replayed: the whole logs
        trees = [syncmonths.tree(git, c, f"remote {c[:8]}", SyncError) for c in (ours, theirs)]
        table, version = _remote_state(repo, theirs, ctx.now, ctx.plan_id, log=False)
    except SyncError:
        return None  # said in its turn by the whole merge
    if version != store.SCHEMA_VERSION:
        return None
    lines = synclog.prepare(git, trees, seen, table, ctx.state_path, ctx.plan_id, ctx.now)
    if lines is None:
        return None
    where = f"remote {theirs[:8]}:state.toml"
    local, remote_state = lines.sides()
    merged, shared = _merge_sides(
        ctx,
        local,
        remote_state,
        here,
        remote_shared,
        lines,
        lambda s: store.check_stamps(s, ctx.now, where),
    )
    if merged is None:
        return None
    try:
        months = lines.months(merged)
    except synclog.Declined:
        return None
    return _Merge(local, merged, shared, months, trees)


def _merge_sides(
    ctx: Context,
    local: State,
    remote_state: State,
    here: dict[str, Any],
    remote_shared: dict[str, Any],
    lines: synclog.Lines | None = None,
    check: Any = None,
) -> Any:
    """The merged state and shared config of two sides (`lines`: the sides' ratings are
    the touched cards' alone, given once the merged rules are known; None then: declined)."""
    sides = (here, local.config_times, remote_shared, remote_state.config_times)
    shared = merge_config(*sides)
    rules = _config({k: v for k, v in shared.items() if v is not None})

    starts: dict[datetime, datetime] = {}  # the merge asks again for most cards' moments

    def due(done_at: datetime) -> datetime:
        start = starts.get(done_at)
        if start is None:
            start = starts[done_at] = first_due(rules, done_at)
        return start

    if lines and not lines.ready(due, check):
        return None, shared

    def merge() -> State:
        return merge_states(
            local,
            remote_state,
            desired_retention=rules.desired_retention,
            first_due=due,
            settle=lambda record: settle_card(rules, record),
            parameters=rules.fsrs_parameters,
            # Both sides' cards were replayed under these rules when their config is alike
            # (every sync replays under the merged config and writes it with the cards).
            keep_agreed=sides[0] == sides[2],
        )

    merged = merge()
    while lines and not lines.settled(merged, due):
        merged = merge()  # more cards touched: the merge sees their ratings too
    # A shared key's time is its winning value's (see merge_config_times).
    times = {k: t for k, t in merged.config_times.items() if k not in shared}
    merged.config_times = dict(sorted({**times, **merge_config_times(*sides)}.items()))
    return merged, shared


def _whole(
    ctx: Context, repo: Path, seen: tuple[bytes | None, ...], theirs: str | None
) -> tuple[State, State]:
    """Both sides' whole states: this machine's from the bytes `seen` (its state file and
    log), the remote's from its commit `theirs`."""
    with reviewlog.reuse_lines():  # the remote's log is nearly all lines of this one
        local, _version = store.read_state(ctx.state_path, ctx.plan_id, data=seen[:2])
        if theirs is None:
            return local, State()
        return local, _remote_state(repo, theirs, ctx.now, ctx.plan_id)[0]


def _commit_and_push(repo: Path, tree: str, ours: str | None, theirs: str | None) -> bool | None:
    """True: pushed a new commit; False: nothing to push; None: the push was rejected."""

    def tree_of(commit: str) -> str:
        return _git(repo, "rev-parse", f"{commit}^{{tree}}").stdout.strip()

    def is_ancestor(a: str, b: str) -> bool:
        return _git(repo, "merge-base", "--is-ancestor", a, b, check=False).returncode == 0

    if (
        theirs is not None
        and tree_of(theirs) == tree
        and (ours is None or is_ancestor(ours, theirs))
    ):
        _git(repo, "update-ref", f"refs/heads/{BRANCH}", theirs)
        _git(repo, "reset", "--quiet", "--mixed", theirs)
        return False
    if ours and theirs:
        if is_ancestor(ours, theirs):
            parents = [theirs]
        elif is_ancestor(theirs, ours):
            parents = [ours]
        else:
            parents = [ours, theirs]
    else:
        parents = [c for c in (ours, theirs) if c]
    if parents == [ours] and tree_of(ours) == tree:  # type: ignore[arg-type]
        commit = ours  # nothing new here; the remote may still be behind
    else:
        parent_args = [arg for p in parents for arg in ("-p", p)]
        message = f"eng28 sync from {_host()}"
        commit = _git(repo, "commit-tree", tree, *parent_args, "-m", message).stdout.strip()
        _git(repo, "update-ref", f"refs/heads/{BRANCH}", commit)
    assert commit is not None
    if theirs == commit:
        return False
    done = _git(
        repo, "push", "--quiet", *_no_remote_hooks(repo), "origin",
        f"{commit}:refs/heads/{BRANCH}", check=False,
    )  # fmt: skip
    if done.returncode != 0:
        # A race lost to another machine; a refusal by the remote itself ("! [remote
        # rejected]") is not, and retrying could never help.
        if "! [rejected]" in done.stderr:
            return None
        why = git_reason(done.stderr)
        raise SyncError(f"cannot push to the sync remote: {why}; local state untouched")
    _git(repo, "update-ref", f"refs/remotes/origin/{BRANCH}", commit)
    return True


def _text(state: State, log: bool = True) -> tuple[str, bytes]:
    """What the state file and the review log hold for `state` (whatever part of the log its
    cards were saved with); `log` False: the state file's alone (the log's bytes empty)."""
    table = store.dump_state(state.model_copy(update={"log_folded": 0}))
    return table, store.dump_log(state) if log else b""


def _order(entry: ReviewEntry) -> tuple[str, str]:
    return entry.review_datetime, entry.id


def _same_ratings(a: State, b: State) -> bool:
    """Whether the review logs of `a` and `b` are the same file (store.dump_log), without
    writing either: the same ratings per plan, in the order of time. (A plan without ratings
    writes no line, whether it is there or not.)"""
    for plan_id in a.plans.keys() | b.plans.keys():
        left = a.plans[plan_id].reviews if plan_id in a.plans else []
        right = b.plans[plan_id].reviews if plan_id in b.plans else []
        if len(left) != len(right) or sorted(left, key=_order) != sorted(right, key=_order):
            return False
    return True


def _unchanged(ctx: Context, seen: tuple[bytes | None, ...]) -> bool:
    """Whether the state, review log and config files still hold what `_local_bytes` read."""
    names = (ctx.state_path, reviewlog.log_path(ctx.state_path), cfg.config_path())
    whats = ("state", "review log", "config")
    return all(
        files.holds(name, data, what, SyncError)
        for name, data, what in zip(names, seen, whats, strict=True)
    )


def _local_bytes(ctx: Context) -> tuple[bytes | None, ...]:
    """The state, review log and config files as they are now (to see whether they changed)."""
    return (
        files.read_bytes(ctx.state_path, "state", SyncError),
        files.read_bytes(reviewlog.log_path(ctx.state_path), "review log", SyncError),
        files.read_bytes(cfg.config_path(), "config", SyncError),
    )


def _without_paths(state: State) -> State:
    """The state as the remote keeps it: a plan file's path is this machine's alone (the merge
    takes the side that has one, so each machine keeps its own)."""
    plans = {k: p.model_copy(update={"path": ""}) for k, p in state.plans.items()}
    return state.model_copy(update={"plans": plans, "log_folded": 0})


def _apply_locally(
    ctx: Context,
    local: State,
    merged: State,
    state_text: tuple[str, list[bytes | memoryview]],
    config: Config,
    shared: dict[str, Any],
    seen: tuple[bytes | None, ...] | None = None,
) -> bool:
    """Write the merged state and config here (the caller holds the state lock, and `seen`
    is what the files hold). A log with the same ratings in other lines (ratings added here,
    as they are appended) is written as the merged log, which is HEAD's, so that the next
    sync can merge by lines (see synclog); that changes nothing the learner sees."""
    changed = False
    same = _same_ratings(local, merged) and _text(local, log=False)[0] == state_text[0]
    if not same or not ctx.state_path.exists():
        if ctx.state_path.exists():
            read = (seen[0], seen[1]) if seen else None
            store.backup_now(ctx.state_path, ctx.today, "before-sync", read=read)
        store.save_state(ctx.state_path, merged, log=state_text[1])
        changed = True
    elif seen is not None and not files.same_pieces(seen[1] or b"", state_text[1]):
        store.save_state(ctx.state_path, merged, log=state_text[1])
    with store.locked(cfg.config_path()):
        current = cfg.load_config()
        data = current.model_dump(mode="json")
        for key, value in shared.items():
            # A key that `eng28 config` changed during this sync keeps that change (it is
            # stamped later, so the next sync shares it); the others take the merged value.
            if getattr(current, key) == getattr(config, key):
                data[key] = value
        updated = _config({k: v for k, v in data.items() if v is not None})
        if updated != current:
            cfg.save_config(updated)
            changed = True
    return changed


@dataclass
class SyncStatus:
    remote: str
    ahead: int
    behind: int
    local_changes: bool
    last_sync: str | None


def status(ctx: Context) -> SyncStatus:
    repo = _require_repo()
    remote = _git(repo, "remote", "get-url", "origin").stdout.strip()
    theirs = _fetch(repo)
    ours = _head(repo)
    ahead = behind = 0
    if ours and theirs:
        counts = _git(repo, "rev-list", "--left-right", "--count", f"{ours}...{theirs}")
        ahead, behind = (int(x) for x in counts.stdout.split())
    elif ours:
        ahead = int(_git(repo, "rev-list", "--count", ours).stdout.strip())
    elif theirs:
        behind = int(_git(repo, "rev-list", "--count", theirs).stdout.strip())
    local_changes = True
    last_sync = None
    if ours:
        last_sync = _git(repo, "log", "-1", "--format=%cI", ours).stdout.strip()
        synced = _git(repo, "show", f"{ours}:state.toml", check=False).stdout
        pieces = syncmonths.read_log(_plumbing(repo), ours, f"{repo} HEAD", SyncError) or []
        synced_log = b"".join(data for _, data in pieces)
        here = store.load_state(ctx.state_path, ctx.plan_id)
        current = syncmonths.shared_state(store.dump_state(_without_paths(here)))
        shared = _toml(_shared_config(cfg.load_config()))
        synced_config = _git(repo, "show", f"{ours}:config.toml", check=False).stdout
        local_changes = (
            synced != current or synced_log != store.dump_log(here) or synced_config != shared
        )
    return SyncStatus(remote, ahead, behind, local_changes, last_sync)
