"""The backend operations an overlay may call, read from the `AccountBackend` Protocol.

One source of truth for two readers: `kb check` validates an overlay's `operation` and
`args` against these signatures, and `docs/operations.md` (the reference for overlay
authors) is generated from them, so neither can drift from the Protocol:

    python -m procedures.backend.reference > docs/operations.md

The engine calls `operation(account, **args)`: an operation's first parameter is the
acting account (`acct`), and the overlay supplies the others. Methods whose first
parameter is not the account (`list_accounts`, `account`, `reset`) are demo controls,
not operations an overlay may call.
"""

from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from functools import cache

from procedures.backend.changes import CHANGES
from procedures.backend.protocol import AccountBackend

ACCOUNT_PARAMETER = "acct"
"""The name of the first parameter of every account operation: the acting account."""


@dataclass(frozen=True)
class Operation:
    """One account operation: its name and the parameters an overlay's `args` give."""

    name: str
    parameters: tuple[inspect.Parameter, ...]
    returns: str
    summary: str

    @property
    def required(self) -> list[str]:
        """The names of the parameters without a default: `args` must give them."""
        return [p.name for p in self.parameters if p.default is inspect.Parameter.empty]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]


def _methods() -> dict[str, inspect.Signature]:
    """Every public method of the Protocol, with its signature as written (without self)."""
    found: dict[str, inspect.Signature] = {}
    for name, member in vars(AccountBackend).items():
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        signature = inspect.signature(member)
        found[name] = signature.replace(parameters=list(signature.parameters.values())[1:])
    return found


@cache
def operations() -> dict[str, Operation]:
    """The operations an overlay may call, by name, in the Protocol's order."""
    found: dict[str, Operation] = {}
    for name, signature in _methods().items():
        parameters = list(signature.parameters.values())
        if not parameters or parameters[0].name != ACCOUNT_PARAMETER:
            continue
        found[name] = Operation(name=name, parameters=tuple(parameters[1:]),
                                returns=_annotation(signature.return_annotation),
                                summary=_summary(name))
    return found


@cache
def demo_controls() -> list[str]:
    """The Protocol's methods that do not act for an account (choose, inspect, reset)."""
    return [name for name in _methods() if name not in operations()]


def _annotation(value: object) -> str:
    if value is inspect.Signature.empty:
        return ""
    return value if isinstance(value, str) else inspect.formatannotation(value)


def _summary(name: str) -> str:
    """The first line of the operation's docstring: the Protocol's, else the mock's (the
    Protocol's methods are bare signatures; the mock documents what each one does)."""
    from procedures.backend.mock import MockBackend

    for owner in (AccountBackend, MockBackend):
        doc = inspect.getdoc(getattr(owner, name, None))
        if doc:
            return doc.strip().splitlines()[0]
    return ""


def _parameter(parameter: inspect.Parameter) -> str:
    text = f"`{parameter.name}`"
    annotation = _annotation(parameter.annotation)
    if annotation:
        text += f": `{annotation}`"
    if parameter.default is not inspect.Parameter.empty:
        text += f" (optional, default `{parameter.default!r}`)"
    return text


def render() -> str:
    """The Markdown reference of every operation (the content of docs/operations.md)."""
    lines = [
        "# Backend operations",
        "",
        "Generated from `procedures/backend/protocol.py` by "
        "`python -m procedures.backend.reference > docs/operations.md`; do not edit by "
        "hand (a test fails when this file is out of date).",
        "",
        "An overlay step calls one of these with `operation: NAME` and gives every "
        "parameter in `args` (values, or references such as `\"{answers.email}\"`). The "
        "acting account is passed by the engine as the first argument, so it is never "
        "in `args`. `kb check` refuses an unknown operation, an unknown argument and a "
        "missing required one.",
        "",
        "Whether an operation changes the account is declared beside the operations, in "
        "`procedures/backend/changes.py`: a step that calls one which does is a barrier "
        "for `back` (`mutates: true` is set for it), and the engine puts a review before "
        "it (what will be done with the person's values, with Confirm, Change … and "
        "Cancel). Each operation below says which it is.",
        "",
    ]
    for operation in operations().values():
        lines += [f"## `{operation.name}`", ""]
        if operation.summary:
            lines += [operation.summary, ""]
        if operation.parameters:
            lines += [f"- {_parameter(p)}" for p in operation.parameters]
        else:
            lines.append("- no arguments")
        lines += [f"- returns `{operation.returns}`"]
        change = CHANGES.get(operation.name)
        lines += [f"- changes the account (reviewed first: “Before I {change.does}…”)"
                  if change else "- only reads the account", ""]
    lines += ["## Demo controls", "",
              "Not callable from an overlay (they do not act for an account): "
              + ", ".join(f"`{name}`" for name in demo_controls()) + ".", ""]
    return "\n".join(lines)


def main() -> int:
    """Write the reference to standard output."""
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
