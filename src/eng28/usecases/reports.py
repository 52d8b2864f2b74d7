"""What the learner has done, read back: stats and streaks, the journal, links, and export and
import of the whole state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from eng28 import config as cfg
from eng28 import files, pace, reviewlog, reviewscan, store
from eng28.cards import KINDS, card_day
from eng28.errors import Eng28Error, StateError, UsageError
from eng28.models import Config, PlanState, ReviewEntry, State
from eng28.usecases.context import Context
from eng28.usecases.schedule import Slot, cards, due_count, schedule, show, study_date_of

# --- stats -------------------------------------------------------------------------------


@dataclass
class Stats:
    done: int
    total: int
    behind: list[int]
    current_streak: int
    longest_streak: int
    reviews: int
    retention: float | None  # share of reviews not rated Again
    activity: dict[date, int]  # study date -> days done + reviews
    due_next: list[tuple[date, int]]  # the next 14 study dates and the cards due on each
    due_now: int
    today: date
    start: date | None
    #: Per part (video, readings, exercise, leetcode, reflection): (days with it ticked, days
    #: reached: done, or dated today or earlier).
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: (reviews, retention) per track id of the plan and per card kind, those reviewed only.
    by_track: dict[str, tuple[int, float]] = field(default_factory=dict)
    by_kind: dict[str, tuple[int, float]] = field(default_factory=dict)
    track_labels: dict[str, str] = field(default_factory=dict)  # track id -> "SD"

    def to_json(self) -> dict[str, Any]:
        return {
            "done": self.done,
            "total": self.total,
            "behind": self.behind,
            "on_schedule": not self.behind,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "reviews": self.reviews,
            "retention": self.retention,
            "activity": {d.isoformat(): n for d, n in sorted(self.activity.items())},
            "due_next_14_days": [{"date": d.isoformat(), "due": n} for d, n in self.due_next],
            "reviews_due": self.due_now,
            "parts": {name: {"done": n, "of": of} for name, (n, of) in self.parts.items()},
            "retention_by_track": _shares(self.by_track),
            "retention_by_kind": _shares(self.by_kind),
        }


def _shares(groups: dict[str, tuple[int, float]]) -> dict[str, dict[str, Any]]:
    return {name: {"reviews": n, "retention": share} for name, (n, share) in groups.items()}


def retention_groups(ratings: list[tuple[str, int]]) -> dict[str, tuple[int, float]]:
    """(reviews, share not rated Again) per group, from (group, rating) pairs, in the order
    the groups first appear."""
    counts: dict[str, list[int]] = {}
    for group, rating in ratings:
        counts.setdefault(group, []).append(rating)
    return {g: (len(r), sum(1 for x in r if x > 1) / len(r)) for g, r in counts.items()}


def count_groups(counts: list[tuple[str, int, int]]) -> dict[str, tuple[int, float]]:
    """As `retention_groups`, from (group, rating, how many) triples."""
    totals: dict[str, list[int]] = {}
    for group, rating, n in counts:
        seen = totals.setdefault(group, [0, 0])
        seen[0] += n
        seen[1] += n if rating > 1 else 0
    return {g: (n, kept / n) for g, (n, kept) in totals.items()}


def streaks(done_dates: set[date], today: date, rest: frozenset[int]) -> tuple[int, int]:
    """(current, longest) runs of study dates on which a day was done. Rest days neither
    break nor extend a run; today does not break it before it is over."""
    if not done_dates:
        return 0, 0
    longest = run = 0
    day = min(done_dates)
    while day <= today:
        if not pace.is_rest(day, rest):
            if day in done_dates:
                run += 1
                longest = max(longest, run)
            elif day != today:
                run = 0
        day += timedelta(days=1)
    return run, longest


def plan_streaks(
    slots: list[Slot], state: State, today: date, rest: frozenset[int], grace: int
) -> tuple[int, int]:
    """(current, longest) runs of scheduled days kept in calendar pace. A day is kept when it
    was done by its date plus `grace` study days (the #100DaysOfCode catch-up rule). Rest
    days, paused days and skipped days neither break nor extend a run, and a day still
    inside its grace period does not break it yet."""
    pauses = state.pause_ranges()

    def deadline(when: date) -> date:
        for _ in range(grace):
            when = pace.next_study_date(when, rest)
            while pace.is_paused(when, pauses, today):
                when = pace.next_study_date(when, rest)
        return when

    run = longest = 0
    for slot in slots:
        if slot.date is None or slot.date > today or slot.status == "skipped":
            continue
        progress = state.days.get(slot.number)
        last = deadline(slot.date)
        if progress and progress.done and progress.done_on and progress.done_on <= last:
            run += 1
            longest = max(longest, run)
        elif today > last:
            run = 0
    return run, longest


def stats(ctx: Context) -> Stats:
    from eng28.usecases.tally import tally

    # The days and cards, and of the ratings only their counts (see usecases.tally).
    state = ctx.load_state(history=False)
    slots = schedule(ctx, state) if state.start else []
    total = ctx.outline.total
    done_days = {n: p for n, p in state.days.items() if p.done and 1 <= n <= total}
    done_dates = {p.done_on for p in done_days.values() if p.done_on}
    if ctx.config.pace == "calendar" and slots:
        current, longest = plan_streaks(slots, state, ctx.today, ctx.rest, ctx.config.grace_days)
    else:
        current, longest = streaks(done_dates, ctx.today, ctx.rest)
    activity: dict[date, int] = {}
    for p in done_days.values():
        if p.done_on:
            activity[p.done_on] = activity.get(p.done_on, 0) + 1
    counts = tally(ctx)
    for when, n in counts.dates.items():
        activity[when] = activity.get(when, 0) + n
    reviews = sum(counts.cards.values())
    kept = sum(n for (_, _, rating), n in counts.cards.items() if rating > 1)
    retention = kept / reviews if reviews else None
    track_of = {d.number: d.track for d in ctx.outline.days}
    mine = [(g, n) for g, n in counts.cards.items() if 1 <= g[0] <= total]
    by_track = count_groups([(track_of[day], rating, n) for (day, _, rating), n in mine])
    by_track = {t.id: by_track[t.id] for t in ctx.outline.tracks if t.id in by_track}
    by_kind = count_groups([(kind, rating, n) for (_, kind, rating), n in mine])
    by_kind = {k: by_kind[k] for k in KINDS if k in by_kind}
    reached = [
        s.number
        for s in slots
        if s.status == "done" or (s.date is not None and s.date <= ctx.today)
    ] or sorted(done_days)
    parts = {}
    for name, members in PART_GROUPS.items():
        ticked = 0
        for number in reached:
            p = state.days.get(number)
            if p is not None:
                ticked += sum(p.done if m == "reflection" else p.ticked(m) for m in members)
        parts[name] = (ticked, len(reached) * len(members))
    found = cards(ctx, state, until=ctx.today + timedelta(days=14))
    due_next = []
    for offset in range(1, 15):
        when = ctx.today + timedelta(days=offset)
        due_next.append((when, sum(1 for c in found if c.due == when)))
    return Stats(
        done=len(done_days),
        total=total,
        behind=[s.number for s in slots if s.status == "missed"],
        current_streak=current,
        longest_streak=longest,
        reviews=reviews,
        retention=retention,
        activity=activity,
        due_next=due_next,
        due_now=due_count(ctx, state),
        today=ctx.today,
        start=state.start,
        parts=parts,
        by_track=by_track,
        by_kind=by_kind,
        track_labels={t.id: t.label for t in ctx.outline.tracks},
    )


#: The parts `stats` counts; readings count each of the three.
PART_GROUPS = {
    "video": ("video",),
    "readings": ("r1", "r2", "r3"),
    "exercise": ("exercise",),
    "leetcode": ("leetcode",),
    "reflection": ("reflection",),
}


# --- journal and links -------------------------------------------------------------------


@dataclass
class JournalEntry:
    day: int
    title: str
    track: str
    done: bool
    done_on: date | None
    reflection: str
    earlier: list[tuple[str | None, str]]  # (replaced at, text)
    follow_ups: list[tuple[str, int, str]]  # (study date, rating, note)

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "title": self.title,
            "track": self.track,
            "done": self.done,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "reflection": self.reflection,
            "earlier": [{"written_at": w, "text": t} for w, t in self.earlier],
            "follow_ups": [{"date": d, "rating": r, "note": n} for d, r, n in self.follow_ups],
        }


def journal(ctx: Context) -> list[JournalEntry]:
    """Every day with something written: reflections, earlier versions, follow-up notes."""
    state = ctx.load_state(history=False)  # the days; of the ratings, those with a note
    noted: dict[int, list[tuple[str, int, str]]] = {}
    for e in sorted(_rated_with_notes(ctx, state), key=lambda e: e.review_datetime):
        if e.undone_at is None and e.note.strip():
            when = study_date_of(ctx, e.review_datetime).isoformat()
            noted.setdefault(card_day(e.key), []).append((when, e.rating, e.note))
    entries = []
    for number in range(1, ctx.outline.total + 1):
        progress = state.days.get(number)
        notes = noted.get(number, [])
        written = progress and (progress.reflection.strip() or progress.earlier)
        if not written and not notes:
            continue
        day = ctx.outline.day(number)
        entries.append(
            JournalEntry(
                day=number,
                title=day.title,
                track=ctx.outline.track(day.track).name,
                done=bool(progress and progress.done),
                done_on=progress.done_on if progress else None,
                reflection=progress.reflection if progress else "",
                earlier=[
                    (e.written_at.isoformat() if e.written_at else None, e.text)
                    for e in (progress.earlier if progress else [])
                ],
                follow_ups=notes,
            )
        )
    return entries


def _rated_with_notes(ctx: Context, recent: PlanState) -> list[ReviewEntry]:
    """The ratings of the plan in use that may carry a note, in the log's order (see
    reviewscan.noted), or all of them when the log does not say (the whole read names what is
    wrong); `recent`: the state as read with the log's recent part."""
    if not ctx.ratings_in_log():
        return recent.reviews  # a file from before the log keeps them all in its table
    try:
        raw = files.read_bytes(reviewlog.log_path(ctx.state_path), "review log", StateError)
    except StateError:
        raw = None
    found = reviewscan.noted(raw, reviewlog.name_beside(ctx.state_path)) if raw else None
    return found.get(ctx.plan_id, []) if found is not None else ctx.load_state().reviews


LINK_KINDS = ("video", "readings", "leetcode", "notes", "all")


def links(ctx: Context, number: int, kind: str) -> list[tuple[str, str]]:
    """(label, URL) pairs of one day's resources."""
    if kind not in LINK_KINDS:
        raise UsageError(f"unknown link kind {kind!r}: use one of {', '.join(LINK_KINDS)}")
    view = show(ctx, number)
    day = view.day
    found: list[tuple[str, str]] = []
    if kind in ("video", "all") and day.video:
        found.append((f"video: {day.video.title}", day.video.url))
    if kind in ("readings", "all") and day.readings:
        found += [(f"reading: {r.title}", r.url) for r in day.readings]
    if kind in ("leetcode", "all") and day.leetcode:
        found.append((f"LeetCode {day.leetcode.number}: {day.leetcode.title}", day.leetcode.url))
    if kind in ("notes", "all") and view.notes_file and view.notes_file.is_file():
        found.append(("notes", view.notes_file.resolve().as_uri()))
    if not found:
        raise Eng28Error(f"day {number} has no {kind} links in this plan")
    return found


def safe_to_open(url: str) -> bool:
    """Whether a link may go to the browser: http(s) or a file:// of the notes, with no
    whitespace, quotes, control characters or shell metacharacters ($BROWSER may be a shell
    command line)."""
    import re

    return re.fullmatch(r"(https?|file)://[^\s\"'`$;&|<>\\(){}\x00-\x1f\x7f]+", url) is not None


# --- export / import ---------------------------------------------------------------------

EXPORT_FORMAT = 1


def export_data(ctx: Context, plan_id: str | None = None) -> dict[str, Any]:
    """Config and state as JSON data: every plan's progress, or only `plan_id`'s. Each rating
    as the review log holds it: its fields without a value left out."""
    state = ctx.load_file()
    data = state.model_dump(mode="json")
    for name, plan in state.plans.items():  # in place: the keys keep their order
        data["plans"][name]["reviews"] = [
            e.model_dump(mode="json", exclude_none=True) for e in plan.reviews
        ]
    return _export_frame(ctx, data, plan_id)


def _export_frame(ctx: Context, data: dict[str, Any], plan_id: str | None) -> dict[str, Any]:
    if plan_id is not None:
        if plan_id not in data["plans"]:
            known = ", ".join(sorted(data["plans"])) or "none yet"
            raise Eng28Error(f"no progress in a plan with id {plan_id!r} (plans: {known})")
        data["plans"] = {plan_id: data["plans"][plan_id]}
    return {
        "eng28_export": EXPORT_FORMAT,
        "exported_at": ctx.now.isoformat(),
        "config": ctx.config.model_dump(mode="json", exclude_none=True),
        "state": data,
    }


def _json_text(data: Any) -> bytes:
    """`data` as UTF-8 JSON laid out as `json.dumps(data, indent=2, ensure_ascii=False)` lays
    it out (the same data; a float may be written in another exact form: 0.00001 for 1e-05),
    by pydantic's serialiser, which is ten times faster (a year's state: 20 ms against 1.6)."""
    from pydantic_core import to_json

    return to_json(data, indent=2) + b"\n"


def export_text(ctx: Context, plan_id: str | None = None) -> Iterator[bytes]:
    """`export_data` as UTF-8 JSON text, a piece at a time (its `json.loads` is
    `export_data`): the ratings come from the review log one a line, never all held as
    objects at once (a year's are some 80,000, 700 MB in memory), the rest of the state
    indented as before. Everything is read and checked before the first piece."""
    import secrets

    from eng28.values import MAX_DAYS

    if not ctx.ratings_in_log():
        yield _json_text(export_data(ctx, plan_id))  # a file from before the log
        return
    state = ctx.load_file(history=False)  # the table; the ratings follow from the log
    log, where = reviewlog.log_path(ctx.state_path), reviewlog.name_beside(ctx.state_path)
    found = reviewscan.summarized(log, where)
    if found is None:
        blocks = files.read_blocks(log, "review log", StateError, size=1 << 18)  # 2 MB as objects
        try:
            found = reviewscan.dumped(blocks, where, keep=log)
        except StateError:
            found = None
    if found is None or any(len(r) > 100 * MAX_DAYS for r in found.values()):
        yield _json_text(export_data(ctx, plan_id))  # the whole read names what is wrong
        return
    data = state.model_dump(mode="json")
    for new in [p for p in found if p not in data["plans"]]:  # only in the log, as read
        data["plans"][new] = PlanState().model_dump(mode="json")
    mark = secrets.token_hex(8).encode()
    for name, plan in data["plans"].items():
        plan["reviews"] = f"{mark.decode()}:{name}"
    text = _json_text(_export_frame(ctx, data, plan_id))
    at = 0
    while (begin := text.find(b'"' + mark + b":", at)) != -1:
        end = text.index(b'"', begin + 1) + 1
        yield text[at:begin]
        indent = b" " * (begin - text.rfind(b"\n", 0, begin) - 1 - len(b'"reviews": '))
        yield from _json_list(found.get(text[begin + len(mark) + 2 : end - 1].decode()), indent)
        at = end
    yield text[at:]


def _json_list(items: reviewscan.Dumps | None, indent: bytes) -> Iterator[bytes]:
    """`items` (JSON texts) as a JSON list, one a line, inside a list or object indented by
    `indent` (json.dumps's own layout of an empty list: `[]`)."""
    if not items:
        yield b"[]"
        return
    inner = b",\n" + indent + b"  "
    yield b"[\n" + indent + b"  "
    for number, batch in enumerate(items.batches()):
        yield (inner if number else b"") + inner.join(batch)
    yield b"\n" + indent + b"]"


def _export_data(path: Path, plan_id: str) -> dict[str, Any]:
    """The JSON data of an export, its frame checked and its state in the current schema (an
    export from before schema 3 filed under `plan_id`); its text is let go once parsed."""
    import json

    from pydantic_core import from_json

    raw = files.read_bytes(path, "export", Eng28Error)
    if raw is None:
        raise Eng28Error(f"{path}: file not found")
    try:
        data = from_json(raw)  # from the bytes, no copy of the text: a year's is 16 MB
    except ValueError:  # said as the json module says it (or read as it reads it)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Eng28Error(f"{path}: not UTF-8 text (byte {exc.start})") from None
        try:
            data = files.loads_json(text)
        except json.JSONDecodeError as exc:
            raise Eng28Error(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
    del raw
    if not isinstance(data, dict) or data.get("eng28_export") != EXPORT_FORMAT:
        raise Eng28Error(f'{path}: not an eng28 export (no "eng28_export": {EXPORT_FORMAT})')
    state = data.get("state", {})
    if isinstance(state, dict):
        version = state.get("schema_version", 1)
        if not isinstance(version, int) or not 1 <= version <= store.SCHEMA_VERSION:
            raise Eng28Error(f"{path}: state schema_version {version!r} is not one eng28 reads")
        data["state"] = store.upgrade(state, version, plan_id)
    return data


def read_export(path: Path, now: datetime, plan_id: str) -> tuple[Config, State]:
    """The config and state in an export, checked as strictly as the state file (and stamped
    no later than `now`, give or take a day). An export from before schema 3 is filed under
    `plan_id`, the plan in use."""
    from pydantic import ValidationError

    data = _export_data(path, plan_id)
    parts = {}
    for name, model in (("config", Config), ("state", State)):
        try:
            parts[name] = model.model_validate(data.get(name, {}))
        except ValidationError as exc:
            raise Eng28Error(f"{path}: {name} {cfg.describe_validation_error(exc)}") from None
    store.check_stamps(parts["state"], now, str(path), Eng28Error)
    for plan_id, plan in parts["state"].plans.items():  # the log it would write holds each once
        seen: set[str] = set()
        for index, entry in enumerate(plan.reviews):
            if entry.id in seen:
                raise Eng28Error(
                    f"{path}: state key 'plans.{plan_id}.reviews.{index}.id': review {entry.id} "
                    "is there twice"
                )
            seen.add(entry.id)
    return parts["config"], parts["state"]


def read_import(
    path: Path, now: datetime, plan_id: str
) -> tuple[Config, State, list[bytes] | None]:
    """What `read_export` reads, with the ratings as the review log's lines (`reviewlog.dump`
    of them) rather than models: a year's 40,000 ratings are validated a block at a time and
    never held as models at once. None: they are the state's models after all. Anything
    wrong is said as `read_export` says it (it reads the file again, whole)."""
    from pydantic import ValidationError

    data = _export_data(path, plan_id)
    plans = data["state"].get("plans") if isinstance(data.get("state"), dict) else None
    taken = {}
    for plan_id_, plan in (plans or {}).items() if isinstance(plans, dict) else []:
        if isinstance(plan, dict) and isinstance(plan.get("reviews"), list):
            taken[plan_id_] = plan.pop("reviews")
    try:
        config = Config.model_validate(data.get("config", {}))
        state = State.model_validate(data.get("state", {}))
        del data
        store.check_stamps(state, now, str(path), Eng28Error)
        lines = _rating_lines(taken, now)
    except (ValidationError, Eng28Error):
        return (*read_export(path, now, plan_id), None)
    return config, state, lines  # written one after another, never joined


def _rating_lines(taken: dict[str, list[Any]], now: datetime) -> list[bytes]:
    """Each plan's ratings (JSON data, let go a block at a time) as the log's lines, in the
    order `reviewlog.dump` writes them; raises Eng28Error when one is stamped later than
    `now` allows (read_export then says which)."""
    from pydantic import TypeAdapter

    adapter = TypeAdapter(list[ReviewEntry])
    limit = now + store.FUTURE_MARGIN
    # A rating's moment is held in UTC as isoformat writes it, which sorts as time does.
    latest = limit.astimezone(UTC).isoformat()
    most = PlanState.model_fields["reviews"].metadata[0].max_length
    rows, ids = [], set()
    for plan_id, items in taken.items():
        if len(items) > most:
            raise Eng28Error("more ratings than a plan holds")
        while items:
            block = adapter.validate_python(items[:2000])
            del items[:2000]
            for entry in block:
                late = entry.undone_at is not None and entry.undone_at > limit
                if late or entry.review_datetime > latest:
                    raise Eng28Error("a rating stamped later than now")
                if (plan_id, entry.id) in ids:
                    raise Eng28Error("a rating there twice")
                ids.add((plan_id, entry.id))
                line = reviewlog.entry_line(plan_id, entry)
                rows.append((entry.review_datetime, entry.id, plan_id, line))
    rows.sort(key=lambda row: row[:3])  # as dump orders them
    return [row[3] for row in rows]


@dataclass
class ImportResult:
    done: int
    source: Path
    backup: Path | None


def has_progress(ctx: Context) -> bool:
    # The days are in the state file: the log's recent part is all that needs reading.
    return any(p.days for p in ctx.load_file(history=False).plans.values())


def import_data(
    ctx: Context,
    source: Path,
    config: Config,
    state: State,
    ratings: list[bytes] | None = None,
) -> ImportResult:
    """Replace the config, and the progress of every plan the import holds (other plans'
    stay). The current state is kept aside first, under a name no other import can take.
    `ratings`: the import's ratings as log lines (see read_import), `state` then without."""
    backup = None
    with store.locked(ctx.state_path):
        current = ctx.state_path
        raw = files.read_bytes(current, "state", StateError)
        log = reviewlog.log_path(current)

        def blocks() -> files.Stream:  # a year's log is copied and scanned, never held
            return files.line_blocks(log, "review log", StateError)

        if raw is not None:
            stem = current.with_name(f"state.before-import-{ctx.now:%Y%m%dT%H%M%S}")
            backup = store.write_pair(stem, raw, blocks())  # the ratings too
        # When every rating here is of a plan the import replaces (kept in the copy above),
        # none is read: the other plans' progress is in the state file alone.
        replaced = raw is not None and reviewscan.only_of(blocks(), state.plans)
        since = ctx.recent if replaced else None
        # From the file's own bytes, as every change is (a JSON copy is never what is saved).
        found = store.read_state(current, ctx.plan_id, copy=False, since=since) if raw else None
        current_state = found[0] if found else State()
        merged = current_state.model_copy(
            update={"plans": dict(sorted({**current_state.plans, **state.plans}.items()))}
        )
        # The lines are the whole new log only when no rating here stays: none in a log of
        # other plans, none inline in a state file from before schema 5.
        if ratings is not None and raw is not None and not (replaced and found[1] >= 5):
            for plan_id, entries in reviewlog.parse(b"".join(ratings), str(source))[0].items():
                merged.plans[plan_id].reviews = entries
            ratings = None
        if replaced:
            merged._log = None  # not the log read (its recent part): it is written anew, whole
        if config.start is not None:  # an export from before schema 3: the start was config's
            mine = merged.plans.setdefault(ctx.plan_id, state.plan(ctx.plan_id))
            mine.start = mine.start or config.start
            config = config.model_copy(update={"start": None})
        store.save_state(
            ctx.state_path,
            merged.model_copy(update={"config_times": state.config_times}),
            log=ratings,  # dump's lines of the imported plans' ratings, the only ones now
        )
        with store.locked(cfg.config_path()):
            cfg.save_config(config)
    return ImportResult(sum(len(p.done_days()) for p in state.plans.values()), source, backup)
