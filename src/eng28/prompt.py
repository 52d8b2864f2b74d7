"""The shell-prompt segment and the shell snippets. Standard library only.

`eng28 prompt` and `eng28 init` are dispatched by `__main__` before typer is imported, so this
module must never import typer, rich, pydantic, fsrs or dateutil: it runs before every prompt.
It avoids even tomllib, pathlib and typing on its common paths (each costs milliseconds).

The cache file holds three lines:
    1. the Unix time until which the segment is valid (the next rollover boundary),
    2. the rendered segment (what a shell hook shows with the `read` builtin),
    3. JSON: the fields, and what was read from the config and state files keyed by their
       size and mtime, so that the once-a-day refresh after a rollover parses no TOML.
A shell hook only reads the first two lines; the file is replaced atomically, never locked.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from eng28 import pace, paths

if TYPE_CHECKING:
    from typing import Any

INDEX_FILE = "plan-index.json"
FIELDS = ("day", "total", "track", "title", "due", "status")


def cache_path() -> str:
    return paths.prompt_cache()


# --- reading what the main CLI wrote ----------------------------------------------------


def _stat_key(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _toml(path: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(_read_text(path))


def _config(previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The config file's keys (start as an ISO string); reused while the file is unchanged."""
    path = os.path.join(paths.config_dir(), "config.toml")
    key = _stat_key(path)
    if previous and previous.get("key") == key:
        return previous
    data = _toml(path) if key else {}
    if isinstance(data.get("start"), date):
        data["start"] = data["start"].isoformat()
    return {"key": key, **{k: v for k, v in data.items() if isinstance(v, str | int | list)}}


def _zone(config: dict[str, Any]) -> Any:
    if not config.get("timezone"):
        return None
    from zoneinfo import ZoneInfo

    return ZoneInfo(config["timezone"])


def _now(zone: Any) -> datetime:
    raw = os.environ.get("ENG28_NOW", "").strip()
    if not raw:
        return datetime.now(zone).astimezone(zone)
    if len(raw) == 10:
        moment = datetime.combine(date.fromisoformat(raw), time(12, 0))
    else:
        moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone).astimezone(zone) if zone else moment.astimezone()
    return moment.astimezone(zone)


def _bundled_plan() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "plan", "eng28.toml"),
        os.path.join(os.path.dirname(os.path.dirname(here)), "plan", "eng28.toml"),
    ):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("bundled plan")


def _plan_index(plan_path: str) -> dict[str, Any]:
    """Total, track labels and titles of a plan, cached beside the prompt cache: a 100 KB plan
    costs tens of milliseconds to parse, a small JSON file almost nothing."""
    key = [os.path.realpath(plan_path), *(_stat_key(plan_path) or [])]
    index_file = os.path.join(paths.cache_dir(), INDEX_FILE)
    try:
        index = json.loads(_read_text(index_file))
        if index.get("key") == key:
            return index
    except (OSError, ValueError):
        pass
    plan = _toml(plan_path)
    labels = {
        t["id"]: t.get("short") or t["id"].upper() for t in plan["tracks"] if isinstance(t, dict)
    }
    days = [[labels.get(d.get("track"), "?"), d.get("title", "")] for d in plan["days"]]
    index = {"key": key, "total": len(days), "days": days}
    write_atomic(index_file, json.dumps(index, ensure_ascii=False))
    return index


def _state_summary(previous: dict[str, Any] | None) -> dict[str, Any]:
    """Done days and card due times; reused from the last cache while the file is unchanged."""
    path = os.path.join(paths.data_dir(), "state.toml")
    key = _stat_key(path)
    if previous and previous.get("key") == key:
        return previous
    if key is None:
        return {"key": None, "done": [], "due": []}
    state = _toml(path)
    days = state.get("days", {})
    done = sorted(int(n) for n, p in days.items() if isinstance(p, dict) and p.get("done"))
    due = [str(c["due"]) for c in state.get("cards", {}).values() if isinstance(c, dict)]
    pauses = [
        [p["start"].isoformat(), p["end"].isoformat() if p.get("end") else None]
        for p in state.get("pauses", [])
    ]
    skipped = sorted(int(n) for n, p in days.items() if isinstance(p, dict) and p.get("skipped"))
    return {"key": key, "done": done, "due": due, "pauses": pauses, "skipped": skipped}


def _read_cache(path: str) -> tuple[float, str, dict[str, Any]] | None:
    try:
        lines = _read_text(path).split("\n")
        return float(lines[0]), lines[1], json.loads(lines[2]) if len(lines) > 2 else {}
    except (OSError, ValueError, IndexError):
        return None


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    path = os.fspath(path)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --- the segment ------------------------------------------------------------------------


def compute(
    previous: dict[str, Any] | None = None,
) -> tuple[float, dict[str, Any] | None, dict[str, Any]]:
    """(valid until, fields or None when there is nothing to show, what was read)."""
    previous = previous or {}
    config = _config(previous.get("config"))
    zone = _zone(config)
    rollover = int(config.get("rollover_hour", 4))
    today = pace.study_date(_now(zone), rollover)
    boundary = datetime.combine(today + timedelta(days=1), time(rollover))
    until = (boundary.replace(tzinfo=zone) if zone else boundary).timestamp()
    summary = _state_summary(previous.get("state"))
    read = {"config": config, "state": summary}
    start = date.fromisoformat(config["start"]) if config.get("start") else None
    if start is None or today < start:
        return until, None, read
    plan_path = os.path.expanduser(config["plan"]) if config.get("plan") else _bundled_plan()
    index = _plan_index(plan_path)
    total, titles = index["total"], index["days"]
    rest = pace.rest_weekdays(config.get("rest_days", []))
    done = set(summary["done"])
    due = 0
    for iso in summary["due"]:
        when = datetime.fromisoformat(iso).astimezone(zone)
        due += pace.study_date(when, rollover) <= today
    pauses = [
        (date.fromisoformat(a), date.fromisoformat(b) if b else None)
        for a, b in summary.get("pauses", [])
    ]
    resting = pace.is_rest(today, rest)
    paused = pace.is_paused(today, pauses, today)
    if config.get("pace", "calendar") == "self":
        settled = done | set(summary.get("skipped", []))
        open_days = [n for n in range(1, total + 1) if n not in settled]
        day = open_days[0] if open_days else total
        finished = not open_days
    else:
        n = pace.calendar_day(start, today, rest, pauses)
        day = n + 1 if resting or paused else n
        finished = n > total or ((resting or paused) and n >= total)
    if finished:
        status, day = "finished", total
    elif paused:
        status = "paused"
    elif resting:
        status = "rest"
    else:
        status = "done" if day in done else "todo"
    track, title = titles[day - 1]
    fields = {
        "day": day,
        "total": total,
        "track": track,
        "title": title,
        "due": due,
        "status": status,
    }
    return until, fields, read


def default_segment(fields: dict[str, Any]) -> str:
    due = f"⟳{fields['due']}" if fields["due"] else ""
    if fields["status"] == "finished":
        return due
    if fields["status"] in ("rest", "paused"):
        return " ".join(p for p in (fields["status"], due) if p)
    mark = "✓" if fields["status"] == "done" else ""
    return " ".join(p for p in (f"D{fields['day']:02d}", fields["track"], mark, due) if p)


def render_format(fmt: str, fields: dict[str, Any]) -> str:
    """Render a user's format such as "{day}/{total} {track}"; ValueError names the problem."""
    try:
        return fmt.format_map(fields)
    except KeyError as exc:
        raise ValueError(
            f"unknown prompt field {exc.args[0]!r} (fields: {', '.join(FIELDS)})"
        ) from None
    except (ValueError, IndexError, AttributeError, TypeError) as exc:
        raise ValueError(f"bad prompt format {fmt!r}: {exc}") from None


def segment(fields: dict[str, Any] | None, fmt: str | None) -> str:
    if fields is None:
        return ""
    return render_format(fmt, fields) if fmt else default_segment(fields)


def refresh() -> tuple[str, dict[str, Any] | None]:
    """Recompute the segment and rewrite the cache atomically."""
    path = cache_path()
    cached = _read_cache(path)
    until, fields, read = compute(cached[2].get("read") if cached else None)
    fmt = read["config"].get("prompt_format")
    text = segment(fields, fmt if isinstance(fmt, str) else None).replace("\n", " ")
    payload = json.dumps({"fields": fields, "read": read}, ensure_ascii=False)
    write_atomic(path, f"{int(until)}\n{text}\n{payload}\n")
    return text, fields


def current(force: bool = False) -> tuple[str, dict[str, Any] | None]:
    """The segment from a fresh cache, or recomputed when the cache is stale or missing."""
    if not force:
        cached = _read_cache(cache_path())
        if cached is not None:
            until, text, extra = cached
            config = _config((extra.get("read") or {}).get("config"))
            if _now(_zone(config)).timestamp() < until:
                return text, extra.get("fields")
    return refresh()


# --- shell snippets ---------------------------------------------------------------------


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def executable() -> list[str]:
    """How the shell hook should call eng28: the absolute path of this very program."""
    argv0 = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if argv0 and os.path.basename(argv0) not in ("__main__.py", "-c") and os.access(argv0, os.X_OK):
        return [argv0]
    return [sys.executable, "-m", "eng28"]


BASH = r"""# eng28 prompt segment for bash: eval "$(eng28 init bash)"
__eng28_cache=@CACHE@
__eng28_bin=(@BIN@)
__eng28_hook() {
  local __eng28_status=$? __eng28_now=${EPOCHSECONDS:-} __eng28_until=0 __eng28_seg=
  [[ -n $__eng28_now ]] || printf -v __eng28_now '%(%s)T' -1 2>/dev/null || __eng28_now=$(date +%s)
  [[ -r $__eng28_cache ]] && { IFS= read -r __eng28_until; IFS= read -r __eng28_seg; } < "$__eng28_cache"
  if [[ $__eng28_until == *[!0-9]* || -z $__eng28_until ]] || (( __eng28_now >= __eng28_until )); then
    "${__eng28_bin[@]}" prompt --refresh > /dev/null 2>&1
    __eng28_until=0 __eng28_seg=
    [[ -r $__eng28_cache ]] && { IFS= read -r __eng28_until; IFS= read -r __eng28_seg; } < "$__eng28_cache"
  fi
  export ENG28_PROMPT=$__eng28_seg
  return $__eng28_status
}
if [[ ";${PROMPT_COMMAND:-};" != *";__eng28_hook;"* ]]; then
  PROMPT_COMMAND="__eng28_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
"""
BASH_SHOW = r"""if [[ $PS1 != *'ENG28_PROMPT'* ]]; then
  PS1='${ENG28_PROMPT:+[$ENG28_PROMPT] }'"$PS1"
fi
"""

ZSH = r"""# eng28 prompt segment for zsh: eval "$(eng28 init zsh)"
zmodload zsh/datetime 2>/dev/null
typeset -g __eng28_cache=@CACHE@
typeset -ga __eng28_bin=(@BIN@)
__eng28_hook() {
  local __eng28_status=$? __eng28_until= __eng28_seg=
  [[ -r $__eng28_cache ]] && { IFS= read -r __eng28_until; IFS= read -r __eng28_seg } < $__eng28_cache
  if [[ ! $__eng28_until =~ '^[0-9]+$' ]] || (( ${EPOCHSECONDS:-0} >= __eng28_until )); then
    "${__eng28_bin[@]}" prompt --refresh > /dev/null 2>&1
    [[ -r $__eng28_cache ]] && { IFS= read -r __eng28_until; IFS= read -r __eng28_seg } < $__eng28_cache
  fi
  export ENG28_PROMPT=$__eng28_seg
  return $__eng28_status
}
autoload -Uz add-zsh-hook
add-zsh-hook precmd __eng28_hook
"""
ZSH_SHOW = r"""setopt prompt_subst
if [[ $PROMPT != *'ENG28_PROMPT'* ]]; then
  PROMPT='${ENG28_PROMPT:+[$ENG28_PROMPT] }'$PROMPT
fi
"""

FISH = r"""# eng28 prompt segment for fish: eng28 init fish | source
set -g __eng28_cache @CACHE@
set -g __eng28_bin @BIN@
function __eng28_hook --on-event fish_prompt
    set -l __eng28_status $status
    set -l __eng28_lines
    test -r $__eng28_cache; and while read -l __eng28_line
        set -a __eng28_lines $__eng28_line
    end < $__eng28_cache
    # fish has no clock builtin: one `date` per prompt, and eng28 only when the cache is stale.
    if not string match -qr '^[0-9]+$' -- "$__eng28_lines[1]"; or test (date +%s) -ge $__eng28_lines[1]
        $__eng28_bin prompt --refresh > /dev/null 2>&1
        set __eng28_lines
        test -r $__eng28_cache; and while read -l __eng28_line
            set -a __eng28_lines $__eng28_line
        end < $__eng28_cache
    end
    set -gx ENG28_PROMPT "$__eng28_lines[2]"
    return $__eng28_status
end
"""
FISH_SHOW = r"""if not functions -q __eng28_original_prompt; and functions -q fish_prompt
    functions -c fish_prompt __eng28_original_prompt
    function __eng28_return
        return $argv[1]
    end
    function fish_prompt
        set -l __eng28_status $status
        test -n "$ENG28_PROMPT"; and printf '[%s] ' $ENG28_PROMPT
        __eng28_return $__eng28_status  # the original prompt sees the last command's status
        __eng28_original_prompt
    end
end
"""


def init_snippet(shell: str, export_only: bool) -> str:
    cache = _quote(os.path.realpath(cache_path()))
    binary = " ".join(_quote(part) for part in executable())
    body, show = {"bash": (BASH, BASH_SHOW), "zsh": (ZSH, ZSH_SHOW), "fish": (FISH, FISH_SHOW)}[
        shell
    ]
    text = body.replace("@CACHE@", cache).replace("@BIN@", binary)
    return text if export_only else text + show


# --- the fast entry point ---------------------------------------------------------------

USAGE_PROMPT = """Usage: eng28 prompt [--format FMT] [--refresh]

Print the one-line shell-prompt segment (e.g. "D05 OOP ⟳2"), or nothing when the plan is not
started or anything is wrong. Fields for --format or the config key prompt_format:
{day} {total} {track} {title} {due} {status}
(status: todo, done, rest, paused, finished).
  --refresh     recompute the cached segment now
  --format FMT  e.g. --format "day {day}/{total} · {due} due"
"""
USAGE_INIT = """Usage: eng28 init bash|zsh|fish [--export-only]

Print the shell snippet that keeps $ENG28_PROMPT up to date and shows it in your prompt:
  bash:  eval "$(eng28 init bash)"      (in ~/.bashrc)
  zsh:   eval "$(eng28 init zsh)"       (in ~/.zshrc)
  fish:  eng28 init fish | source       (in ~/.config/fish/config.fish)
  --export-only  only export ENG28_PROMPT; leave PS1/PROMPT/fish_prompt alone
"""


def main(argv: list[str]) -> int:
    """`eng28 prompt ...` and `eng28 init ...`, without typer."""
    command, args = argv[0], argv[1:]
    if "-h" in args or "--help" in args:
        print(USAGE_PROMPT if command == "prompt" else USAGE_INIT, end="")
        return 0
    if command == "init":
        shells = [a for a in args if not a.startswith("-")]
        flags = [a for a in args if a.startswith("-")]
        if (
            len(shells) != 1
            or shells[0] not in ("bash", "zsh", "fish")
            or set(flags) - {"--export-only"}
        ):
            print("error: usage: eng28 init bash|zsh|fish [--export-only]", file=sys.stderr)
            return 2
        sys.stdout.write(init_snippet(shells[0], "--export-only" in flags))
        return 0
    # The prompt must never break a shell: any failure prints nothing and exits 0.
    try:
        fmt = None
        if "--format" in args:
            fmt = args[args.index("--format") + 1]
        elif any(a.startswith("--format=") for a in args):
            fmt = next(a for a in args if a.startswith("--format="))[len("--format=") :]
        text, fields = current(force="--refresh" in args)
        if fmt is not None:
            text = segment(fields, fmt)
        if text:
            sys.stdout.write(text.replace("\n", " ") + "\n")
    except BaseException:  # noqa: BLE001 - a prompt segment must never fail loudly
        return 0
    return 0


def refresh_quietly() -> None:
    """Called by the main CLI after it changes state: refresh, or drop a cache it cannot
    rebuild so that the next prompt recomputes it."""
    try:
        refresh()
    except Exception:  # noqa: BLE001
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(cache_path())
