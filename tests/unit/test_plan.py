import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eng28.errors import PlanError
from eng28.plan import bundled_plan_path, check_plan, load_plan


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text)
    return path


def test_the_bundled_plan_is_valid_with_28_days_in_outline_order():
    plan = load_plan(bundled_plan_path())
    assert plan.total == 28
    assert plan.day(1).title.startswith("Transformer Internals")
    assert plan.day(28).title.startswith("Putting It Together")
    assert {t.id for t in plan.tracks} == {"de", "ml", "ai", "oop", "sd"}


def test_syntax_errors_name_the_file_and_line(tmp_path):
    path = write(tmp_path, 'title = "x"\n[[tracks]\n')
    _, problems = check_plan(path)
    assert len(problems) == 1
    assert str(path) in problems[0]
    assert "line 2" in problems[0]


def test_every_problem_is_reported_with_day_and_field(mini_plan):
    text = mini_plan.read_text()
    text = text.replace('url = "https://example.org/queues-talk"', 'url = "ftp://nope"')
    text = text.replace('difficulty = "Easy"', 'difficulty = "Trivial"')
    text = text.replace(
        'title = "Queues and Back-Pressure"\ntrack = "sd"',
        'title = "Queues and Back-Pressure"\ntrack = "ds"',
    )
    text = text.replace('notes = "notes/02-interfaces.md"', 'notes = "notes/missing.md"')
    mini_plan.write_text(text)
    plan, problems = check_plan(mini_plan)
    assert plan is None
    joined = "\n".join(problems)
    assert "day 1 (queues): video.url: 'ftp://nope' is not an http(s) URL" in joined
    assert "day 2 (interfaces): leetcode.difficulty:" in joined
    assert "day 1 (queues): track: unknown track 'ds'" in joined
    assert "day 2 (interfaces): notes: file 'notes/missing.md' not found" in joined
    assert all(p.startswith(str(mini_plan)) for p in problems)


def test_days_must_be_numbered_without_gaps(mini_plan):
    mini_plan.write_text(mini_plan.read_text().replace("number = 2\n", "number = 5\n"))
    with pytest.raises(PlanError) as info:
        load_plan(mini_plan)
    assert re.search(r"day 5 \(interfaces\): number: days must be numbered 1\.\.3", str(info.value))


def test_readings_must_be_exactly_three(mini_plan):
    text = mini_plan.read_text()
    first = text.index('[[days.readings]]\ntitle = "Queue Blog"')
    end = text.index("[days.exercise]")
    mini_plan.write_text(text[:first] + text[end:])
    _, problems = check_plan(mini_plan)
    assert any("day 1 (queues): readings:" in p and "at least 3" in p for p in problems)


def test_unknown_fields_are_named(mini_plan):
    mini_plan.write_text(mini_plan.read_text().replace("minutes = 42", "minutes = 42\nlength = 3"))
    _, problems = check_plan(mini_plan)
    assert problems == [f"{mini_plan}: day 1 (queues): video.length: unknown field"]


def test_missing_plan_file(tmp_path):
    with pytest.raises(PlanError, match="plan file not found"):
        load_plan(tmp_path / "nope.toml")


def read_copy(copy: Path) -> tuple[Any, Any]:
    """The plan copy's key and table."""
    import json

    kept = json.loads(copy.read_text())
    return kept["key"], kept["data"]


def write_copy(copy: Path, key: Any, data: Any) -> None:
    import json

    copy.write_text(json.dumps({"key": key, "data": data}))


def test_the_plan_cache_is_data_that_is_validated_like_the_file(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import DATA

    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "home"))
    shutil.copytree(DATA / "mini", tmp_path / "mini")
    path = tmp_path / "mini" / "plan.toml"
    assert load_plan(path).total == 3
    copy = tmp_path / "home" / "plan.json"
    key, kept = read_copy(copy)
    assert kept["title"] == load_plan(path).title
    # A copy someone changed is validated as the plan itself would be, and one that fails
    # is taken for damaged: the plan is read from its file (which is fine) and copied anew.
    kept["days"][0]["track"] = "nowhere"
    write_copy(copy, key, kept)
    assert load_plan(path).day(1).track != "nowhere"
    assert read_copy(copy)[1]["days"][0]["track"] != "nowhere"
    # Damaged or stale copies are ignored; an edit of the plan is seen at once.
    copy.write_text("{not json")
    assert load_plan(path).total == 3
    path.write_text(path.read_text().replace('title = "Mini Plan"', 'title = "Edited"'))
    assert load_plan(path).title == "Edited"


def test_the_plan_copy_is_kept_only_for_a_plan_that_passed_and_spares_only_the_answer_length(
    tmp_path, monkeypatch
):
    import shutil

    from eng28.models import MAX_ANSWER_WORDS
    from tests.conftest import DATA

    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "home"))
    shutil.copytree(DATA / "mini", tmp_path / "mini")
    path = tmp_path / "mini" / "plan.toml"
    good = path.read_text()
    short = "A consumer slowing its producer down to the pace it can keep."
    long = " ".join(["word"] * (MAX_ANSWER_WORDS + 1))
    path.write_text(good.replace(f'"{short}"', f'"{long}"'))
    copy = tmp_path / "home" / "plan.json"
    for _ in range(2):  # refused each time: no copy stands for a plan that failed
        with pytest.raises(PlanError, match="151 words; an answer holds at most 150"):
            load_plan(path)
        assert not copy.exists()
    path.write_text(good)
    assert load_plan(path).total == 3 and copy.is_file()
    # A copy is validated as the file is but for the answers' length, which the file it was
    # made from passed: an edited copy can at most show a long answer.
    key, kept = read_copy(copy)
    questions = kept["days"][0]["questions"]
    (found,) = [q for q in questions if q.get("answer") == short]
    found["answer"] = long
    write_copy(copy, key, kept)
    assert any(q.answer == long for q in load_plan(path).day(1).questions)
    # Anything else that fails makes the copy count as damaged: the file is read again.
    found["answer"] = "   "
    write_copy(copy, key, kept)
    assert any(q.answer == short for q in load_plan(path).day(1).questions)
    assert read_copy(copy)[1] == tomllib.loads(good)


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/proc/self/environ", "link.md"])
def test_a_plan_reads_no_notes_outside_its_own_folder(tmp_path, target):
    import shutil

    from eng28.plan import check_plan
    from tests.conftest import DATA

    shutil.copytree(DATA / "mini", tmp_path / "mini")
    (tmp_path / "secret.md").write_text("SECRET")
    (tmp_path / "mini" / "link.md").symlink_to(tmp_path / "secret.md")
    path = tmp_path / "mini" / "plan.toml"
    path.write_text(path.read_text().replace('"notes/01-queues.md"', f'"{target}"', 1))
    plan, problems = check_plan(path)
    assert plan is None
    assert problems == [f"{path}: day 1 (queues): notes: {target!r} is outside the plan's folder"]


def test_check_yourself_questions_are_whole_across_their_wrapped_lines():
    from eng28.plan import check_questions

    notes = (
        "# Day\n\ntext\n\n## Check yourself\n\n"
        "- Why does attention divide the logits by `sqrt(d_k)`, and what goes wrong with\n"
        "  training if it does not?\n"
        "- A one-line question?\n"
        "* A starred one that wraps\n"
        "    far.\n\n"
        "## Further reading\n\n- not a question\n"
    )
    assert check_questions(notes) == [
        "Why does attention divide the logits by `sqrt(d_k)`, and what goes wrong with "
        "training if it does not?",
        "A one-line question?",
        "A starred one that wraps far.",
    ]


def test_every_bundled_question_ends_as_a_question_does():
    from eng28.plan import bundled_plan_path, check_questions, read_notes

    path = bundled_plan_path()
    plan = load_plan(path)
    questions = [q for day in plan.days for q in check_questions(read_notes(path, day) or "")]
    assert len(questions) >= 5 * plan.total
    cut = [q for q in questions if not q.rstrip("*_` ").endswith(("?", "."))]
    assert cut == []


# --- the questions of a day: said in the notes, answered in the plan ----------------------


def test_a_day_whose_questions_drift_from_its_notes_is_a_plan_problem(mini_plan):
    label = f"{mini_plan}: day 1 (queues)"
    where = "notes/01-queues.md's Check yourself"
    original = mini_plan.read_text()
    mini_plan.write_text(original.replace('"Why bound a queue?"', '"Why bound queues?"'))
    _, problems = check_plan(mini_plan)
    assert problems == [
        f"{label}: questions[2].prompt: differs from question 2 of {where}: "
        "'Why bound queues?' here, 'Why bound a queue?' there"
    ]
    notes = mini_plan.parent / "notes" / "01-queues.md"
    notes.write_text(notes.read_text() + "- Who drains it?\n")
    mini_plan.write_text(original)
    _, problems = check_plan(mini_plan)
    assert problems == [
        f"{label}: questions: question 4 of {where} is not in the plan: 'Who drains it?'"
    ]
    notes.write_text(notes.read_text().replace("## Check yourself", "## Recap"))
    _, problems = check_plan(mini_plan)
    assert problems == [
        f"{label}: questions[1].prompt: 'What happens when the queue is full?' is not in "
        f"{where} (0 questions there)"
    ]
    # A command loading the plan it uses does not read every day's notes; validate does.
    assert load_plan(mini_plan).day(1).questions[0].id == "full-queue"


def test_where_two_long_prompts_part_is_shown(mini_plan):
    long = "Why does a queue " + "that fills up " * 8 + "hurt?"
    notes = mini_plan.parent / "notes" / "01-queues.md"
    notes.write_text(notes.read_text().replace("What happens when the queue is full?", long))
    text = mini_plan.read_text().replace(
        "What happens when the queue is full?", long[:-5] + "help?"
    )
    mini_plan.write_text(text)
    _, problems = check_plan(mini_plan)
    assert len(problems) == 1
    # 20 characters before the first that differs ("e" against "u"), where a start would hide it
    assert problems[0].endswith(
        "'…s up that fills up help?' here, '…s up that fills up hurt?' there"
    )


def test_question_ids_are_kebab_case_and_unique_within_a_day(mini_plan):
    text = mini_plan.read_text()
    mini_plan.write_text(text.replace('id = "why-bound"', 'id = "full-queue"'))
    _, problems = check_plan(mini_plan)
    assert problems == [
        f"{mini_plan}: day 1 (queues): questions[2].id: 'full-queue' is already used by "
        "question 1 of this day"
    ]
    mini_plan.write_text(text.replace('id = "fake"', 'id = "Fake One"'))
    _, problems = check_plan(mini_plan)
    assert problems == [
        f"{mini_plan}: day 2 (interfaces): questions[3].id: 'Fake One' must be lowercase-kebab-case"
    ]


def test_an_answer_longer_than_150_words_is_refused(mini_plan):
    from eng28.models import MAX_ANSWER_WORDS, word_count

    assert word_count("- A `sqrt(d_k)` bullet, with = signs\n  - and 12 words") == 8
    text = mini_plan.read_text()
    short = "A consumer slowing its producer down to the pace it can keep."
    for words, refused in ((MAX_ANSWER_WORDS, False), (MAX_ANSWER_WORDS + 1, True)):
        answer = "- " + " ".join(["word"] * words)
        mini_plan.write_text(text.replace(f'"{short}"', f'"""\n{answer}\n"""'))
        _, problems = check_plan(mini_plan)
        expected = (
            f"{mini_plan}: day 1 (queues): questions[3].answer: 151 words; "
            "an answer holds at most 150 (aim for about 120)"
        )
        assert problems == ([expected] if refused else [])


def test_complete_asks_for_missing_answers_and_questions_the_notes_ask(mini_plan):
    from eng28.usecases.plans import validate

    text = mini_plan.read_text()
    text = text.replace(
        'answer = "An unbounded queue turns overload into memory growth and latency."\n', ""
    )
    text = text.replace(
        'answer = "A consumer slowing its producer down to the pace it can keep."\n', ""
    )
    start = text.index('\n[[days.questions]]\nid = "protocol"')
    text = text[:start] + text[text.index("\n[[days]]", start) :]
    mini_plan.write_text(text)
    report = validate(mini_plan, complete=True)
    assert report.problems == []
    assert report.incomplete[:2] == [
        (1, "queues", ["answers for 2 questions"]),
        (2, "interfaces", ["questions (its notes ask 3)"]),
    ]
    assert report.complete == 0
    assert validate(mini_plan, complete=False).ok


def test_a_starter_plan_asks_its_question_in_notes_and_plan_alike(tmp_path):
    from eng28.plan import write_starter
    from eng28.usecases.plans import validate

    path = tmp_path / "mine" / "plan.toml"
    write_starter(path, 2, "Two Days")
    report = validate(path, complete=True)
    assert report.problems == []
    assert [fields[-1] for _, _, fields in report.incomplete] == ["answer for 1 question"] * 2
    plan = load_plan(path)
    assert [q.prompt for q in plan.day(2).questions] == [
        "What is the one idea of this day you would explain to a colleague?"
    ]


def test_the_example_plans_are_complete():
    from eng28.usecases.plans import validate

    examples = sorted((bundled_plan_path().parent / "examples").glob("*/plan.toml"))
    assert examples
    for path in examples:
        report = validate(path, complete=True)
        assert (report.problems, report.incomplete) == ([], []), path
        assert all(q.answer for day in load_plan(path).days for q in day.questions)


def test_a_check_folder_must_be_inside_the_plan_and_hold_its_three_parts(tmp_path):
    import shutil

    from eng28.plan import check_plan
    from tests.conftest import DATA

    shutil.copytree(DATA / "mini", tmp_path / "mini")
    path = tmp_path / "mini" / "plan.toml"
    text = path.read_text()
    marker = 'notes = "notes/01-queues.md"'
    assert marker in text
    for folder, problem in [
        ("../elsewhere", "check: folder '../elsewhere' is outside the plan's folder"),
        ("exercises/01", "check: 'exercises/01' has no starter/, checks/, solution/ folder"),
    ]:
        path.write_text(text.replace(marker, f'{marker}\ncheck = {{ folder = "{folder}" }}', 1))
        plan, problems = check_plan(path)
        assert plan is None
        assert problems == [f"{path}: day 1 (queues): {problem}"]
    for part in ("starter", "checks", "solution"):
        (tmp_path / "mini" / "exercises" / "01" / part).mkdir(parents=True)
    path.write_text(
        text.replace(
            marker, f'{marker}\ncheck = {{ folder = "exercises/01", requires = ["numpy"] }}', 1
        )
    )
    plan, problems = check_plan(path)
    assert problems == []
    assert plan.day(1).check.requires == ["numpy"]


# --- checking a plan's paths: the folder resolved once gives what `_inside` and pathlib give --


def _path_tree(root: Path) -> Path:
    """A plan folder with every kind of path a plan could name: files, folders, a file where a
    folder is expected, links inside and out, a dangling link and a link loop."""
    base = root / "plan"
    for folder in ("notes", "exercises/01/starter", "exercises/01/checks", "exercises/01/solution"):
        (base / folder).mkdir(parents=True)
    (base / "notes" / "a.md").write_text("# a\n")
    (base / "exercises" / "01" / "checks" / "x.py").write_text("")
    (root / "outside").mkdir()
    (root / "outside" / "b.md").write_text("# b\n")
    (base / "notes" / "in.md").symlink_to(base / "notes" / "a.md")
    (base / "notes" / "out.md").symlink_to(root / "outside" / "b.md")
    (base / "away").symlink_to(root / "outside")
    (base / "back").symlink_to(base / "notes")
    (base / "dangling").symlink_to(base / "nothing")
    (base / "loop").symlink_to(base / "loop")
    return base


PATH_PARTS = [
    "notes", "a.md", "in.md", "out.md", "b.md", "away", "back", "dangling", "loop", "missing",
    "exercises", "01", "starter", "checks", "x.py", "plan", "outside", "..", ".", "",
]  # fmt: skip


def _as_before(base: Path, relative: str) -> tuple[bool, bool, bool]:
    from eng28.plan import _inside

    return _inside(base, relative), (base / relative).is_file(), (base / relative).is_dir()


def _as_now(base: Path, relative: str) -> tuple[bool, bool, bool]:
    import stat

    from eng28.plan import _PlanFolder

    folder = _PlanFolder(base)
    inside, info = folder.locate(relative)
    is_file = stat.S_ISREG(info.st_mode) if info else (base / relative).is_file()
    return inside, is_file, folder.is_dir(relative)


def _outcome(check: Callable[[], Any]) -> Any:
    try:
        return check()
    except Exception as exc:  # a loop raises on some Pythons: it must raise alike
        return type(exc).__name__


@pytest.mark.parametrize(
    "relative",
    [
        "notes/a.md", "notes/in.md", "notes/out.md", "away/b.md", "back/a.md", "notes",
        "notes/missing.md", "dangling", "loop/x", "notes/a.md/x", "../plan/notes/a.md",
        "exercises/01", "exercises/01/starter", "exercises/01/checks/x.py", "/etc/passwd",
        "notes//a.md", "./notes/a.md", "notes/", "exercises/01//checks",
    ],
)  # fmt: skip
def test_the_plan_folder_finds_each_path_as_resolving_it_alone_does(tmp_path, relative):
    base = _path_tree(tmp_path)
    assert _outcome(lambda: _as_now(base, relative)) == _outcome(lambda: _as_before(base, relative))


@given(st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=5))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_path_of_any_parts_is_found_as_before(tmp_path, parts):
    base = tmp_path / "plan" if (tmp_path / "plan").exists() else _path_tree(tmp_path)
    relative = "/".join(parts)
    assert _outcome(lambda: _as_now(base, relative)) == _outcome(lambda: _as_before(base, relative))


def test_one_folder_answers_many_paths_as_many_fresh_looks_would(tmp_path):
    import stat

    from eng28.plan import _PlanFolder

    base = _path_tree(tmp_path)
    folder = _PlanFolder(base)
    for relative in ["notes/a.md", "notes/out.md", "notes/in.md", "away/b.md", "notes/a.md"]:
        inside, info = folder.locate(relative)
        is_file = stat.S_ISREG(info.st_mode) if info else (base / relative).is_file()
        assert (inside, is_file) == _as_before(base, relative)[:2], relative


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        ("away/b.md", "notes: 'away/b.md' is outside the plan's folder"),
        ("notes/out.md", "notes: 'notes/out.md' is outside the plan's folder"),
        ("notes", "notes: file 'notes' not found next to the plan"),
        ("notes/a.md/x", "notes: file 'notes/a.md/x' not found next to the plan"),
        ("dangling", "notes: file 'dangling' not found next to the plan"),
    ],
)
def test_a_plan_whose_notes_lead_astray_is_refused(tmp_path, notes, problem):
    import shutil

    from tests.conftest import DATA

    shutil.copytree(DATA / "mini", tmp_path / "mini")
    base = tmp_path / "mini"
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "b.md").write_text("# b\n")
    (base / "notes" / "out.md").symlink_to(tmp_path / "outside" / "b.md")
    (base / "away").symlink_to(tmp_path / "outside")
    (base / "notes" / "a.md").write_text("# a\n")
    (base / "dangling").symlink_to(base / "nothing")
    path = base / "plan.toml"
    path.write_text(path.read_text().replace('"notes/01-queues.md"', f'"{notes}"', 1))
    for cached in (False, True):
        plan, problems = check_plan(path, cached=cached)
        assert plan is None
        assert problems == [f"{path}: day 1 (queues): {problem}"]


def test_a_check_folder_whose_part_is_a_file_or_a_link_is_judged_as_before(tmp_path):
    import shutil

    from tests.conftest import DATA

    shutil.copytree(DATA / "mini", tmp_path / "mini")
    base = tmp_path / "mini"
    for part in ("starter", "solution"):
        (base / "exercises" / "01" / part).mkdir(parents=True)
    (base / "exercises" / "01" / "checks").write_text("a file, not a folder")
    path = base / "plan.toml"
    text = path.read_text()
    marker = 'notes = "notes/01-queues.md"'
    path.write_text(text.replace(marker, f'{marker}\ncheck = {{ folder = "exercises/01" }}', 1))
    assert check_plan(path)[1] == [
        f"{path}: day 1 (queues): check: 'exercises/01' has no checks/ folder"
    ]
    # A part that is a link to a folder inside counts, as a folder does.
    (base / "exercises" / "01" / "checks").unlink()
    (base / "real-checks").mkdir()
    (base / "exercises" / "01" / "checks").symlink_to(base / "real-checks")
    assert check_plan(path)[1] == []


def test_an_answer_of_few_tokens_is_never_counted_long():
    """The answer check counts words only past MAX_ANSWER_WORDS tokens: no word spans two
    tokens, since the regex's `\\s` and str.split agree on every character."""
    import sys

    chars = "".join(chr(c) for c in range(sys.maxunicode + 1))
    assert re.findall(r"\s", chars) == [c for c in chars if c.isspace()]
    from eng28.models import word_count

    odd_spaces = "a\x1cb\u3000c\x85d"
    assert word_count(odd_spaces) == len(odd_spaces.split()) == 4


@given(st.text(alphabet=st.characters(), max_size=400))
def test_words_never_outnumber_tokens(text):
    from eng28.models import word_count

    assert word_count(text) <= len(text.split())


_WORDS_AND_SYMBOLS = st.tuples(
    st.lists(st.sampled_from(["word", "a,b", "`x`", "(d_k)"]), min_size=145, max_size=158),
    st.lists(st.sampled_from(["-", "→", "=", "*", "\u3000", "\x1c"]), max_size=8),
).flatmap(lambda both: st.permutations(both[0] + both[1]))


@given(_WORDS_AND_SYMBOLS, st.sampled_from([" ", "\n", "  "]))
def test_an_answer_is_refused_exactly_when_it_has_too_many_words(parts, gap):
    from pydantic import TypeAdapter, ValidationError

    from eng28.models import MAX_ANSWER_WORDS, Answer, word_count

    text = gap.join(parts)
    words = word_count(text)
    try:
        TypeAdapter(Answer).validate_python(text)
    except ValidationError as exc:
        (error,) = exc.errors()
        assert error["type"] == "answer_length"
        assert error["msg"] == (
            f"{words} words; an answer holds at most {MAX_ANSWER_WORDS} (aim for about 120)"
        )
        assert words > MAX_ANSWER_WORDS
    else:
        assert words <= MAX_ANSWER_WORDS


@given(st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=5))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_notes_path_found_through_the_plan_folder_is_the_one_found_alone(tmp_path, parts):
    """`eng28 plan` names every day's notes file through one resolved folder."""
    from types import SimpleNamespace

    from eng28.plan import notes_path, plan_folder

    base = tmp_path / "plan" if (tmp_path / "plan").exists() else _path_tree(tmp_path)
    plan_file = base / "plan.toml"
    day = SimpleNamespace(notes="/".join(parts))
    folder = plan_folder(plan_file)
    once = _outcome(lambda: notes_path(plan_file, day, folder))  # type: ignore[arg-type]
    assert once == _outcome(lambda: notes_path(plan_file, day))  # type: ignore[arg-type]
    assert _outcome(lambda: notes_path(plan_file, day, folder)) == once  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title = "Mini Plan"', 'title = "Mini\\u001b]0;pwned\\u0007"', "title: "),
        (
            'title = "Queues and Back-Pressure"',
            'title = "Queues\\u009b2J"',
            "day 1 (queues): title: ",
        ),
        ('description = "Three days', 'description = "\\u0085Three days', "description: "),
        ('by = "A. Speaker"', 'by = "A.\\u007fSpeaker"', "day 1 (queues): video.by: "),
        ('"Write a consumer"', '"Write a\\u0008 consumer"', "day 1 (queues): exercise.steps[2]: "),
        ('name = "System Design"', 'name = "System\\u001b[31m"', "track 1: name: "),
        ("number = 622", 'number = 622\n"wh\\u001by" = "a key"', "day 1 (queues): leetcode: "),
    ],
)
def test_a_control_character_in_a_plan_text_is_refused_where_it_is(mini_plan, old, new, problem):
    text = mini_plan.read_text()
    assert text.count(old) == 1
    mini_plan.write_text(text.replace(old, new))
    plan, problems = check_plan(mini_plan)
    assert plan is None
    (found,) = [p for p in problems if p.startswith(f"{mini_plan}: {problem}")]
    named = r"contains a control character \((ESC|U\+009B|U\+0085|\^\?|\^H)\) at position \d+$"
    assert re.search(named, found), found


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("Mini\\nPlan", "a plan's title is one line"),
        ("Mini\\r\\nPlan", "a plan's title is one line"),
        ("é" * 2049, "4098 bytes; a plan's title holds at most 4096"),
    ],
)
def test_a_plan_title_is_one_line_the_state_can_keep(mini_plan, title, problem):
    """The state keeps the title beside the progress, as one line of at most 4096 bytes: a
    title it could not read back used to stop every command after `start`."""
    mini_plan.write_text(mini_plan.read_text().replace('"Mini Plan"', f'"{title}"', 1))
    assert check_plan(mini_plan) == (None, [f"{mini_plan}: title: {problem}"])


def test_a_plan_file_whose_path_the_state_cannot_keep_is_refused(tmp_path):
    import shutil

    from tests.conftest import DATA

    folder = tmp_path / "a\x1b]0;x\x07b"
    shutil.copytree(DATA / "mini", folder)
    path = folder / "plan.toml"
    plan, problems = check_plan(path)
    assert plan is None
    assert problems == [
        f"{str(path)!r}: a plan file's path must be one line of at most 4096 bytes without "
        "control characters: rename or move it"
    ]


def test_tabs_and_new_lines_in_a_plan_text_are_kept(mini_plan):
    text = mini_plan.read_text()
    mini_plan.write_text(
        text.replace('description = "Three days', 'description = "Two\\tlines\\nThree days')
    )
    assert load_plan(mini_plan).description.startswith("Two\tlines\nThree days")


@pytest.mark.parametrize(
    "forged",
    [
        "Forged\x1b]0;pwned\x07",  # written escaped: \u001b and \u0007
        "Forged\x08\x0c",  # the short escapes \b and \f
        "Forged\x9b2J",  # C1, as it is (UTF-8 C2 9B)
        "Forged\x7f",  # DEL, as it is
        "Forged · \\\x1b",  # a backslash, then ESC: \\\u001b
    ],
)
def test_a_plan_copy_holding_a_control_character_is_not_used(tmp_path, monkeypatch, forged):
    import json
    import shutil

    from tests.conftest import DATA

    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "home"))
    shutil.copytree(DATA / "mini", tmp_path / "mini")
    path = tmp_path / "mini" / "plan.toml"
    title = load_plan(path).day(1).title
    copy = tmp_path / "home" / "plan.json"
    key, kept = read_copy(copy)
    # A forged title without a control character is taken: the copy is in use.
    kept["days"][0]["title"] = "Forged · kept"
    copy.write_text(json.dumps({"key": key, "data": kept}, ensure_ascii=False))
    assert load_plan(path).day(1).title == "Forged · kept"
    for ascii_only in (False, True):  # C1 and DEL then written as \u0085 and \u007f
        kept["days"][0]["title"] = forged
        copy.write_text(json.dumps({"key": key, "data": kept}, ensure_ascii=ascii_only))
        assert load_plan(path).day(1).title == title  # read from the file, which is fine
        assert read_copy(copy)[1]["days"][0]["title"] == title  # and copied anew


def test_backslashes_in_a_plan_text_keep_its_copy_in_use(tmp_path, monkeypatch):
    """`\\bword\\b`, `C:\\users`, `\\frac`: a backslash before b, f or u that is not an escape
    of a control character; the second load reads no TOML."""
    import shutil

    from eng28 import tomlfile
    from tests.conftest import DATA

    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "home"))
    shutil.copytree(DATA / "mini", tmp_path / "mini")
    path = tmp_path / "mini" / "plan.toml"
    texts = r"match \\bword\\b in C:\\users\\bob, then \\frac{a}{b} \\u00e9"
    text = path.read_text().replace(
        'description = "Three days to test eng28 with."', f'description = "{texts}"'
    )
    path.write_text(text)
    first = load_plan(path)
    assert first.description == r"match \bword\b in C:\users\bob, then \frac{a}{b} \u00e9"

    def no_toml(*args, **kwargs):
        raise AssertionError("the plan file was read again")

    monkeypatch.setattr(tomlfile, "read_toml", no_toml)
    assert load_plan(path) == first


def test_the_bundled_plan_is_loaded_from_its_copy(tmp_path, monkeypatch):
    """Its texts (with · and other non-ASCII characters) do not look like control characters
    to the copy's search: the second load reads no TOML."""
    from eng28 import tomlfile

    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "home"))
    first = load_plan(bundled_plan_path())

    def no_toml(*args, **kwargs):
        raise AssertionError("the plan file was read again")

    monkeypatch.setattr(tomlfile, "read_toml", no_toml)
    assert load_plan(bundled_plan_path()) == first
