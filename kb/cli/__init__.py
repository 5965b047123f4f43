"""The `kb` command line: one function that takes argv and returns an exit code.

Subcommands live in small modules, each with a `register(subparsers)` function; handlers
receive the parsed arguments and a `Context`, print, and return an exit code. Nothing
here raises at the user: errors are printed as one clear line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kb import __version__
from kb.context import Context
from kb.errors import KBError
from kb.settings import Settings

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
OPENS_DATABASE_AT_START = {"serve"}


def build_parser() -> argparse.ArgumentParser:
    from kb.cli import content, db, procedures, search, serve, support

    parser = argparse.ArgumentParser(
        prog="kb", description="Help-center knowledge base: search, guides and procedures.")
    parser.add_argument("--version", action="version", version=f"kb {__version__}")
    parser.add_argument("--guides", metavar="DIR",
                        help="folder of guide files (env KB_GUIDES, default ./guides)")
    parser.add_argument("--data", metavar="DIR",
                        help="folder for the index and the database (env KB_DATA, "
                             "default ./.kb-data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (search, content, procedures, serve, support, db):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = Context(read_settings(args))
    try:
        if args.command in OPENS_DATABASE_AT_START:
            # A wrong or unreachable KB_DATABASE_URL, or a database needing `kb db
            # upgrade`, is said once here rather than by every request later.
            context.database.engine  # noqa: B018
        return int(args.handler(args, context) or EXIT_OK)
    except KBError as exc:
        print(f"kb: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("kb: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours.
        sys.stderr.close()
        return EXIT_OK


def read_settings(args: argparse.Namespace) -> Settings:
    """The settings, read once: `--guides` and `--data` win over `KB_GUIDES` / `KB_DATA`,
    which win over the defaults."""
    given = {"guides": args.guides, "data": args.data}
    return Settings(**{name: value for name, value in given.items() if value})
