"""Property tests (hypothesis): mutated plans only ever load or raise PlanError; states and
exports survive a round trip exactly, whatever Unicode the learner wrote."""

import json
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eng28 import store
from eng28.errors import PlanError
from eng28.models import (
    CardRecord,
    Config,
    DayProgress,
    EarlierReflection,
    PlanState,
    ReviewEntry,
    Share,
    State,
)
from eng28.plan import load_plan
from eng28.usecases import reports

MINI = (Path(__file__).parents[1] / "data" / "mini" / "plan.toml").read_text()
LINES = MINI.splitlines(keepends=True)
CASES = 300

mutation = st.one_of(
    st.tuples(st.just("delete-line"), st.integers(0, len(LINES) - 1)),
    st.tuples(st.just("duplicate-line"), st.integers(0, len(LINES) - 1)),
    st.tuples(
        st.just("swap-lines"), st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1)
    ),
    st.tuples(
        st.just("replace-value"),
        st.integers(0, len(LINES) - 1),
        st.sampled_from(
            [
                '""',
                "0",
                "-1",
                "[]",
                "{}",
                "true",
                '"x"',
                "1979-05-27",
                '"https://"',
                "3.5",
                '"""',
                "inf",
                '"Hard"',
                '"no such"',
            ]
        ),
    ),
    st.tuples(st.just("insert-text"), st.integers(0, len(MINI)), st.text(max_size=12)),
    st.tuples(st.just("truncate"), st.integers(0, len(MINI))),
)


def mutate(steps) -> str:
    lines = list(LINES)
    text = None
    for step in steps:
        kind = step[0]
        if kind == "delete-line" and lines:
            del lines[step[1] % len(lines)]
        elif kind == "duplicate-line" and lines:
            i = step[1] % len(lines)
            lines.insert(i, lines[i])
        elif kind == "swap-lines" and lines:
            i, j = step[1] % len(lines), step[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "replace-value" and lines:
            i = step[1] % len(lines)
            if "=" in lines[i]:
                lines[i] = lines[i].split("=", 1)[0] + "= " + step[2] + "\n"
        else:
            text = "".join(lines)
            if kind == "insert-text":
                text = text[: step[1]] + step[2] + text[step[1] :]
            else:
                text = text[: step[1]]
            lines = text.splitlines(keepends=True)
    return "".join(lines)


@settings(
    max_examples=CASES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_plans_load_or_raise_plan_error(mini_plan, steps):
    mini_plan.write_text(mutate(steps), encoding="utf-8")
    try:
        plan = load_plan(mini_plan)
    except PlanError as exc:
        assert str(exc).startswith(str(mini_plan))
        assert "\n" not in str(exc).strip()
    else:
        assert [d.number for d in plan.days] == list(range(1, plan.total + 1))


# Any text a learner can write: no control characters but tab and the line endings.
any_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"),
    max_size=200,
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)


@st.composite
def states(draw) -> State:
    days = {}
    for number in draw(st.sets(st.integers(1, 28), max_size=6)):
        days[number] = DayProgress(
            done=draw(st.booleans()),
            done_at=draw(st.none() | moments),
            done_on=draw(st.none() | st.dates(date(2020, 1, 1), date(2040, 1, 1))),
            reflection=draw(any_text | st.sampled_from(['"""', "'''", 'a"""b', "\\", '"'])),
            earlier=[
                EarlierReflection(text=t, written_at=draw(st.none() | moments))
                for t in draw(st.lists(any_text, max_size=2))
            ],
            changed_at=draw(moments),
        )
    cards, reviews = {}, []
    for number in draw(st.sets(st.integers(1, 28), max_size=4)):
        due = draw(moments)
        cards[number] = CardRecord(
            card_id=number,
            state=draw(st.integers(1, 3)),
            step=draw(st.none() | st.integers(0, 3)),
            stability=draw(st.none() | st.floats(0.1, 1e4)),
            difficulty=draw(st.none() | st.floats(1, 10)),
            due=due.isoformat(),
            last_review=(due - timedelta(days=3)).isoformat(),
        )
        reviews.append(
            ReviewEntry(
                id=f"{number}@{due.isoformat()}",
                card_id=number,
                rating=draw(st.integers(1, 4)),
                review_datetime=due.isoformat(),
                review_duration=draw(st.none() | st.integers(0, 10**7)),
                note=draw(any_text),
            )
        )
    shared = {
        n: Share(shared=draw(st.booleans()), at=draw(moments))
        for n in draw(st.sets(st.integers(1, 28), max_size=3))
    }
    plan = PlanState(
        title=draw(any_text.filter(lambda t: "\n" not in t and "\r" not in t)),
        start=draw(st.none() | st.dates(date(2020, 1, 1), date(2040, 1, 1))),
        days=days,
        cards=cards,
        reviews=reviews,
        shared=shared,
    )
    ids = draw(st.sets(st.sampled_from(["eng28", "a-b-c", "x1"]), max_size=2))
    return State(plans={plan_id: plan for plan_id in sorted(ids)})


@settings(max_examples=CASES, deadline=None)
@given(state=states())
def test_toml_save_load_round_trip(state):
    """The state file's TOML and the review log read back as the state they were written
    from: the ratings in the log, everything else in the TOML."""
    text, log = store.dump_state(state), store.dump_log(state)
    assert "reviews" not in tomllib.loads(text).get("plans", {}).get("eng28", {})
    loaded, version = store.parse_state(text.encode("utf-8"), Path("state.toml"), log=log)
    assert version == store.SCHEMA_VERSION
    for plan in state.plans.values():  # the log keeps ratings in the order of time
        plan.reviews.sort(key=lambda e: (e.review_datetime, e.id))
    assert loaded == state


@settings(
    max_examples=CASES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(state=states(), start=st.dates(date(2020, 1, 1), date(2040, 1, 1)))
def test_export_import_round_trip(tmp_path, state, start):
    config = Config(start=start, pace="self", rest_days=["sun"])
    payload = {
        "eng28_export": 1,
        "exported_at": "2026-12-01T10:00:00+00:00",
        "config": config.model_dump(mode="json", exclude_none=True),
        "state": state.model_dump(mode="json"),
    }
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    config_back, state_back = reports.read_export(dump, datetime(2041, 1, 1, tzinfo=UTC), "eng28")
    assert config_back == config
    assert state_back == state
