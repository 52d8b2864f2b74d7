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
        self.tools: dict[str, tuple[Callable[..., Any], dict[str, type], bool]] = {}

    def register(
        self, name: str, fn: Callable[..., Any], params: dict[str, type], writes: bool = False
    ) -> None:
        """Add tool `name`, called as fn(**args) with exactly the arguments in `params`
        (name -> int, float, str or bool). `writes` marks a tool with side effects.
        ValueError if the name is taken."""
        if name in self.tools:
            raise ValueError(f"tool {name!r} is already registered")
        self.tools[name] = (fn, dict(params), writes)

    def validate(self, name: str, args: Any) -> None:
        """ToolError unless `name` is registered and `args` is a dict with exactly its parameters,
        each of its type: a bool is never an int or a float; an int is accepted as a float."""
        if name not in self.tools:
            raise ToolError(f"unknown tool {name!r}")
        if not isinstance(args, dict):
            raise ToolError(f"{name}: arguments must be an object, got {type(args).__name__}")
        params = self.tools[name][1]
        missing = sorted(set(params) - set(args))
        extra = sorted(set(args) - set(params))
        if missing or extra:
            raise ToolError(f"{name}: missing {missing}, unexpected {extra}")
        for arg, kind in params.items():
            value = args[arg]
            ok = isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool)
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            if not ok:
                raise ToolError(f"{name}: {arg} must be {kind.__name__}, got {value!r}")

    def call(self, name: str, args: dict[str, Any]) -> Any:
        """validate(name, args), then run the tool and return what it returns."""
        self.validate(name, args)
        return self.tools[name][0](**args)


def refund_limit(max_amount: float) -> Guard:
    """A guard refusing issue_refund calls whose "amount" is above `max_amount` (equal is fine):
    a limit the prompt can ask for but only code can keep."""

    def guard(name: str, args: dict[str, Any]) -> str | None:
        if name == "issue_refund" and args.get("amount", 0) > max_amount:
            return f"refunds above {max_amount} need a human"
        return None

    return guard


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
    if max_steps < 1:
        raise ValueError(f"max_steps must be at least 1, got {max_steps}")
    messages: list[dict[str, Any]] = [{"role": "user", "content": task}]
    trace: list[dict[str, Any]] = []
    done_writes: list[tuple[str, dict[str, Any], Any]] = []  # (tool, args, result)
    for step in range(1, max_steps + 1):
        reply = model(messages)
        messages.append({"role": "assistant", "reply": reply})
        if isinstance(reply, dict) and "answer" in reply and "tool" not in reply:
            trace.append({"step": step, "tool": None, "outcome": "answer"})
            return AgentResult("answered", str(reply["answer"]), step, trace, messages)
        both = isinstance(reply, dict) and "answer" in reply
        name = reply.get("tool") if isinstance(reply, dict) and not both else None
        args = reply.get("args", {}) if isinstance(reply, dict) else None
        outcome, result, error = "ok", None, None
        try:
            if not isinstance(name, str):
                raise ToolError(f"a reply must be a tool call or an answer, got {reply!r}")
            registry.validate(name, args)
            reasons = [r for r in (guard(name, args) for guard in guards) if r]
            if reasons:
                outcome, error = "refused", "refused: " + "; ".join(reasons)
            elif registry.tools[name][2]:
                # compared with ==, not as JSON text: a retry that sends 20 for 20.0 is equal
                earlier = [res for tool, old, res in done_writes if tool == name and old == args]
                if earlier:
                    outcome, result = "replayed", earlier[0]
                else:
                    result = registry.call(name, args)
                    done_writes.append((name, dict(args), result))
            else:
                result = registry.call(name, args)
        except ToolError as exc:
            outcome, error = "invalid", str(exc)
        except Exception as exc:
            outcome, error = "failed", f"tool failed: {exc}"
        tool_name = name if isinstance(name, str) else None
        if error is None:
            messages.append({"role": "tool", "name": tool_name, "content": result})
        else:
            messages.append({"role": "tool", "name": tool_name, "error": error})
        trace.append({"step": step, "tool": tool_name, "outcome": outcome})
    return AgentResult("budget_exhausted", FALLBACK, max_steps, trace, messages)
