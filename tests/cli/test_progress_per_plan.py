"""Progress per plan (schema 3), parts of a day, the LeetCode log."""

import json
import shutil
import subprocess
import tomllib

import pytest

from eng28.models import SCHEMA_VERSION
from tests.conftest import DATA, setup
from tests.helpers import state_file


def test_a_new_plan_never_shows_the_progress_of_another(run, home, tmp_path):
    setup(run, "today")
    setup(run, "done", "2", "--ahead", "-m", "spark shuffles")
    other = tmp_path / "p.toml"
    setup(run, "plan", "new", str(other), "--days", "3", "--title", "X")
    rows = json.loads(run("--plan", str(other), "plan", "--json").stdout)
    assert [r["status"] for r in rows] == ["upcoming"] * 3
    assert "No review cards due" in run("--plan", str(other), "review", "--list").stdout
    assert "spark" not in run("--plan", str(other), "journal").stdout
    assert "spark shuffles" not in run("--plan", str(other), "show", "2").stdout
    # The same through ENG28_PLAN and `config plan`.
    assert "spark" not in run("show", "2", env={"ENG28_PLAN": str(other)}).stdout
    setup(run, "config", "plan", str(other))
    assert json.loads(run("today", "--json").stdout)["day"]["number"] == 1
    assert "spark" not in run("journal").stdout
    setup(run, "config", "plan", "--unset")
    assert "spark shuffles" in run("show", "2").stdout  # back in its own plan
    listed = json.loads(run("plans", "--json").stdout)
    assert listed == [
        {
            "id": "eng28",
            "title": "The 28-Day Engineering Plan",
            "path": str(DATA.parents[1] / "plan" / "eng28.toml"),
            "start": "2026-12-01",
            "day": 1,
            "total": 28,
            "done": 1,
        },
        {
            "id": "x",
            "title": "X",
            "path": str(other),
            "start": "2026-12-01",
            "day": 1,
            "total": 3,
            "done": 0,
        },
    ]
    text = run("plans").stdout
    assert "* eng28" in text and "  x  X  day 1 of 3, 0 done" in text


def test_a_plan_without_an_id_gets_one_from_its_title_and_validate_warns(run, mini_plan):
    result = run("plan", "validate", str(mini_plan))
    assert result.exit_code == 0
    assert "no `id`: progress is filed under 'mini-plan'" in result.stderr
    setup(run, "--plan", str(mini_plan), "today")
    listed = json.loads(run("plans", "--json").stdout)
    assert [(p["id"], p["start"]) for p in listed] == [("eng28", None), ("mini-plan", "2026-12-01")]


def test_the_bundled_and_example_plans_and_plan_new_carry_an_id(run, tmp_path):
    assert "warning" not in run("plan", "validate").stderr
    example = DATA.parents[1] / "plan" / "examples" / "git-internals" / "plan.toml"
    assert "warning" not in run("plan", "validate", str(example)).stderr
    setup(run, "plan", "new", str(tmp_path / "n.toml"), "--days", "2", "--title", "Rust & Go!")
    assert tomllib.loads((tmp_path / "n.toml").read_text())["id"] == "rust-go"


SCHEMA_2 = """\
schema_version = 2

[days.1]
done = true
done_at = 2026-11-02T20:00:00Z
done_on = 2026-11-02
reflection = \"\"\"Tabs\tand "quotes" and ünïcödé,
a second line, and a trailing space \"\"\"
reflection_at = 2026-11-03T09:00:00Z
changed_at = 2026-11-03T09:00:00Z

[[days.1.earlier]]
text = "The first version, kept."
written_at = 2026-11-02T20:00:00Z

[days.2]
done = false
skipped = true
changed_at = 2026-11-04T09:00:00Z

[cards.1]
card_id = 1
state = 2
step = 0
stability = 3.2
difficulty = 5.1
due = "2026-11-06T04:00:00+00:00"
last_review = "2026-11-03T10:00:00+00:00"

[[reviews]]
id = "1@2026-11-03T10:00:00+00:00"
card_id = 1
rating = 3
review_datetime = "2026-11-03T10:00:00+00:00"
note = "review note, kept"

[[pauses]]
start = 2026-11-10
end = 2026-11-12
"""


def test_a_schema_2_state_is_filed_under_the_plan_in_use_after_a_backup(run, home, use_mini):
    setup(run, "config", "rest_days", "none")
    (home / "config.toml").write_text((home / "config.toml").read_text() + 'start = "2026-11-02"\n')
    (home / "state.toml").write_text(SCHEMA_2)
    before = json.loads(run("journal", "--format", "json").stdout)
    assert [e["reflection"] for e in before][0].startswith('Tabs\tand "quotes" and ünïcödé')
    setup(run, "today", now="2026-11-20T10:00")  # the first write upgrades the file
    state = state_file(home / "state.toml")
    assert state["schema_version"] == SCHEMA_VERSION and list(state["plans"]) == ["mini-plan"]
    mine = state["plans"]["mini-plan"]
    assert mine["start"].isoformat() == "2026-11-02"  # the config's start is the plan's now
    assert "start" not in tomllib.loads((home / "config.toml").read_text())
    assert mine["pauses"] == [
        {"start": mine["pauses"][0]["start"], "end": mine["pauses"][0]["end"]}
    ]
    backups = sorted(
        p.name for p in (home / "backups").iterdir() if p.name.endswith("schema2.toml")
    )
    assert backups and (home / "backups" / backups[0]).read_text() == SCHEMA_2
    after = json.loads(run("journal", "--format", "json").stdout)
    assert after == before  # every byte of the learner's text, the earlier version and notes
    assert "The first version, kept." in json.dumps(after)
    assert "review note, kept" in json.dumps(after)
    assert run("config", "start").stdout.strip() == "2026-11-02"
    rows = {r["number"]: r["status"] for r in json.loads(run("plan", "--json").stdout)}
    assert rows[1] == "done" and rows[2] == "skipped"


def test_config_start_moves_the_start_of_the_plan_in_use_only(run, use_mini, tmp_path):
    setup(run, "today")
    other = tmp_path / "p.toml"
    setup(run, "plan", "new", str(other), "--days", "2", "--title", "Other")
    setup(run, "--plan", str(other), "today", now="2026-12-03T10:00")
    assert run("config", "start", "2026-11-29").stdout.strip() == "start = 2026-11-29"
    starts = {p["id"]: p["start"] for p in json.loads(run("plans", "--json").stdout)}
    assert starts == {"mini-plan": "2026-11-29", "other": "2026-12-03"}
    assert "start = 2026-11-29" in run("config").stdout
    assert run("config", "start", "--unset").exit_code == 2


def test_export_writes_every_plan_and_import_restores_what_it_holds(run, home, use_mini, tmp_path):
    setup(run, "today")
    setup(run, "done", "1", "-m", "mini one")
    other = tmp_path / "p.toml"
    setup(run, "plan", "new", str(other), "--days", "2", "--title", "Other")
    setup(run, "--plan", str(other), "today")
    setup(run, "--plan", str(other), "done", "1", "-m", "other one")
    everything = json.loads(run("export").stdout)
    assert sorted(everything["state"]["plans"]) == ["mini-plan", "other"]
    only = run("export", "--plan-id", "other").stdout
    assert list(json.loads(only)["state"]["plans"]) == ["other"]
    assert "no progress in a plan with id 'nope'" in run("export", "--plan-id", "nope").stderr
    (tmp_path / "other.json").write_text(only)
    setup(run, "--plan", str(other), "done", "2", "--ahead", "-m", "other two")
    setup(run, "done", "2", "--ahead", "-m", "mini two")
    setup(run, "import", str(tmp_path / "other.json"), "--yes")
    # The import held only "other": it is back as exported; the mini plan keeps its day 2.
    assert "other two" not in run("--plan", str(other), "journal").stdout
    assert "mini two" in run("journal").stdout
    (tmp_path / "all.json").write_text(json.dumps(everything))
    setup(run, "import", str(tmp_path / "all.json"), "--yes")
    assert "mini two" not in run("journal").stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_two_homes_synced_keep_each_plan_apart(run, tmp_path, mini_plan):
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    homes = {m: tmp_path / m for m in ("laptop", "work")}

    def on(machine, *args, now="2026-12-01T10:00"):
        result = run(*args, now=now, env={"ENG28_HOME": str(homes[machine])})
        assert result.exit_code == 0, result.output
        return result

    on("laptop", "--plan", str(mini_plan), "today")
    on("laptop", "--plan", str(mini_plan), "done", "1", "-m", "queues on the laptop")
    on("laptop", "sync", "init", str(bare))
    on("work", "today")
    on("work", "done", "1", "-m", "attention at work", now="2026-12-01T11:00")
    on("work", "sync", "init", str(bare), now="2026-12-01T12:00")
    on("laptop", "sync", now="2026-12-01T13:00")
    for machine in homes:
        mini = on(machine, "--plan", str(mini_plan), "journal", now="2026-12-01T14:00").stdout
        bundled = on(machine, "journal", now="2026-12-01T14:00").stdout
        assert "queues on the laptop" in mini and "attention" not in mini
        assert "attention at work" in bundled and "queues" not in bundled
    paths = {
        m: {p["id"]: p["path"] for p in json.loads(on(m, "plans", "--json").stdout)} for m in homes
    }
    assert paths["work"]["mini-plan"] == ""  # its file is the laptop's: no path is shared
    assert paths["laptop"]["mini-plan"] == str(mini_plan)


def test_ticks_show_on_the_card_the_plan_stats_and_json(run, use_mini):
    setup(run, "today")
    assert "Ticked video, r1" in run("tick", "video", "r1").stdout
    setup(run, "tick", "2", "readings")
    setup(run, "untick", "2", "r2")
    day1 = json.loads(run("show", "1", "--json").stdout)
    assert day1["parts"] == {
        "video": True,
        "readings": [True, False, False],
        "exercise": False,
        "leetcode": False,
        "reflection": False,
    }
    assert json.loads(run("today", "--json").stdout)["day"]["parts"]["video"] is True
    assert json.loads(run("show", "2", "--json").stdout)["parts"]["readings"] == [True, False, True]
    card = run("show", "1").stdout
    video = next(line for line in card.splitlines() if line.startswith("Video"))
    assert video.endswith("✓")
    setup(run, "done", "1", "-m", "done")
    assert json.loads(run("show", "1", "--json").stdout)["parts"]["reflection"] is True
    table = run("plan").stdout
    row = next(line for line in table.splitlines() if line.lstrip().startswith("01"))
    assert "●●○○○○●" in row
    stats = json.loads(run("stats", "--json").stdout)["parts"]
    assert stats["video"] == {"done": 1, "of": 1} and stats["readings"] == {"done": 1, "of": 3}
    bad = run("tick", "reflection")
    assert bad.exit_code == 2 and "ticked by `eng28 done`" in bad.stderr
    assert run("tick", "9", "video").exit_code == 1


def test_the_card_says_the_time_a_day_needs_and_what_is_left(run, use_mini):
    setup(run, "today")
    view = json.loads(run("show", "1", "--json").stdout)
    needed = view["minutes"]["needed"]
    assert needed == view["video"]["minutes"] + view["exercise"]["minutes"] + sum(
        {"paper": 45, "book": 40, "course": 40, "docs": 20, "blog": 15}[r["kind"]]
        for r in view["readings"]
    )
    setup(run, "tick", "video")
    left = json.loads(run("show", "1", "--json").stdout)["minutes"]["left"]
    assert left == needed - view["video"]["minutes"]
    assert "of it left" in run("show", "1").stdout


def test_the_leetcode_log(run, use_mini):
    setup(run, "today")
    lc = json.loads(run("show", "1", "--json").stdout)["leetcode"]
    tried = run("leetcode", "--attempted", "--minutes", "40", "--hint", "-m", "stuck on ties")
    assert f"Attempted {lc['number']}. {lc['title']}" in tried.stdout
    assert json.loads(run("show", "1", "--json").stdout)["parts"]["leetcode"] is False
    setup(run, "leetcode", "1", "--solved", "--minutes", "18", "--pattern", "two heaps")
    assert json.loads(run("show", "1", "--json").stdout)["parts"]["leetcode"] is True
    rows = json.loads(run("leetcode", "--list", "--json").stdout)
    first = rows[0]
    assert first["day"] == 1 and first["solved"] is True and first["best_minutes"] == 18
    assert first["patterns"] == ["two heaps"]
    assert [a["note"] for a in first["attempts"]] == ["stuck on ties", ""]
    assert "two heaps; stuck on ties" in run("leetcode", "--list").stdout
    assert run("leetcode").exit_code == 2
    assert run("leetcode", "--solved", "--attempted").exit_code == 2


def test_a_plan_title_in_the_state_is_held_to_the_rules(run, home, use_mini, tmp_path):
    import tomli_w

    setup(run, "today")
    data = state_file(home / "state.toml")
    data["plans"]["mini-plan"]["title"] = "Mini\x1b[2J"
    (home / "state.toml").write_text(tomli_w.dumps(data))
    result = run("plans")
    assert result.exit_code == 1
    assert "plans.mini-plan.title" in result.stderr and "control character" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
