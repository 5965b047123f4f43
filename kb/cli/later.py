"""Subcommand handlers imported when their subcommand runs, not when the parser is built.

Every `kb` call builds the whole parser; a handler whose module loads the procedure engine,
the importer or the migrations would make a one-off `kb search` wait for all of them.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.context import Context

Handler = Callable[[argparse.Namespace, "Context"], int]


def later(module: str, name: str) -> Handler:
    """The handler `name` of `module`, imported on its first call."""
    def handler(args: argparse.Namespace, context: Context) -> int:
        found: Handler = getattr(importlib.import_module(module), name)
        return found(args, context)

    handler.__qualname__ = f"{module}.{name}"
    return handler
