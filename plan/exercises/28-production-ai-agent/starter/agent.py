"""An agent loop whose limits live in code: a tool registry that validates arguments, a step
budget, guards that refuse unsafe calls, and write tools that are not repeated when retried.

A model is any callable taking the message list and returning one reply, a dict that is either
{"tool": name, "args": {...}} (call a tool) or {"answer": text} (finish).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FALLBACK = "I could not finish this myself, so I have passed it to a colleague."

Model = Callable[[list[dict[str, Any]]], dict[str, Any]]
Guard = Callable[[str, dict[str, Any]], str | None]  # a reason to refuse the call, or None


class ToolError(Exception):
    """A tool call that cannot run: unknown tool or bad arguments."""


@dataclass
class AgentResult:
    status: str  # "answered" or "budget_exhausted"
    answer: str
    steps: int  # how many times the model was called
    trace: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


class ToolRegistry:
    def __init__(self) -> None:
        """An empty registry."""
        raise NotImplementedError

    def register(
        self, name: str, fn: Callable[..., Any], params: dict[str, type], writes: bool = False
    ) -> None:
        """Add tool `name`, called as fn(**args) with exactly the arguments in `params`
        (name -> int, float, str or bool). `writes` marks a tool with side effects.
        ValueError if the name is taken."""
        raise NotImplementedError

    def validate(self, name: str, args: Any) -> None:
        """ToolError unless `name` is registered and `args` is a dict with exactly its parameters,
        each of its type: a bool is never an int or a float; an int is accepted as a float."""
        raise NotImplementedError

    def call(self, name: str, args: dict[str, Any]) -> Any:
        """validate(name, args), then run the tool and return what it returns."""
        raise NotImplementedError


def refund_limit(max_amount: float) -> Guard:
    """A guard refusing issue_refund calls whose "amount" is above `max_amount` (equal is fine):
    a limit the prompt can ask for but only code can keep."""
    raise NotImplementedError


def run_agent(
    model: Model,
    registry: ToolRegistry,
    task: str,
    max_steps: int = 6,
    guards: tuple[Guard, ...] | list[Guard] = (),
) -> AgentResult:
    """Run the loop: messages start as [{"role": "user", "content": task}]; each step calls
    model(messages) once and appends {"role": "assistant", "reply": reply}.

    - {"answer": text}: stop with status "answered" and that answer.
    - {"tool": name, "args": args}: the call is validated, then checked by every guard, then run;
      the outcome goes back to the model as {"role": "tool", "name": name, "content": result} or,
      when it did not run, {"role": "tool", "name": name, "error": reason}. Nothing here raises:
      an invalid call (ToolError, or a reply that is not exactly one of the two forms) is
      outcome "invalid", a guard's refusal "refused" (the tool is not run), a tool that raises
      "failed" (its message in the error), a success "ok".
    - A write tool called again in the same run with equal args is not run again: it gets the
      first call's result, outcome "replayed" (agents retry; refunds must not double).
    - After max_steps model calls without an answer: status "budget_exhausted", answer FALLBACK.
    Every step adds one trace entry {"step": n, "tool": name or None, "outcome": ...}, outcome
    "answer" for the final one. ValueError if max_steps < 1.
    """
    raise NotImplementedError
