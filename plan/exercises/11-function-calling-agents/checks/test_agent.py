import json

import pytest
from agent import AgentResult, ToolRegistry, run_agent, validate

ORDER = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string", "pattern": "^[A-Z][0-9]{2}$"},
        "qty": {"type": "integer"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "mode": {"type": "string", "enum": ["fast", "cheap"]},
    },
    "required": ["order_id"],
    "additionalProperties": False,
}


def registry():
    reg = ToolRegistry()
    calls = []

    @reg.tool("lookup_order", "Price of one order by id, e.g. A17.", ORDER)
    def lookup_order(order_id, qty=1, tags=(), mode="fast"):
        calls.append(order_id)
        if order_id == "Z99":
            raise LookupError("no such order")
        return {"A17": 12.5, "B42": 30.0}.get(order_id, 0.0) * qty

    @reg.tool(
        "add",
        "Sum of two numbers.",
        {
            "type": "object",
            "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
            "required": ["a", "b"],
        },
    )
    def add(a, b):
        return a + b

    return reg, calls


class Script:
    """A fake model: returns the scripted replies in turn and keeps what it was sent."""

    def __init__(self, *replies):
        self.replies, self.seen = list(replies), []

    def __call__(self, messages, tools):
        self.seen.append((json.loads(json.dumps(messages)), tools))
        return self.replies.pop(0)


def call(id_, name, **args):
    return {"id": id_, "name": name, "arguments": json.dumps(args)}


def test_validate_accepts_good_arguments_and_rejects_type_tricks():
    good = {"order_id": "A17", "qty": 2, "tags": ["x"], "mode": "cheap"}
    assert validate(good, ORDER) == [], f"expected no problems, got {validate(good, ORDER)}"
    for bad, where in [
        ({"order_id": "A17", "qty": True}, "$.qty"),
        ({"order_id": "A17", "qty": 2.5}, "$.qty"),
        ({"order_id": 17}, "$.order_id"),
        ([1], "$"),
    ]:
        problems = validate(bad, ORDER)
        assert len(problems) == 1 and problems[0].startswith(where), (
            f"{bad}: expected one problem at {where}, got {problems}"
        )
    assert validate(3, {"type": "number"}) == [], "an integer is a number"
    assert validate(3.0, {"type": "integer"}) == [], "JSON Schema counts 3.0 as an integer"
    assert validate(False, {"type": "number"}) != [], "a bool is not a number"


def test_validate_reports_every_problem_with_its_path():
    bad = {"qty": "2", "tags": ["ok", 3, None], "mode": "slow", "extra": 1}
    problems = validate(bad, ORDER)
    starts = sorted(p.split(":")[0] for p in problems)
    expected = ["$.extra", "$.mode", "$.order_id", "$.qty", "$.tags[1]", "$.tags[2]"]
    assert starts == expected, f"expected problems at {expected}, got {problems}"


def test_pattern_matches_anywhere_unless_anchored():
    assert validate("xxA17yy", {"type": "string", "pattern": "[A-Z][0-9]{2}"}) == [], (
        "a JSON Schema pattern is searched, not matched in full"
    )
    assert validate("A170", {"type": "string", "pattern": "^[A-Z][0-9]{2}$"}) != []
    assert validate({"order_id": "A1"}, ORDER)[0].startswith("$.order_id")


def test_registry_names_and_schemas():
    reg, _ = registry()
    got = [(s["type"], s["function"]["name"]) for s in reg.schemas()]
    assert got == [("function", "lookup_order"), ("function", "add")], (
        f"expected both tools in order, got {got}"
    )
    assert (
        reg.schemas()[0]["function"]["parameters"] is ORDER
        or reg.schemas()[0]["function"]["parameters"] == ORDER
    )
    assert reg.schemas()[1]["function"]["description"] == "Sum of two numbers."
    for name in ["add", "has space", "", "x" * 65, "dot.name"]:
        with pytest.raises(ValueError):
            reg.tool(name, "d", {"type": "object"})(lambda: None)
    reg.tool("x" * 64, "longest allowed name", {"type": "object"})(lambda: 1)

    def plain():
        return 1

    assert reg.tool("plain", "d", {"type": "object"})(plain) is plain, (
        "the decorator returns the function itself"
    )


def test_call_turns_every_failure_into_an_error_observation():
    reg, calls = registry()
    ok = json.loads(reg.call("lookup_order", '{"order_id": "A17", "qty": 2}'))
    assert ok == {"result": 25.0}, f"expected {{'result': 25.0}}, got {ok}"
    unknown = json.loads(reg.call("delete_everything", "{}"))
    assert "delete_everything" in unknown.get("error", ""), (
        f"expected an error naming the tool, got {unknown}"
    )
    broken = json.loads(reg.call("add", '{"a": 1, "b": '))
    assert "error" in broken and "result" not in broken, (
        f"expected an error for broken JSON, got {broken}"
    )
    invalid = json.loads(reg.call("lookup_order", '{"order_id": "a17", "qty": "x"}'))
    assert "$.order_id" in invalid.get("error", "") and "$.qty" in invalid.get("error", ""), (
        f"expected both schema problems in the error, got {invalid}"
    )
    assert calls == ["A17"], f"invalid arguments must never reach the function; it saw {calls}"
    raised = json.loads(reg.call("lookup_order", '{"order_id": "Z99"}'))
    assert raised == {"error": "LookupError: no such order"}, (
        f"expected the exception as an error, got {raised}"
    )


def test_loop_feeds_results_back_with_matching_ids():
    reg, _ = registry()
    model = Script(
        {
            "content": None,
            "tool_calls": [
                call("c1", "lookup_order", order_id="A17"),
                call("c2", "lookup_order", order_id="B42"),
            ],
        },
        {"content": None, "tool_calls": [call("c3", "add", a=12.5, b=30.0)]},
        {"content": "42.5 in total"},
    )
    start = [{"role": "user", "content": "A17 plus B42?"}]
    result = run_agent(model, reg, start)
    assert isinstance(result, AgentResult)
    assert (result.answer, result.stop, result.steps) == ("42.5 in total", "answer", 3), (
        f"expected the answer after 3 model calls, got {(result.answer, result.stop, result.steps)}"
    )
    assert start == [{"role": "user", "content": "A17 plus B42?"}], (
        "the caller's messages must not change"
    )
    second_view = model.seen[1][0]
    tools = [
        (m["tool_call_id"], json.loads(m["content"])) for m in second_view if m["role"] == "tool"
    ]
    assert tools == [("c1", {"result": 12.5}), ("c2", {"result": 30.0})], (
        f"expected both results by id, got {tools}"
    )
    assert second_view[1]["role"] == "assistant" and second_view[1]["tool_calls"][0]["id"] == "c1"
    assert [m["role"] for m in result.messages] == [
        "user",
        "assistant",
        "tool",
        "tool",
        "assistant",
        "tool",
        "assistant",
    ]
    assert model.seen[0][1] == reg.schemas(), "every model call gets the tool schemas"


def test_errors_go_back_to_the_model_and_the_loop_continues():
    reg, _ = registry()
    model = Script(
        {
            "content": None,
            "tool_calls": [
                call("c1", "refund", order_id="A17"),
                call("c2", "lookup_order", order_id="nope"),
            ],
        },
        {"content": "I could not do that."},
    )
    result = run_agent(model, reg, [{"role": "user", "content": "refund A17"}])
    assert result.stop == "answer" and result.steps == 2, (
        f"expected an answer at step 2, got {result.stop}, {result.steps}"
    )
    observations = [json.loads(m["content"]) for m in model.seen[1][0] if m["role"] == "tool"]
    assert len(observations) == 2 and all("error" in o for o in observations), (
        f"expected two error observations, got {observations}"
    )


def test_step_budget_counts_model_calls_exactly():
    reg, _ = registry()
    looping = {"content": None, "tool_calls": [call("c", "add", a=1, b=1)]}
    result = run_agent(Script(*[looping] * 3, {"content": "done"}), reg, [], max_steps=4)
    assert (result.stop, result.steps, result.answer) == ("answer", 4, "done"), (
        f"an answer on the 4th of 4 allowed calls is an answer: got {(result.stop, result.steps, result.answer)}"
    )
    model = Script(*[looping] * 10)
    result = run_agent(model, reg, [], max_steps=3)
    assert (result.stop, result.steps, result.answer) == ("budget", 3, None), (
        f"expected the budget to stop it after 3 calls, got {(result.stop, result.steps, result.answer)}"
    )
    assert len(model.seen) == 3, f"expected exactly 3 model calls, got {len(model.seen)}"
    with pytest.raises(ValueError):
        run_agent(Script(), reg, [], max_steps=0)


def test_an_empty_tool_calls_list_is_a_final_answer():
    reg, _ = registry()
    result = run_agent(
        Script({"content": "hi", "tool_calls": []}), reg, [{"role": "user", "content": "hello"}]
    )
    assert (result.answer, result.stop, result.steps) == ("hi", "answer", 1), f"got {result}"
    assert result.messages[-1] == {"role": "assistant", "content": "hi", "tool_calls": []}
