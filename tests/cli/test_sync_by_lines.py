"""A sync merged by lines (usecases/synclog.py) leaves what a merge of whole states leaves,
and declines whatever it cannot show the same: each story runs twice from scratch, once as
eng28 syncs and once with the merge by lines turned off, and the homes and the remote's
log must come out byte for byte alike (or fail with the same message)."""

import json
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAMES = ("state.toml", "reviews.jsonl", "config.toml")


def git(repo, *args):
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class World:
    """Two machines and a bare remote in `folder`; `foreign` pushes straight to the remote
    (as another program, a newer or an older eng28 would)."""

    def __init__(self, folder, run, mini_plan):
        self.folder, self.run = folder, run
        self.bare = folder / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.bare)], check=True)
        self.homes = {name: folder / name for name in ("laptop", "work")}
        for machine in self.homes:
            self.on(machine, "config", "plan", str(mini_plan), now="2026-11-30T08:00")
        self.on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
        self.on("laptop", "done", "1", "--ahead", "-m", "queues", now="2026-12-01T20:00")
        self.on("laptop", "done", "2", "--ahead", "-m", "caches", now="2026-12-01T20:10")
        self.on("laptop", "sync", "init", str(self.bare), now="2026-12-01T21:00")
        self.on("work", "sync", "init", str(self.bare), now="2026-12-02T08:00")
        self.on("work", "review", "1", "--rating", "good", "-m", "first go", now="2026-12-02T09:00")
        self.on("work", "review", "2", "--rating", "hard", now="2026-12-02T09:01")
        self.on("work", "sync", now="2026-12-02T09:30")
        self.on("laptop", "sync", now="2026-12-02T10:00")

    @staticmethod
    def extend(args):
        if args[0] == "review" and "--rating" in args:
            return (*args, "--early")  # whenever it is due: the story is about the logs
        return args

    def on(self, machine, *args, now):
        args = self.extend(args)
        result = self.run(*args, now=now, env={"ENG28_HOME": str(self.homes[machine])})
        assert result.exit_code == 0 or args[0] == "sync", result.output
        return result

    def foreign(self, edit):
        """Clone the remote, let `edit(folder)` change its files, commit and push."""
        other = self.folder / "foreign"
        if not other.exists():
            subprocess.run(["git", "clone", "-q", "-b", "main", str(self.bare), str(other)])
        git(other, "pull", "-q", "origin", "main")
        edit(other)
        git(other, "add", "-A")
        git(other, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "foreign")
        git(other, "push", "-q", "origin", "HEAD:main")

    def files(self):
        found = {(m, n): (h / n).read_bytes() for m, h in self.homes.items() for n in NAMES}
        listing = git(self.bare, "ls-tree", "-r", "--name-only", "main")
        for name in listing.splitlines():
            shown = ["git", "-C", str(self.bare), "show", f"main:{name}"]
            found["remote", name] = subprocess.run(shown, capture_output=True).stdout
        return found


def counted(method, calls):
    def spy(*args):
        calls.append(1)
        return method(*args)

    return spy


def twice(tmp_path, run, mini_plan, monkeypatch, story):
    """The files after `story(world)` as eng28 syncs, and with the merge by lines off; and
    what each sync said, and how many syncs merged by lines to the end."""
    from eng28.usecases import synclog

    outcomes = []
    for by_lines in (True, False):
        merged = []
        with monkeypatch.context() as patch:
            if by_lines:
                patch.setattr(synclog.Lines, "months", counted(synclog.Lines.months, merged))
            else:
                patch.setattr(synclog, "prepare", lambda *args: None)
            world = World(tmp_path / str(by_lines), run, mini_plan)
            merged.clear()
            said = [
                re.sub(r"remote [0-9a-f]{8}:", "remote <commit>:", s).replace(
                    str(world.folder), "<here>"
                )
                for s in story(world)
            ]
            outcomes.append((world.files(), said, len(merged)))
    (fast, fast_said, used), (whole, whole_said, _) = outcomes
    assert fast_said == whole_said
    assert fast == whole
    return fast, fast_said, used


def month_lines(folder, month="2026-12"):
    path = folder / "reviews" / f"{month}.jsonl"
    return path, path.read_text().splitlines(keepends=True)


def test_ratings_notes_and_undos_on_both_sides_merge_by_lines(
    tmp_path, run, mini_plan, monkeypatch
):
    def story(w):
        w.on("work", "review", "1", "--rating", "again", now="2026-12-03T09:00")
        w.on("laptop", "review", "2", "--rating", "easy", "-m", "got it", now="2026-12-03T10:00")
        w.on("laptop", "review", "1", "--undo", now="2026-12-03T10:05")
        w.on("work", "done", "3", "--ahead", "-m", "logs", now="2026-12-03T20:00")
        said = [w.on(m, "sync", now="2026-12-03T21:00").output for m in ("work", "laptop", "work")]
        w.on("laptop", "review", "2", "--undo", now="2026-12-03T21:10")
        return said + [w.on(m, "sync", now="2026-12-03T22:00").output for m in ("laptop", "work")]

    files, said, used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used == 5  # every sync merged by lines
    assert ("remote", "reviews/2026-12.jsonl") in files
    assert ("remote", "reviews.jsonl") not in files
    assert files["laptop", "reviews.jsonl"] == files["work", "reviews.jsonl"]
    assert files["laptop", "reviews.jsonl"] == files["remote", "reviews/2026-12.jsonl"]
    log = [json.loads(line) for line in files["laptop", "reviews.jsonl"].splitlines()]
    assert [(e["entry"]["rating"], "undone_at" in e["entry"]) for e in log] == [
        (3, True),  # work's first Good, undone on the laptop
        (2, False),
        (1, False),
        (4, True),
    ]


def test_a_remote_that_dropped_a_line_keeps_it_on_both_sides(tmp_path, run, mini_plan, monkeypatch):
    def drop_first(folder):
        path, lines = month_lines(folder)
        path.write_text("".join(lines[1:]))

    def story(w):
        w.foreign(drop_first)
        w.on("laptop", "review", "2", "--rating", "good", now="2026-12-03T10:00")
        return [w.on(m, "sync", now="2026-12-03T21:00").output for m in ("laptop", "work")]

    files, _, used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used == 2
    assert b"first go" in files["remote", "reviews/2026-12.jsonl"]


def test_a_remote_note_changed_in_place_is_joined_with_this_machines(
    tmp_path, run, mini_plan, monkeypatch
):
    def renote(folder):
        path, lines = month_lines(folder)
        line = json.loads(lines[0])
        line["entry"]["note"] = "first go, and a second thought"
        path.write_text(json.dumps(line, separators=(",", ":")) + "\n" + "".join(lines[1:]))

    def story(w):
        w.foreign(renote)
        return [w.on("laptop", "sync", now="2026-12-03T21:00").output]

    files, _, used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used == 1
    assert b"first go, and a second thought" in files["laptop", "reviews.jsonl"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # the same rating again, in a month file of its own: the whole read names it
        (lambda lines: {"2026-11": lines[:1]}, "is there twice"),
        (lambda lines: {"2026-12": ['{"plan": "mini-plan"}\n', *lines]}, "line 1:"),
        (lambda lines: {"2026-12": [*lines, "[1, 2]\n"]}, "should be an object"),
        (lambda lines: {"2026-12": [lines[0].replace('"rating":3', '"rating":9')]}, "rating"),
    ],
    ids=["twice", "not a rating", "not an object", "rating 9"],
)
def test_a_broken_remote_month_is_named_and_nothing_here_changes(
    tmp_path, run, mini_plan, monkeypatch, edit, message
):
    def damage(folder):
        _, lines = month_lines(folder)
        for month, new in edit(lines).items():
            (folder / "reviews" / f"{month}.jsonl").write_text("".join(new))

    def story(w):
        before = {n: (w.homes["laptop"] / n).read_bytes() for n in NAMES}
        w.foreign(damage)
        result = w.on("laptop", "sync", now="2026-12-03T21:00")
        assert result.exit_code == 1
        assert {n: (w.homes["laptop"] / n).read_bytes() for n in NAMES} == before
        return [result.output]

    _, (said,), used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used == 0
    assert message in said and "local state untouched" in said
    assert "reviews/2026-" in said or "twice" in said
    assert len(said.strip().splitlines()) == 1


def test_an_older_eng28s_one_file_log_is_read_and_the_next_sync_writes_months(
    tmp_path, run, mini_plan, monkeypatch
):
    def to_one_file(folder):
        path, lines = month_lines(folder)
        (folder / "reviews.jsonl").write_text("".join(lines))
        shutil.rmtree(folder / "reviews")

    def story(w):
        w.foreign(to_one_file)  # as an older eng28 pushes it
        w.on("work", "review", "2", "--rating", "good", now="2026-12-03T10:00")
        return [w.on(m, "sync", now="2026-12-03T21:00").output for m in ("work", "laptop")]

    files, _, used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used == 1  # the work machine's sync read the one file whole; the laptop's, lines
    assert ("remote", "reviews.jsonl") not in files
    assert files["laptop", "reviews.jsonl"] == files["remote", "reviews/2026-12.jsonl"]
    assert files["laptop", "reviews.jsonl"].count(b"\n") == 3


def test_the_repositorys_state_file_is_one_an_older_eng28_refuses_to_merge(
    tmp_path, run, mini_plan
):
    """An eng28 from before the months would find no ratings in the repository and sync
    without them; the repository's state.toml says schema 6, which its reader (the same
    function as this one's, up to schema 5) refuses as written by a newer eng28."""
    from eng28 import statefile
    from eng28.usecases import syncmonths

    world = World(tmp_path, run, mini_plan)
    raw = world.files()["remote", "state.toml"]
    assert raw.startswith(b"schema_version = 6\n")
    with pytest.raises(statefile.NewerSchemaError, match="newer eng28.*upgrade eng28"):
        statefile.parse_state(raw, tmp_path / "state.toml")
    shared = syncmonths.as_state_file(raw)
    assert statefile.parse_state(shared, tmp_path / "state.toml")[1] == 5


CARDS = ["1", "2", "1:full-queue", "1:why-bound", "2:protocol"]


def random_story(seed):
    """Two machines rating, noting, undoing and finishing days in a seeded order, with syncs
    between: the same steps whichever way the syncs merge."""
    import random

    rng = random.Random(seed)
    steps = []
    for hour in range(14):
        machine = rng.choice(["laptop", "work"])
        roll = rng.random()
        card = rng.choice(CARDS)
        if roll < 0.45:
            rating = rng.choice(["again", "hard", "good", "easy"])
            note = ["-m", f"note {hour}"] if rng.random() < 0.3 else []
            steps.append((machine, ("review", card, "--rating", rating, *note)))
        elif roll < 0.6:
            steps.append((machine, ("review", card, "--undo")))
        elif roll < 0.7:
            steps.append((machine, ("done", "3", "--ahead", "-m", f"day 3 from {machine}")))
        else:
            steps.append((machine, ("sync",)))
    return steps + [(m, ("sync",)) for m in ("laptop", "work", "laptop")]


@pytest.mark.parametrize("seed", range(4))
def test_random_stories_merge_by_lines_as_whole_states_do(
    tmp_path, run, mini_plan, monkeypatch, seed
):
    def story(w):
        said = []
        for hour, (machine, args) in enumerate(random_story(seed)):
            now = f"2026-12-{3 + hour // 10:02d}T{8 + hour % 10:02d}:00"
            result = w.run(*w.extend(args), now=now, env={"ENG28_HOME": str(w.homes[machine])})
            said.append(f"{machine} {' '.join(args)}: {result.exit_code} {result.output}")
        return said

    files, _, used = twice(tmp_path, run, mini_plan, monkeypatch, story)
    assert used  # some syncs merged by lines
    assert files["laptop", "reviews.jsonl"] == files["work", "reviews.jsonl"]
