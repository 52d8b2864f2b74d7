"""A tool registry with JSON-Schema argument checks, and the agent loop around a model."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Model = Callable[[list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]]

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Check `value` against a small subset of JSON Schema; return every problem found.

    Supported keywords: type (object, array, string, integer, number, boolean, null; a
    bool is neither an integer nor a number, and a float with no fractional part such as
    3.0 is an integer, as JSON Schema says), properties, required,
    additionalProperties (only `false`, meaning no other keys), items, enum and pattern
    (a regular expression that must match somewhere in the string, as JSON Schema says).
    Each problem is one string that starts with the path of the offending value: `$` for
    the whole value, `$.name` for a property, `$.tags[2]` for an array item. A value of
    the wrong type gets that one problem and its other keywords are not checked.
    An empty list means the value is valid.
    """
    expected = schema.get("type")
    if expected is not None and not _TYPES[expected](value):
        return [f"{path}: expected {expected}, got {type(value).__name__}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        problems.append(f"{path}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{path}.{key}: required property is missing")
        for key, item in value.items():
            if key in properties:
                problems += validate(item, properties[key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{path}.{key}: unexpected property")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += validate(item, schema["items"], f"{path}[{i}]")
    return problems


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    function: Callable[..., Any]


class ToolRegistry:
    """Tools by name, in registration order."""

    def __init__(self) -> None:
        """Start empty: `tools` maps each name to its Tool."""
        self.tools: dict[str, Tool] = {}

    def tool(
        self, name: str, description: str, parameters: dict[str, Any]
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """A decorator that registers the function under `name` and returns it unchanged.

        The name must match ^[A-Za-z0-9_-]{1,64}$ and not be taken already, else ValueError.
        """
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
            raise ValueError(f"tool name {name!r} must be 1-64 letters, digits, _ or -")
        if name in self.tools:
            raise ValueError(f"tool {name!r} is registered already")

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.tools[name] = Tool(name, description, parameters, function)
            return function

        return register

    def schemas(self) -> list[dict[str, Any]]:
        """The tools as the model sees them, in registration order:
        {"type": "function", "function": {"name", "description", "parameters"}}."""
        return [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                },
            }
            for t in self.tools.values()
        ]

    def call(self, name: str, arguments: str) -> str:
        """Run one tool call and return the observation for the model, a JSON string.

        On success: {"result": <what the function returned>}. Failures never raise; they
        come back as {"error": <message>} so the model can correct itself:
        - an unknown tool: the message names it;
        - `arguments` that are not valid JSON;
        - arguments that fail the tool's schema: the message holds every problem
          `validate` found, joined by "; ";
        - an exception inside the function: the message is "<ExceptionType>: <text>".
        Valid arguments are passed to the function as keyword arguments.
        """
        tool = self.tools.get(name)
        if tool is None:
            return json.dumps({"error": f"unknown tool {name!r}"})
        try:
            args = json.loads(arguments)
        except json.JSONDecodeError as e:
            return json.dumps({"error": f"arguments are not valid JSON: {e}"})
        problems = validate(args, tool.parameters)
        if problems:
            return json.dumps({"error": "; ".join(problems)})
        try:
            return json.dumps({"result": tool.function(**args)})
        except Exception as e:
            return json.dumps({"error": f"{type(e).__name__}: {e}"})


@dataclass
class AgentResult:
    answer: str | None
    stop: str
    steps: int
    messages: list[dict[str, Any]] = field(default_factory=list)


def run_agent(
    model: Model, registry: ToolRegistry, messages: list[dict[str, Any]], max_steps: int = 8
) -> AgentResult:
    """The agent loop. One step is one call `model(messages, registry.schemas())`.

    A reply is a dict: {"content": text} for a final answer, or {"content": text or None,
    "tool_calls": [{"id", "name", "arguments"}, ...]} to call tools. Each step:
    1. append the reply to the transcript as {"role": "assistant", **reply};
    2. with no (or empty) tool_calls, stop: AgentResult(answer=content, stop="answer");
    3. else run every call in order with registry.call and append one
       {"role": "tool", "tool_call_id": id, "content": observation} per call.
    After max_steps model calls without a final answer, stop with
    AgentResult(answer=None, stop="budget"). `steps` counts the model calls made;
    `messages` is the whole transcript, starting with a copy of the caller's messages
    (the caller's list is not changed). max_steps < 1 is a ValueError.
    """
    if max_steps < 1:
        raise ValueError(f"max_steps must be at least 1, got {max_steps}")
    transcript = list(messages)
    for step in range(1, max_steps + 1):
        reply = model(list(transcript), registry.schemas())
        transcript.append({"role": "assistant", **reply})
        calls = reply.get("tool_calls") or []
        if not calls:
            return AgentResult(reply.get("content"), "answer", step, transcript)
        for call in calls:
            observation = registry.call(call["name"], call["arguments"])
            transcript.append({"role": "tool", "tool_call_id": call["id"], "content": observation})
    return AgentResult(None, "budget", max_steps, transcript)
