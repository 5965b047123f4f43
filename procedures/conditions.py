"""Evaluate the declarative conditions of `next` branches against a run's data.

Values are found by dotted paths (`answers.access`, `results.methods.items.0`); `count`
on a list is its length. Nothing is evaluated as code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from procedures.model import Branch, Condition

MISSING = object()


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted path, or MISSING."""
    current = data
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part, MISSING)
        elif isinstance(current, list | tuple):
            if part == "count":
                current = len(current)
            elif part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            else:
                return MISSING
        else:
            return MISSING
        if current is MISSING:
            return MISSING
    return current


def paths(condition: Condition) -> Iterator[str]:
    """The data paths a condition reads ("answers.mode", "results.methods.count")."""
    if condition.var:
        yield condition.var
    for part in (*(condition.all_ or []), *(condition.any_ or [])):
        yield from paths(part)
    if condition.not_ is not None:
        yield from paths(condition.not_)


def holds(condition: Condition, data: dict[str, Any]) -> bool:
    if condition.else_:
        return True
    if condition.all_ is not None:
        return all(holds(c, data) for c in condition.all_)
    if condition.any_ is not None:
        return any(holds(c, data) for c in condition.any_)
    if condition.not_ is not None:
        return not holds(condition.not_, data)
    value = lookup(data, condition.var or "")
    if condition.exists is not None:
        return (value is not MISSING and value is not None) == condition.exists
    if value is MISSING:
        return False
    fields = condition.model_fields_set
    if "equals" in fields:
        return bool(value == condition.equals)
    if "not_equals" in fields:
        return bool(value != condition.not_equals)
    if condition.in_ is not None:
        return value in condition.in_
    if "contains" in fields:
        return _contains(value, condition.contains)
    if condition.is_ is not None:
        return bool(value) == condition.is_
    try:
        if condition.lt is not None:
            return float(value) < condition.lt
        if condition.gt is not None:
            return float(value) > condition.gt
    except (TypeError, ValueError):
        return False
    return False


def _contains(value: Any, wanted: Any) -> bool:
    if isinstance(value, str):
        return isinstance(wanted, str) and wanted in value
    if not isinstance(value, list | tuple):
        return False
    if isinstance(wanted, dict):
        return any(isinstance(item, dict) and all(item.get(k) == v for k, v in wanted.items())
                   for item in value)
    return wanted in value


def first_match(branches: list[Branch], data: dict[str, Any]) -> str | None:
    for branch in branches:
        if holds(branch.if_, data):
            return branch.then
    return None
