"""The sync repository's git: running it (no hooks, no prompts, one line for its errors),
fetching, and reading a commit's files. eng28 asks git to store and move files, never to
merge them (see usecases.sync)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eng28 import config as cfg
from eng28 import files
from eng28.errors import Eng28Error

if TYPE_CHECKING:
    from eng28.usecases import syncmonths

BRANCH = "main"


class SyncError(Eng28Error):
    """git is missing, the remote cannot be reached, or the sync repository is not set up."""


def repo_dir() -> Path:
    return cfg.data_dir() / "sync"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `repo`; its output as text (bytes that are not UTF-8 shown as U+FFFD)."""
    return run_git(repo, args, check, binary=False)


def git_bytes(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return run_git(repo, args, True, binary=True)


def plumbing(repo: Path) -> syncmonths.Git:
    """git in `repo` as syncmonths and synclog run it: arguments and stdin in, output out."""

    def run(*args: str, stdin: bytes | None = None) -> bytes:
        return run_git(repo, args, True, binary=True, stdin=stdin).stdout  # type: ignore[no-any-return]

    return run


def run_git(
    repo: Path, args: tuple[str, ...], check: bool, binary: bool, stdin: bytes | None = None
) -> Any:
    if shutil.which("git") is None:
        raise SyncError("git is not installed; eng28 sync needs the git command line")
    env = {**cfg.child_env(), "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    identity = [
        "-c",
        "user.name=eng28",
        "-c",
        f"user.email=eng28@{host()}",
        "-c",
        "commit.gpgsign=false",
        # Nothing from a remote or a shared folder runs as the learner: no hooks (they reach a
        # local remote's receive-pack too) and no fsmonitor.
        "-c",
        f"core.hooksPath={os.devnull}",
        "-c",
        "core.fsmonitor=false",
    ]
    try:
        done = subprocess.run(
            ["git", *identity, "-C", str(repo), *args],
            input=stdin,
            capture_output=True,
            text=not binary,
            errors=None if binary else "replace",
            env=env,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        raise SyncError(f"git {args[0]} timed out after 120 s; local state untouched") from None
    if check and done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace") if binary else done.stderr
        raise SyncError(f"git {args[0]} failed: {git_reason(stderr)}")
    return done


def git_reason(stderr: str) -> str:
    """What git said, whole enough to act on: its fatal:, error: and remote: messages with
    their continuation lines joined (git wraps "Please make sure you have the correct access
    rights / and the repository exists."), hints dropped, in one line."""
    messages: list[str] = []
    for raw in stderr.strip().splitlines():
        line = raw.strip()
        head, _, rest = line.partition(": ")
        if head in ("fatal", "error", "remote", "warning") and rest:
            messages.append(rest.strip())
        elif head == "hint" or not line:
            continue
        elif messages:
            messages[-1] += " " + line
        else:
            messages.append(line)
    said = [m.rstrip(".") for m in messages if m]
    return "; ".join(dict.fromkeys(said)) or "no answer"


def host() -> str:
    return socket.gethostname().split(".")[0] or "machine"


def require_repo() -> Path:
    repo = repo_dir()
    if not (repo / ".git").is_dir():
        raise SyncError("sync is not set up here: run `eng28 sync init REMOTE` first")
    with contextlib.suppress(OSError):
        os.chmod(repo, 0o700)  # set up by an older eng28, readable by others
    return repo


def no_remote_hooks(repo: Path, url: str | None = None, program: str = "receive-pack") -> list[str]:
    """For a remote on this machine (a path, a shared disk) git runs its receive-pack (or
    upload-pack) here, as the learner, with the remote's own config and hooks; git keeps our
    `-c` settings from it, so the program is named with them. A server's hooks run on the
    server, not here."""
    if url is None:
        url = git(repo, "remote", "get-url", "origin").stdout.strip()
    if not (url.startswith("file://") or os.path.isdir(url)):
        return []
    return [f"--{program}=git -c core.hooksPath={os.devnull} {program}"]


def fetch(repo: Path) -> str | None:
    """Fetch the remote; the remote branch's commit, or None when the remote is empty."""
    remote = git(repo, "remote", "get-url", "origin").stdout.strip()
    done = git(repo, "fetch", "--quiet", "origin", check=False)
    if done.returncode != 0:
        why = git_reason(done.stderr)
        raise SyncError(f"cannot reach the sync remote {remote}: {why}; local state untouched")
    found = git(
        repo, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{BRANCH}", check=False
    )
    return found.stdout.strip() or None


def head(repo: Path) -> str | None:
    found = git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    return found.stdout.strip() or None


def show(repo: Path, commit: str, name: str) -> bytes | None:
    """The bytes of file `name` in the remote's `commit`, or None when it has none; refused
    over the size limit of every file eng28 reads."""
    size = git(repo, "cat-file", "-s", f"{commit}:{name}", check=False)
    if size.returncode != 0:
        return None
    if int(size.stdout.strip() or 0) > files.MAX_BYTES:
        raise SyncError(
            f"remote {commit[:8]}:{name}: over {files.MAX_BYTES // (1024 * 1024)} MB; local "
            "state untouched"
        )
    return git_bytes(repo, "show", f"{commit}:{name}").stdout
