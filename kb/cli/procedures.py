"""The procedure subcommands as the parser knows them: `compile`, `run` and `account`.
What they do lives in `kb.cli.running`, imported only when one of them runs: the
procedure engine and the backend would otherwise load for every `kb search`."""

from __future__ import annotations

import argparse
from pathlib import Path

from kb.cli.later import later

RUNNING = "kb.cli.running"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compile", help="print the procedure compiled from a guide",
                       description="Compile one guide file into its procedure.")
    p.add_argument("guide", type=Path, metavar="GUIDE.md")
    p.add_argument("--json", action="store_true", help="print the procedure as JSON")
    p.set_defaults(handler=later(RUNNING, "cmd_compile"))

    p = sub.add_parser("run", help="run a procedure interactively",
                       description="Run a procedure step by step against a demo account. "
                                   "With --json: one JSON object per step on stdout, one "
                                   "answer per line on stdin.")
    p.add_argument("slug", metavar="SLUG")
    p.add_argument("--account", required=True, metavar="NAME", help="demo account to act as")
    p.add_argument("--json", action="store_true", help="speak JSON Lines, for scripts")
    p.set_defaults(handler=later(RUNNING, "cmd_run"))

    p = sub.add_parser("account", help="inspect and reset the demo accounts",
                       description="Inspect and reset the demo accounts of the mocked "
                                   "account backend.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    a = actions.add_parser("list", help="list the demo accounts")
    a.set_defaults(handler=later(RUNNING, "cmd_account_list"))
    a = actions.add_parser("show", help="show one demo account")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=later(RUNNING, "cmd_account_show"))
    a = actions.add_parser("reset", help="restore one or every demo account")
    a.add_argument("name", nargs="?", metavar="NAME")
    a.set_defaults(handler=later(RUNNING, "cmd_account_reset"))
