"""`eng28 publish`: what the static site shows, where it may be written, and `share`/`unshare`.

Everything the site reads from the state is read by one function, `progress_for_site`, so that
a new shape of the state changes one place. Private by default: the learner's own text (the
reflection and the notes of its reviews) is on a day's page only with `--include-reflections`
or after `eng28 share DAY`. The pages themselves are drawn by `render.site`; this module writes
the files it is given, through the one atomic write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from eng28 import files, paths
from eng28.errors import Eng28Error, UsageError
from eng28.models import PARTS, Day, Share, Track, card_day
from eng28.plan import read_notes
from eng28.usecases.context import Context
from eng28.usecases.schedule import check_day, schedule, study_date_of

INDEX = "index.html"
STYLESHEET = "style.css"


def page_name(number: int) -> str:
    return f"day-{number:02d}.html"


@dataclass
class OwnText:
    """The learner's own words on one day, when they are to be published."""

    reflection: str
    follow_ups: list[tuple[date, str]]  # (study date of the review, its note)


@dataclass
class DayRecord:
    """What the site shows of the learner's progress on one day."""

    date: date | None
    status: str  # done | skipped | today | upcoming | missed
    done_at: datetime | None
    done_on: date | None
    has_own_text: bool  # anything written at all, published or not
    shared: bool  # marked with `eng28 share DAY`
    own_text: OwnText | None  # None: left out (or nothing written)
    #: Each part of the day (video, r1-r3, exercise, leetcode, reflection): ticked or not.
    parts: dict[str, bool] = field(default_factory=dict)


@dataclass
class Progress:
    """What the site shows of the learner's progress: per day, the study activity (days done
    plus reviews, per study date), the start, and the retention of each track's cards."""

    days: dict[int, DayRecord]
    activity: dict[date, int]
    start: date | None
    retention: list[tuple[Track, int, float]]  # (track, reviews, share not rated Again)


def progress_for_site(ctx: Context, include_reflections: bool) -> Progress:
    """What the site may show of the state. The only reader of the state here."""
    from eng28.usecases.reports import retention_groups

    state = ctx.load_state()
    shared = state.shared_days()
    notes: dict[int, list[tuple[date, str]]] = {}
    activity: dict[date, int] = {}
    for entry in sorted(state.kept_reviews(), key=lambda e: (e.review_datetime, e.id)):
        when = study_date_of(ctx, entry.review_datetime)
        activity[when] = activity.get(when, 0) + 1
        if entry.note.strip():
            notes.setdefault(card_day(entry.key), []).append((when, entry.note))
    records = {}
    for slot in schedule(ctx, state):
        progress = state.days.get(slot.number)
        reflection = progress.reflection if progress else ""
        follow_ups = notes.get(slot.number, [])
        written = bool(reflection.strip() or follow_ups)
        published = written and (include_reflections or slot.number in shared)
        if progress is not None and progress.done and progress.done_on:
            activity[progress.done_on] = activity.get(progress.done_on, 0) + 1
        records[slot.number] = DayRecord(
            date=slot.date,
            status=slot.status,
            done_at=progress.done_at if progress and progress.done else None,
            done_on=progress.done_on if progress and progress.done else None,
            has_own_text=written,
            shared=slot.number in shared,
            own_text=OwnText(reflection, follow_ups) if published else None,
            parts={
                **{part: progress is not None and progress.ticked(part) for part in PARTS},
                "reflection": progress is not None and progress.done,
            },
        )
    total = ctx.plan.total
    rated = [e for e in state.kept_reviews() if 1 <= card_day(e.key) <= total]
    groups = retention_groups([(ctx.plan.day(card_day(e.key)).track, e.rating) for e in rated])
    retention = [(t, *groups[t.id]) for t in ctx.plan.tracks if t.id in groups]
    return Progress(records, dict(sorted(activity.items())), state.start, retention)


@dataclass
class SiteDay:
    day: Day
    track: Track
    notes: str | None  # the Markdown of the day's notes
    record: DayRecord

    @property
    def page(self) -> str:
        return page_name(self.day.number)

    @property
    def own_text_state(self) -> str:
        """What --dry-run says of the learner's text on this day's page."""
        if self.record.own_text is not None:
            return "included (shared)" if self.record.shared else "included"
        return "left out" if self.record.has_own_text else "none written"


@dataclass
class SiteData:
    title: str
    description: str
    today: date
    start: date | None
    days: list[SiteDay]
    activity: dict[date, int]
    retention: list[tuple[Track, int, float]] = field(default_factory=list)
    base_url: str = ""  # "" for relative links, else ending in "/"
    include_reflections: bool = False

    @property
    def done(self) -> int:
        return sum(1 for d in self.days if d.record.status == "done")

    def href(self, name: str) -> str:
        return self.base_url + name


_BASE_URL = re.compile(r"^(https?://[^\s/\"'<>\\\x00-\x1f\x7f]+)?/[^\s\"'<>\\\x00-\x1f\x7f]*$")


def base_url(value: str | None) -> str:
    """The --base-url as a prefix of every link ("" when not given): an http(s) URL or an
    absolute path, with a trailing slash."""
    if not value:
        return ""
    if not _BASE_URL.match(value):
        raise UsageError(
            f"invalid --base-url {value!r}: use an absolute path such as /eng28/ or an "
            "http(s) URL such as https://example.org/eng28/"
        )
    return value if value.endswith("/") else value + "/"


def site_data(ctx: Context, include_reflections: bool = False, base: str | None = None) -> SiteData:
    """Everything the pages show: the plan, its notes and what the state may tell."""
    prefix = base_url(base)
    plan = ctx.plan
    progress = progress_for_site(ctx, include_reflections)
    days = [
        SiteDay(d, plan.track(d.track), read_notes(ctx.plan_path, d), progress.days[d.number])
        for d in plan.days
    ]
    return SiteData(
        title=plan.title,
        description=plan.description,
        today=ctx.today,
        start=progress.start,
        days=days,
        activity=progress.activity,
        retention=progress.retention,
        base_url=prefix,
        include_reflections=include_reflections,
    )


# --- where the site goes -----------------------------------------------------------------


def cache_site_dir() -> Path:
    """Where `eng28 notes DAY --browser` keeps the site it opens."""
    return Path(paths.cache_dir()) / "site"


def check_target(target: Path) -> Path:
    """The folder to write the site into, refused when it is (or lies inside) the sync
    repository, which is pushed to the learner's remote, or is not a folder."""
    from eng28.usecases.sync import repo_dir

    folder = target.expanduser().resolve()
    repo = repo_dir().resolve()
    if folder == repo or repo in folder.parents:
        raise Eng28Error(
            f"{target}: is inside eng28's sync repository ({repo}); publish the site to a "
            "folder of its own"
        )
    if folder.exists() and not folder.is_dir():
        raise Eng28Error(f"{target}: is not a folder")
    return folder


@dataclass
class PublishResult:
    folder: Path
    files: list[str]
    days: list[tuple[int, str]]  # (day, what of the learner's text is on its page)
    written: bool
    unchanged: int = 0  # files that already held these bytes
    extra: list[str] = field(default_factory=list)  # old day pages this plan no longer has


def write_site(
    target: Path, data: SiteData, pages: dict[str, bytes], dry_run: bool = False, mode: int = 0o644
) -> PublishResult:
    """Write `pages` (name -> bytes) into `target`, each file in one atomic step; a file that
    already holds the same bytes is left alone. `dry_run`: only say what would be written."""
    folder = check_target(target)
    result = PublishResult(
        folder=folder,
        files=sorted(pages),
        days=[(d.day.number, d.own_text_state) for d in data.days],
        written=not dry_run,
    )
    if folder.is_dir():
        pattern = re.compile(r"^day-\d{2,}\.html$")
        result.extra = sorted(
            p.name for p in folder.iterdir() if pattern.match(p.name) and p.name not in pages
        )
    if dry_run:
        return result
    if mode != 0o600:  # a site to serve: its folder readable by the web server (umask applies)
        folder.mkdir(parents=True, exist_ok=True, mode=0o755)
    for name, content in sorted(pages.items()):
        path = folder / name
        if path.is_file() and not path.is_symlink() and path.read_bytes() == content:
            result.unchanged += 1
            continue
        files.atomic_write(path, content, mode=mode)
    return result


# --- share / unshare ---------------------------------------------------------------------


@dataclass
class ShareResult:
    number: int
    title: str
    shared: bool
    changed: bool  # False: it already was
    has_text: bool


def share(ctx: Context, number: int, on: bool = True) -> ShareResult:
    """Mark a day's own text as published (`on`) or private again, with the time of the
    decision (a sync lets the later one win)."""
    check_day(ctx, number)
    with ctx.transaction() as state:
        before = number in state.shared_days()
        state.shared[number] = Share(shared=on, at=ctx.now)
        progress = state.days.get(number)
        has_text = bool(progress and progress.reflection.strip()) or any(
            card_day(e.key) == number and e.note.strip() for e in state.kept_reviews()
        )
    return ShareResult(number, ctx.plan.day(number).title, on, before != on, has_text)
