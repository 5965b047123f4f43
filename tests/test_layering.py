"""The packages import each other in one direction only, as their docstrings say.

web -> kb -> procedures; inside kb, the domain packages sit on `kb.store` and
`kb.content`; `procedures.source` (the guide format) is the floor both stand on. Every
import statement of the product (including those inside functions) is checked, so a
shortcut taken in a hurry fails here instead of tangling the layers.
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

# Leaves every part of kb may import: its errors and its settings.
KB_LEAVES = {"kb.errors", "kb.settings"}
# package -> the project packages it may import (besides itself and its own children).
ALLOWED: dict[str, set[str]] = {
    "procedures.source": set(),
    "procedures.backend": {"procedures.source"},
    "procedures": {"procedures.source", "procedures.backend"},
    "kb.store": KB_LEAVES | {"procedures.source"},
    "kb.content": KB_LEAVES | {"procedures.source"},
    "kb.search": KB_LEAVES | {"kb.content", "kb.store", "procedures.source"},
    "kb.analytics": KB_LEAVES | {"kb.store", "kb.search", "procedures.source"},
    "kb.runs": KB_LEAVES | {"kb.store", "procedures"},
    "kb.chat": KB_LEAVES | {"kb.store", "kb.search", "kb.runs", "kb.content", "procedures"},
    "kb.support": KB_LEAVES | {"kb.store", "kb.chat", "kb.runs", "kb.analytics", "procedures"},
    "kb.console": KB_LEAVES | {"kb.store", "kb.search", "kb.analytics", "kb.chat", "kb.runs",
                               "kb.support", "procedures.source"},
    "kb.cli": {"kb", "procedures", "webapp"},  # only `kb serve` reaches into webapp
    "kb": {"kb", "procedures"},
    "webapp": {"webapp", "kb", "procedures"},
}
PROJECT = ("kb", "procedures", "webapp")


def owner(module: str) -> str:
    """The most specific package of ALLOWED that contains `module`."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in ALLOWED:
            return candidate
    raise AssertionError(f"{module} belongs to no known package")


def imports_of(path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] in PROJECT]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


SOURCES = sorted(p for package in PROJECT for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_one_way(path):
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    package = owner(module)
    allowed = ALLOWED[package] | {package}
    wrong = [name for name in imports_of(path)
             if not any(within(name, target) for target in allowed)]
    assert wrong == [], f"{module} ({package}) may not import {wrong}"


def test_only_kb_serve_reaches_into_the_web_app():
    reaching = sorted(str(p.relative_to(ROOT)) for p in SOURCES
                      if not within(owner(".".join(p.relative_to(ROOT).parts)[:-3]), "webapp")
                      and any(within(name, "webapp") for name in imports_of(p)))
    assert reaching == ["kb/cli/serve.py"]
