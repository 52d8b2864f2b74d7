"""A tool registry with JSON-Schema argument checks, and the agent loop around a model."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Model = Callable[[list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]]


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
    raise NotImplementedError


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
        raise NotImplementedError

    def tool(
        self, name: str, description: str, parameters: dict[str, Any]
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """A decorator that registers the function under `name` and returns it unchanged.

        The name must match ^[A-Za-z0-9_-]{1,64}$ and not be taken already, else ValueError.
        """
        raise NotImplementedError

    def schemas(self) -> list[dict[str, Any]]:
        """The tools as the model sees them, in registration order:
        {"type": "function", "function": {"name", "description", "parameters"}}."""
        raise NotImplementedError

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
        raise NotImplementedError


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
    raise NotImplementedError
