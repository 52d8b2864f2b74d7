"""`plan.load_outline`: what a command that shows none of the days' content reads of the plan,
from the plan's JSON copy. It is the copy's outline, validated as the plan's own fields are
and cross-checked as the plan is; the days' content in the copy is not read at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from eng28.models import Plan, PlanOutline
from eng28.plan import load_outline, load_plan
from eng28.usecases.schedule import part_minutes
from tests.conftest import DATA


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "mini", tmp_path / "mini")
    return tmp_path / "mini" / "plan.toml"


def copy_of(home: Path) -> dict[str, Any]:
    return json.loads((home / "plan.json").read_text(encoding="utf-8"))


def outline_fields(plan: PlanOutline) -> Any:
    return (
        plan.key,
        plan.title,
        [(t.id, t.label, t.colour) for t in plan.tracks],
        [
            (
                d.number,
                d.slug,
                d.title,
                d.track,
                d.notes,
                d.check,
                d.leetcode,
                [(q.id, q.prompt) for q in d.questions],
                part_minutes(d),
            )
            for d in plan.days
        ],
    )


def test_the_outline_comes_from_the_copy_and_says_what_the_plan_says(plan_file, home):
    first = load_outline(plan_file)
    assert isinstance(first, Plan)  # no copy yet: the plan is read whole, and copied
    outline = load_outline(plan_file)
    assert type(outline) is PlanOutline
    assert outline_fields(outline) == outline_fields(first)
    assert not hasattr(outline.day(1).video, "title")  # of a video, its minutes alone


def test_the_days_content_in_the_copy_is_not_read_for_the_outline(plan_file, home):
    load_plan(plan_file)
    kept = copy_of(home)
    day = kept["data"]["days"][0]
    day["video"]["title"] = ""  # content no command with an outline shows
    day["readings"][0]["url"] = "not a link"
    (home / "plan.json").write_text(json.dumps(kept), encoding="utf-8")
    assert type(load_outline(plan_file)) is PlanOutline
    # the whole plan is not taken from that copy: the file is read, and copied anew
    whole = load_plan(plan_file)
    assert whole.day(1).video is not None and whole.day(1).video.title.strip()
    assert copy_of(home)["data"]["days"][0]["video"]["title"] == whole.day(1).video.title


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(track="nowhere"),  # cross-checked: an unknown track
        lambda d: d.update(number=7),  # out of order
        lambda d: d.update(slug="Not A Slug"),
        lambda d: d["questions"][0].update(prompt="  "),
        lambda d: d["video"].update(minutes=0),  # the table's minutes are the outline's
        lambda d: d["readings"][0].update(kind="podcast"),
        lambda d: d.update(title="Forged \x1b]0;pwned\x07"),
        lambda d: d["video"].update(title="content, yet \x1b[2J"),  # any control: not used
    ],
)
def test_an_outline_the_plan_would_refuse_is_not_used(plan_file, home, edit):
    plan = load_plan(plan_file)
    kept = copy_of(home)
    edit(kept["data"]["days"][0])
    (home / "plan.json").write_text(json.dumps(kept), encoding="utf-8")
    found = load_outline(plan_file)
    assert isinstance(found, Plan)  # read from the file, which is fine
    assert outline_fields(found) == outline_fields(plan)


def test_the_plan_models_keep_their_fields_in_the_order_of_a_plan_file():
    """The outline's models under the plan's must not reorder them: pydantic reports a plan's
    problems in field order (a command names the first), and `--json` prints them in it."""
    from pydantic import ValidationError

    data = {
        "title": "T",
        "description": 1,
        "tracks": [{"id": "a", "name": "A"}],
        "days": [
            {
                "number": 1,
                "slug": "d",
                "title": "D",
                "track": "a",
                "summary": "",
                "video": {"title": "", "url": "https://x.org/v", "by": "B", "minutes": 0},
                "reflection_prompt": "",
            }
        ],
    }
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(data)
    assert [".".join(map(str, e["loc"])) for e in caught.value.errors()] == [
        "description",
        "days.0.summary",
        "days.0.video.title",
        "days.0.video.minutes",
        "days.0.reflection_prompt",
    ]


def test_plan_json_prints_a_video_reading_and_exercise_as_the_plan_file_orders_them(run, use_mini):
    import json as json_module

    day = json_module.loads(run("plan", "--json").stdout)[0]
    assert list(day["video"]) == ["title", "url", "by", "minutes"]
    assert list(day["readings"][0]) == ["title", "url", "by", "kind"]
    assert list(day["exercise"])[:4] == ["title", "steps", "deliverable", "minutes"]
