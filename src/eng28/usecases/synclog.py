"""A sync merged by lines: what differs from HEAD is read, the rest stays as it is.

A sync needs every line of both logs only when they differ in most of them. Usually this
machine's log is what the last sync here wrote (the repository's HEAD, every line of it
validated then) plus a few lines added since, and the remote's months (see syncmonths)
differ from HEAD's in one or two. Then `Lines` reads and validates only the lines that
differ from HEAD, and hands the merge two states that hold the ratings of the cards those
lines touch (and of any card the two sides do not hold alike); every other card keeps its
record, as a merge of the whole states keeps it (merge._agreed_cards), and every other line
stays as it is in the log. Whatever this cannot show the same (a log rewritten here, a line
not as `dump` writes it, a line that a whole read would refuse), it declines, and the sync
merges whole states, which also names what is wrong. Tests compare the two, byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from eng28 import files, reviewlog, statefile
from eng28.errors import StateError
from eng28.merge import card_start
from eng28.models import PlanState, ReviewEntry, State
from eng28.usecases.syncmonths import Git, Tree, blobs, object_id

_MOMENT = b'"review_datetime":"'
#: Up to this many ids are looked for one by one in HEAD's log; more, in one pass.
_FEW = 6


class Declined(Exception):
    """The lines cannot show this merge the same as whole states do: merge whole states."""


# --- a sync merged by lines ------------------------------------------------------------

#: A line's card and plan as `reviewlog.dump` writes them (the only `"card":"` of a line:
#: a note's quotes are escaped, and the card a rating line carries is an object).
_CARD = re.compile(rb',"card":"([^"\\]+)","rating":')
_PLAN = re.compile(rb'^\{"plan":"([a-z0-9-]+)","entry":\{"id":"', re.MULTILINE)
#: The same at a line's start after the first: a literal first, which `re` looks for
#: fast (a pattern that begins with `^` is tried at every byte: ten times slower).
_NEXT_PLAN = re.compile(b"\n" + _PLAN.pattern[1:])
_ORDER = re.compile(
    rb'^\{"plan":"([a-z0-9-]+)","entry":\{"id":"([^"\\]+)",.*?' + _MOMENT + rb'([^"]+)"',
    re.MULTILINE,
)

Key = tuple[str, str]  # (plan, card) or (plan, review id)
_ESCAPED = re.compile(r'["\\]')


def order(line: bytes | memoryview) -> tuple[bytes, bytes, bytes]:
    found = _ORDER.match(line)
    if found is None:
        raise Declined
    return found.group(3), found.group(2), found.group(1)


@dataclass
class Lines:
    """The two sides of a sync as the merge needs them: each side's table and cards, with the
    ratings of the `touched` cards only; and what builds the merged log from them."""

    local: State
    remote: State
    log: bytes  # this machine's log: HEAD's months, then the lines added since
    bounds: dict[str, tuple[int, int]]  # where each of HEAD's months lies in `log`
    oids: dict[str, str]  # HEAD's months' object ids
    rated: Rated  # the (plan, card) of each of HEAD's lines
    local_versions: dict[Key, ReviewEntry]  # (plan, id): a rating added or amended here
    remote_versions: dict[Key, ReviewEntry]  # (plan, id): a line of the remote not HEAD's
    missing: dict[Key, str]  # (plan, id): card, of HEAD's ratings the remote does not hold
    touched: set[Key] = field(default_factory=set)  # (plan, card)
    _read: dict[int, ReviewEntry] = field(default_factory=dict)  # HEAD's lines read

    def base_entry(self, offset: int) -> ReviewEntry:
        """The rating of HEAD's line at `offset` (validated when HEAD was written)."""
        entry = self._read.get(offset)
        if entry is None:
            end = self.log.index(b"\n", offset) + 1
            line = reviewlog.read_lines(self.log[offset:end], "HEAD")[0]
            if line.entry is None:
                raise Declined
            entry = self._read[offset] = line.entry
        return entry

    def sides(self) -> tuple[State, State]:
        return self.local, self.remote

    def ready(
        self, first_due: Callable[[datetime], datetime], check: Callable[[State], None]
    ) -> bool:
        """Give both sides the ratings of the cards the merge must see (`first_due`: the
        merged rules'); `check`: the rules a remote's ratings are held to (it raises).
        False: the sync must merge whole states after all."""
        try:
            self.touch(first_due)
            check(self.remote)
        except (Declined, StateError, ValueError, IndexError):
            return False
        return True

    def touch(self, first_due: Callable[[datetime], datetime]) -> None:
        """The cards whose ratings the merge must see: those a line differing from HEAD
        rates, those the two sides do not hold alike, and those whose first due moment
        differs between the sides (which a merge replays: see merge._agreed_cards)."""
        keys = {(p, e.key) for (p, _), e in self.local_versions.items()}
        keys |= {(p, e.key) for (p, _), e in self.remote_versions.items()}
        keys |= {(p, card) for (p, _), card in self.missing.items()}  # their logs differ
        for plan_id in self.local.plans.keys() | self.remote.plans.keys():
            mine, theirs = self.local.plans.get(plan_id), self.remote.plans.get(plan_id)
            if mine is None or theirs is None or not (mine.cards and theirs.cards):
                raise Declined  # every card of the plan is replayed: the whole logs
            for card_id in mine.cards.keys() | theirs.cards.keys():
                if mine.cards.get(card_id) != theirs.cards.get(card_id):
                    keys.add((plan_id, card_id))
            for card_id in mine.cards.keys() | theirs.cards.keys():
                start = card_start(card_id, mine, first_due)
                if start != card_start(card_id, theirs, first_due):
                    keys.add((plan_id, card_id))
        for plan_id, card_id in self.rated.pairs():
            plan = self.local.plans.get(plan_id)
            if plan is None or card_id not in plan.cards:
                keys.add((plan_id, card_id))  # a rated card not held: the merge decides
        self.touched |= keys
        self._fill()

    def _fill(self) -> None:
        """Give each side the ratings of the touched cards as a read of its whole log would
        (HEAD's lines, as this side holds them, then its new ones), in the order of time."""
        in_base: set[Key] = set()
        for side, versions, remote in (
            (self.local, self.local_versions, False),
            (self.remote, self.remote_versions, True),
        ):
            rows: dict[str, list[ReviewEntry]] = {}
            where = self.rated.where(self.touched)
            for plan_id, card_id in self.touched:
                for offset in where[(plan_id, card_id)]:
                    base = self.base_entry(offset)
                    in_base.add((plan_id, base.id))
                    if remote and (plan_id, base.id) in self.missing:
                        continue
                    rows.setdefault(plan_id, []).append(versions.get((plan_id, base.id), base))
            for (plan_id, entry_id), entry in versions.items():
                if (plan_id, entry_id) not in in_base and (plan_id, entry.key) in self.touched:
                    rows.setdefault(plan_id, []).append(entry)
            for plan_id, plan in side.plans.items():
                entries = rows.get(plan_id, [])
                plan.reviews = sorted(entries, key=lambda e: (e.review_datetime, e.id))

    def settled(self, merged: State, first_due: Callable[[datetime], datetime]) -> bool:
        """Whether every card not touched kept its record in `merged` for the reason a merge
        of whole states keeps it: the same first due moment on both sides and in the merge.
        False: more cards were touched (merge again)."""
        more = set()
        for plan_id, plan in merged.plans.items():
            mine, theirs = self.local.plans[plan_id], self.remote.plans[plan_id]
            for card_id in plan.cards.keys() | mine.cards.keys():
                if (plan_id, card_id) in self.touched:
                    continue
                start = card_start(card_id, plan, first_due)
                if start != card_start(card_id, mine, first_due) or start != card_start(
                    card_id, theirs, first_due
                ):
                    more.add((plan_id, card_id))
        if more:
            self.touched |= more
            self._fill()
        return not more

    def months(self, merged: State) -> dict[str, bytes | memoryview]:
        """The merged log by months (HEAD's own where the merge left them as they were)."""
        base_ids: dict[Key, int] = {}
        where = self.rated.where(self.touched)
        for plan_id, card_id in self.touched:
            for offset in where[(plan_id, card_id)]:
                base_ids[(plan_id, self.base_entry(offset).id)] = offset
        changed: dict[str, dict[int, bytes]] = {}  # month: {offset in log: its new line}
        added: dict[str, list[bytes]] = {}
        for plan_id, plan in merged.plans.items():
            for entry in plan.reviews:
                line = reviewlog.entry_line(plan_id, entry)
                offset = base_ids.get((plan_id, entry.id))
                if offset is None:
                    added.setdefault(entry.review_datetime[:7], []).append(line)
                elif self.log[offset : offset + len(line)] != line:  # one line, \n-ended
                    month = self._month_of(offset)
                    if month == entry.review_datetime[:7]:
                        changed.setdefault(month, {})[offset] = line
                    else:  # the merge took a version of another moment: it moves month
                        changed.setdefault(month, {})[offset] = b""
                        added.setdefault(entry.review_datetime[:7], []).append(line)
        months: dict[str, bytes | memoryview] = {}
        for name in sorted(self.bounds.keys() | added.keys()):
            start, end = self.bounds.get(name, (0, 0))
            if name not in changed and name not in added:
                months[name] = memoryview(self.log)[start:end]
                continue
            swap = changed.get(name, {})
            view = memoryview(self.log)  # HEAD's lines stay where they are, not copied
            lines: list[bytes | memoryview] = [
                swap[at] if at in swap else view[at:stop]
                for at, stop in _spans(self.log, start, end)
            ]
            lines += added.get(name, [])
            data = b"".join(sorted(filter(None, lines), key=order))
            if data:  # a month whose ratings all moved is no file
                months[name] = data
        return months

    def _month_of(self, offset: int) -> str:
        for name, (start, end) in self.bounds.items():
            if start <= offset < end:
                return name
        raise Declined


def prepare(
    git: Git,
    trees: list[Tree],
    local_files: tuple[bytes | None, ...],
    remote: State,
    state_path: Path,
    plan_id: statefile.PlanIdOf,
    now: datetime,
) -> Lines | None:
    """This machine's and the remote's sides (`trees`: HEAD's and the remote's logs;
    `local_files`: the state file's and the log's bytes here; `remote`: the remote's table,
    its ratings not read) as the lines that differ from HEAD, or None when the sync must
    merge whole states (see the module's docstring). Then `ready`."""
    try:
        ours, theirs = trees
        lines = _prepare(
            git, ours, theirs, local_files[0], local_files[1], remote, state_path, plan_id
        )
        _check_clock(lines.log, sum(size for _, size in ours.months.values()), now)
        return lines
    except (Declined, StateError, ValueError, IndexError):
        return None


def _prepare(
    git: Git,
    ours: Tree,
    theirs: Tree,
    raw_state: bytes | None,
    log: bytes | None,
    remote: State,
    state_path: Path,
    plan_id: statefile.PlanIdOf,
) -> Lines:
    if raw_state is None or log is None or ours.whole or theirs.whole or not ours.months:
        raise Declined
    if ours.months.keys() - theirs.months.keys():
        raise Declined  # the remote lost a month of HEAD's
    if sum(size for _, size in theirs.months.values()) > files.MAX_BYTES:
        raise Declined  # the whole read refuses it
    # This machine's log begins with HEAD's months, byte for byte.
    bounds, oids, pos = {}, {}, 0
    for name, (oid, size) in ours.months.items():
        if object_id(memoryview(log)[pos : pos + size], oid) != oid:
            raise Declined
        bounds[name], oids[name], pos = (pos, pos + size), oid, pos + size
    end = pos
    local, version = statefile.parse_state(raw_state, state_path, plan_id, copy=True)
    if version != statefile.SCHEMA_VERSION:
        raise Declined
    rated = Rated.of(log, end)
    tail = reviewlog.read_lines(log[end:], "log")
    remote_lines, missing_lines = _remote_lines(git, ours, theirs, log, bounds)
    found = reviewlog.read_lines(b"".join(remote_lines), "remote") if remote_lines else []
    gone = dict(map(_id_and_card, missing_lines))  # (plan, id): card
    # Ids looked for in HEAD's log: a rating added on either side must be new to it.
    wanted = {(ln.plan, ln.amend or "") for ln in tail if ln.amend is not None}
    wanted |= {(ln.plan, ln.entry.id) for ln in [*tail, *found] if ln.entry is not None}
    in_base = _find_ids(log, end, wanted)
    local_versions = _apply_tail(tail, local, log, end, in_base)
    remote_versions: dict[Key, ReviewEntry] = {}
    if any(_ESCAPED.search(entry_id) for _, entry_id in wanted):
        raise Declined  # an id JSON escapes: the lines' patterns do not read it
    for line in found:
        if line.entry is None or line.card is not None:
            raise Declined  # a repository's log holds ratings alone
        key = (line.plan, line.entry.id)
        if key in remote_versions or (key in in_base and gone.get(key) != line.entry.key):
            raise Declined  # there twice, or another card's: the whole read names it
        remote_versions[key] = line.entry
    missing = {key: card for key, card in gone.items() if key not in remote_versions}
    # The plans each side's whole log would bring (see statefile.with_log).
    held = rated.lines_per_plan()
    here = set(held) | {p for p, _ in local_versions}
    for plan, _ in missing:
        held[plan] -= 1
    there = {p for p, n in held.items() if n > 0} | {p for p, _ in remote_versions}
    for side, plans in ((local, here), (remote, there)):
        for plan in sorted(plans - set(side.plans)):
            side.plans[plan] = PlanState()
    return Lines(
        local=local,
        remote=remote,
        log=log,
        bounds=bounds,
        oids=oids,
        rated=rated,
        local_versions=local_versions,
        remote_versions=remote_versions,
        missing=missing,
    )


_UNDONE = re.compile(rb'"undone_at":"([^"]+)"')


def _check_clock(log: bytes, end: int, now: datetime) -> None:
    """Decline when HEAD's ratings (the first `end` bytes of `log`) hold a moment later than
    `now` and its margin, as the whole read of the remote's copy of them refuses it (a clock
    set back since HEAD was written): their latest rating is the last line, in time order."""
    limit = now + statefile.FUTURE_MARGIN
    last = log[log.rfind(b"\n", 0, end - 1) + 1 : end]
    moments = [order(last)[0]] if last else []
    moments += _UNDONE.findall(log, 0, end)
    if any(datetime.fromisoformat(m.decode()) > limit for m in moments):
        raise Declined


@dataclass
class Rated:
    """HEAD's lines (the first `end` bytes of `log`, each as `reviewlog.dump` writes it) by
    the plan and card each rates, in the log's order; where the lines of the cards a merge
    touches begin is worked out when asked, for those cards alone."""

    log: bytes
    end: int
    plans: list[bytes]
    cards: list[bytes]
    _where: dict[Key, list[int]] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)  # each line's, once first asked

    @classmethod
    def of(cls, log: bytes, end: int) -> Rated:
        cards = _CARD.findall(log, 0, end)
        first = _PLAN.match(log, 0, end)
        plans = [first.group(1)] if first else []
        plans += _NEXT_PLAN.findall(log, 0, end)
        if not len(cards) == len(plans) == log.count(b"\n", 0, end):
            raise Declined  # a line not as dump writes it
        return cls(log, end, plans, cards)

    def pairs(self) -> set[Key]:
        """Each (plan, card) that HEAD's lines rate."""
        return {(p.decode(), c.decode()) for p, c in set(zip(self.plans, self.cards, strict=True))}

    def lines_per_plan(self) -> dict[str, int]:
        return {p.decode(): n for p, n in Counter(self.plans).items()}

    def where(self, keys: set[Key]) -> dict[Key, list[int]]:
        """Where HEAD's lines of each of `keys` (plan, card) begin in `log`."""
        new = {(p.encode(), c.encode()): (p, c) for p, c in keys if (p, c) not in self._where}
        if new:
            for key in new.values():
                self._where[key] = []
            if not self._starts:  # a merge that touches more cards asks again
                following = _NEXT_PLAN.finditer(self.log, 0, self.end)
                self._starts = [0] + [m.start() + 1 for m in following]
            cards = {card for _, card in new}
            for index, card in enumerate(self.cards):
                if card in cards and (key := new.get((self.plans[index], card))) is not None:
                    self._where[key].append(self._starts[index])
        return {key: self._where[key] for key in keys}


def _id_and_card(line: bytes) -> tuple[Key, str]:
    found, card = _ORDER.match(line), _CARD.search(line)
    if found is None or card is None:
        raise Declined
    return (found.group(1).decode(), found.group(2).decode()), card.group(1).decode()


def _remote_lines(
    git: Git, ours: Tree, theirs: Tree, log: bytes, bounds: dict[str, tuple[int, int]]
) -> tuple[list[bytes], list[bytes]]:
    """The remote's lines that are not HEAD's, and HEAD's lines the remote does not hold,
    from the months whose objects differ (lines are told apart by their hashes, then their
    bytes: no month is held twice as lines)."""
    names = [n for n, (oid, _) in theirs.months.items() if ours.months.get(n, ("",))[0] != oid]
    if sum(theirs.months[n][1] for n in names) > files.MAX_BYTES:
        raise Declined
    new, gone = [], []
    for name, data in zip(names, blobs(git, [theirs.months[n][0] for n in names]), strict=True):
        if data and not data.endswith(b"\n"):
            raise Declined  # a line cut short: the whole read decides
        start, end = bounds.get(name, (0, 0))
        before: dict[int, list[int]] = {}  # hash of a HEAD line: where such lines begin
        for at, stop in _spans(log, start, end):
            before.setdefault(hash(log[at:stop]), []).append(at)
        held: set[int] = set()  # HEAD's lines the remote holds
        seen: dict[int, list[int]] = {}  # hash of a remote line: where such lines begin
        for at, stop in _spans(data, 0, len(data)):
            line = data[at:stop]
            if not line.strip():
                continue  # a blank line: every read passes over it
            digest = hash(line)
            if any(data[o : o + len(line)] == line for o in seen.get(digest, [])):
                raise Declined  # a line there twice: the whole read names it
            seen.setdefault(digest, []).append(at)
            found = [o for o in before.get(digest, []) if log[o : o + len(line)] == line]
            if found:
                held.update(found)
            else:
                new.append(line)
        gone += [log[at:stop] for at, stop in _spans(log, start, end) if at not in held]
    return new, gone


def _spans(data: bytes, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Where each line of `data[start:end]` begins and ends (its newline included)."""
    while start < end:
        stop = data.index(b"\n", start, end) + 1
        yield start, stop
        start = stop


def _find_ids(log: bytes, end: int, wanted: set[Key]) -> dict[Key, int]:
    """Where HEAD's lines of the ratings `wanted` (plan, id) begin, for those it holds."""
    found: dict[Key, int] = {}
    if len(wanted) <= _FEW:
        for plan_id, entry_id in wanted:
            needle = b'{"plan":"%s","entry":{"id":"%s","' % (plan_id.encode(), entry_id.encode())
            at = log.find(needle, 0, end)
            if at >= 0:
                found[(plan_id, entry_id)] = at
        return found
    for match in _ORDER.finditer(log, 0, end):
        key = (match.group(1).decode(), match.group(2).decode())
        if key in wanted:
            found[key] = match.start()
    return found


def _apply_tail(
    tail: list[reviewlog.LogLine],
    local: State,
    log: bytes,
    end: int,
    in_base: dict[Key, int],
) -> dict[Key, ReviewEntry]:
    """The lines added here since HEAD, applied as `reviewlog.parse` applies them: new
    ratings, amendments, and the cards the lines past the state file's fold bring."""
    folded = local.log_folded
    if folded > len(log) or (folded and log[folded - 1 : folded] != b"\n"):
        folded = len(log)
    fresh = len(tail) - len(reviewlog.read_lines(log[max(folded, end) :], "log"))
    versions: dict[Key, ReviewEntry] = {}
    for index, line in enumerate(tail):
        if line.entry is not None:
            key = (line.plan, line.entry.id)
            if key in versions or key in in_base:
                raise Declined
            target = versions[key] = line.entry
        else:
            key = (line.plan, line.amend or "")
            current = versions.get(key)
            if current is None and key in in_base:
                offset = in_base[key]
                stop = log.index(b"\n", offset) + 1
                first = reviewlog.read_lines(log[offset:stop], "log")[0]
                current = first.entry
            if current is None:
                raise Declined
            amended = {"note": line.note, "undone_at": line.undone_at}
            change = {k: v for k, v in amended.items() if v is not None}
            target = versions[key] = current.model_copy(update=change)
        if line.card is not None and index >= fresh:
            local.plans.setdefault(line.plan, PlanState()).cards[target.key] = line.card
    return versions
