"""`eng28 import` takes the export's ratings as the review log's lines (reports.read_import)
and leaves what the import of them as models leaves: each import runs twice from the same
start, once as eng28 imports and once with the lines turned off, and the files must come
out byte for byte alike."""

import shutil

import pytest

from tests.conftest import setup

NAMES = ("state.toml", "reviews.jsonl", "config.toml")


def studied(run, home, plan, *, other_plan=None):
    """A home that studied `plan` (days done, ratings with notes, an undo)."""
    env = {"ENG28_HOME": str(home)}
    if other_plan is not None:  # ratings of another plan first, which the import keeps
        setup(run, "config", "plan", str(other_plan), env=env, now="2026-11-29T08:00")
        setup(run, "start", "2026-11-29", env=env, now="2026-11-29T08:00")
        setup(run, "done", "1", "-m", "other plan", env=env, now="2026-11-29T20:00")
        setup(run, "review", "1", "--rating", "good", "--early", env=env, now="2026-11-29T21:00")
    setup(run, "config", "plan", str(plan), env=env, now="2026-11-30T08:00")
    setup(run, "start", "2026-12-01", env=env, now="2026-12-01T08:00")
    setup(run, "done", "1", "--ahead", "-m", "queues", env=env, now="2026-12-01T20:00")
    setup(run, "done", "2", "--ahead", "-m", "caches", env=env, now="2026-12-01T20:10")
    for n, (card, rating) in enumerate([("1", "good"), ("1:why-bound", "hard"), ("2", "easy")]):
        now = f"2026-12-02T09:0{n}"
        args = ("review", card, "--rating", rating, "--early", "-m", f"note {n}")
        setup(run, *args, env=env, now=now)
    setup(run, "review", "1:why-bound", "--undo", env=env, now="2026-12-02T10:00")


@pytest.mark.parametrize("into", ["fresh", "same plan", "another plan too"])
def test_an_import_by_lines_leaves_what_an_import_of_models_leaves(
    run, tmp_path, mini_plan, monkeypatch, into
):
    from eng28.usecases import reports

    source = tmp_path / "source"
    studied(run, source, mini_plan)
    export = tmp_path / "export.json"
    export.write_text(run("export", env={"ENG28_HOME": str(source)}).output)
    other = tmp_path / "other-plan"
    shutil.copytree(mini_plan.parent, other)
    text = (other / "plan.toml").read_text()
    (other / "plan.toml").write_text(text.replace('title = "Mini Plan"', 'title = "Other Plan"'))

    start = tmp_path / "start"
    if into == "same plan":
        studied(run, start, mini_plan)
    elif into == "another plan too":
        studied(run, start, mini_plan, other_plan=other / "plan.toml")
    else:
        start.mkdir()
    outcomes = []
    for by_lines in (True, False):
        home = tmp_path / f"home-{by_lines}"
        shutil.copytree(start, home)
        with monkeypatch.context() as patch:
            if not by_lines:
                patch.setattr(reports, "read_import", lambda *a: (*reports.read_export(*a), None))
            env = {"ENG28_HOME": str(home)}
            result = run("import", str(export), "--yes", env=env, now="2026-12-03T08:00")
        assert result.exit_code == 0, result.output
        outcomes.append({n: (home / n).read_bytes() for n in NAMES if (home / n).exists()})
    assert outcomes[0] == outcomes[1]
    log = outcomes[0]["reviews.jsonl"]
    assert log.count(b"\n") == 3 + (into == "another plan too")
    assert b"note 1" in log and b"undone_at" in log


def test_an_export_with_a_rating_stamped_in_the_future_is_refused_by_its_key(
    run, tmp_path, mini_plan
):
    """The lines check the ratings' moments; one too late sends the import to the whole
    read, which names it by its key as ever."""
    import json

    source = tmp_path / "source"
    studied(run, source, mini_plan)
    data = json.loads(run("export", env={"ENG28_HOME": str(source)}).output)
    data["state"]["plans"]["mini-plan"]["reviews"][2]["review_datetime"] = (
        "2027-06-01T09:00:00+00:00"
    )
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data))
    home = tmp_path / "home"
    result = run("import", str(export), "--yes", env={"ENG28_HOME": str(home)}, now="2026-12-03")
    assert result.exit_code == 1
    assert "plans.mini-plan.reviews.2.review_datetime" in result.output
    assert "later than now" in result.output
    assert not (home / "reviews.jsonl").exists()


def _export_of(run, tmp_path, mini_plan):
    import json

    source = tmp_path / "source"
    studied(run, source, mini_plan)
    return json.loads(run("export", env={"ENG28_HOME": str(source)}).output)


def test_an_export_holding_a_rating_twice_is_refused_before_anything_is_written(
    run, tmp_path, mini_plan
):
    """Before, such an import wrote a log that every later command refused ("is there
    twice"): now the import itself names the rating."""
    import json

    data = _export_of(run, tmp_path, mini_plan)
    reviews = data["state"]["plans"]["mini-plan"]["reviews"]
    reviews.append(dict(reviews[0], note="again"))
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data))
    home = tmp_path / "home"
    result = run("import", str(export), "--yes", env={"ENG28_HOME": str(home)}, now="2026-12-03")
    assert result.exit_code == 1
    assert f"key 'plans.mini-plan.reviews.3.id': review {reviews[0]['id']} is there twice" in (
        result.output
    )
    assert not (home / "reviews.jsonl").exists()


def test_an_import_keeps_the_other_plans_ratings_of_a_state_file_from_before_schema_5(
    run, tmp_path, mini_plan
):
    """A schema-4 state file holds its ratings inline and has no log: the import's lines
    alone would have dropped the other plan's (found by a review of the change)."""
    import json
    import tomllib

    import tomli_w

    data = _export_of(run, tmp_path, mini_plan)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data))
    other = tmp_path / "other-plan"
    shutil.copytree(mini_plan.parent, other)
    text = (other / "plan.toml").read_text()
    (other / "plan.toml").write_text(text.replace('title = "Mini Plan"', 'title = "Other Plan"'))
    home = tmp_path / "home"
    studied(run, home, mini_plan, other_plan=other / "plan.toml")
    state = tomllib.loads((home / "state.toml").read_text())
    state["schema_version"] = 4
    state.pop("log_folded", None)
    held = json.loads(run("export", env={"ENG28_HOME": str(home)}).output)["state"]["plans"]
    for plan_id, plan in held.items():  # the ratings inline, as a schema-4 file held them
        state["plans"][plan_id]["reviews"] = plan["reviews"]
    (home / "state.toml").write_text(tomli_w.dumps(state))
    (home / "reviews.jsonl").unlink()
    result = run("import", str(export), "--yes", env={"ENG28_HOME": str(home)}, now="2026-12-03")
    assert result.exit_code == 0, result.output
    log = (home / "reviews.jsonl").read_text()
    assert '"plan":"other-plan"' in log and log.count('"plan":"mini-plan"') == 3
