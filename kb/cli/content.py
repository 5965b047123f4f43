"""`kb check` and `kb import`: content validation and bringing existing articles in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.content import importer
from kb.content.guides import display_path
from kb.context import Context
from kb.errors import Problem
from kb.search import synonyms


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="validate every guide (and procedure)",
                       description="Validate every guide, the synonym table and the "
                                   "procedures; print each problem as 'file:line: message' "
                                   "and exit non-zero if there is any.")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("import", help="turn help articles (text, Markdown, HTML) into guides",
                       description="Turn plain-text (title on the first line), Markdown or "
                                   "HTML help articles into guide files named <slug>.md.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--to", type=Path, required=True, metavar="DIR",
                   help="folder to write the guides into")
    p.add_argument("--force", action="store_true", help="overwrite existing guide files")
    p.add_argument("--category", default="Imported",
                   help="category of the imported guides (default: Imported)")
    p.set_defaults(handler=cmd_import)


def collect_problems(context: Context) -> tuple[int, list[Problem]]:
    """Every problem of the content: guides, synonyms, procedures and overlays."""
    kb = context.knowledge_base()
    problems = list(kb.problems)
    problems += synonyms.check(synonyms.DEFAULT_PATH)
    broken = {p.path for p in kb.problems}
    for found in context.library.problems():
        problem = Problem(display_path(Path(found.path)), found.line, found.message)
        # A guide that does not load is reported once, by the guide checks.
        if problem.path not in broken:
            problems.append(problem)
    return len(kb), problems


def cmd_check(args: argparse.Namespace, context: Context) -> int:
    count, problems = collect_problems(context)
    for warning in context.library.warnings():
        print(f"{display_path(Path(warning.path))}:{warning.line}: warning: {warning.message}",
              file=sys.stderr)
    for problem in sorted(problems):
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"{count} guides and their procedures OK")
    return 0


def cmd_import(args: argparse.Namespace, context: Context) -> int:
    done, failed = importer.import_articles(args.files, args.to, force=args.force,
                                            category=args.category)
    for item in done:
        print(f"{item.source} -> {item.target}")
    for path, reason in failed:
        print(f"kb import: {path}: {reason}", file=sys.stderr)
    return 1 if failed else 0
