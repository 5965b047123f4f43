"""`kb check` and `kb import`: content validation and bringing existing articles in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.content.folders import DEFAULT_CATEGORY
from kb.content.guides import display_path
from kb.context import Context
from kb.errors import Problem
from kb.search import index, synonyms


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="validate every guide (and procedure)",
                       description="Validate every guide, the synonym table and the "
                                   "procedures; print each problem as 'file:line: message' "
                                   "and exit non-zero if there is any.")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("import", help="turn help articles (text, Markdown, HTML, a Zendesk "
                                      "export) into guides",
                       description="Turn plain-text (title on the first line), Markdown or "
                                   "HTML help articles, or the articles of a Zendesk Help "
                                   "Center export (a .json file from its articles API), into "
                                   "guide files named <slug>.md. Prints 'INPUT -> OUTPUT' "
                                   "for each guide written; what was changed or left out, "
                                   "and why, goes to standard error.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="an article, a Zendesk export (.json), or a folder of them whose "
                        "sub-folders name their articles' category")
    p.add_argument("--to", type=Path, required=True, metavar="DIR",
                   help="folder to write the guides into")
    p.add_argument("--force", action="store_true", help="overwrite existing guide files")
    p.add_argument("--category", default=DEFAULT_CATEGORY,
                   help="category of guides whose source names none "
                        f"(default: {DEFAULT_CATEGORY})")
    p.add_argument("--by-category", action="store_true",
                   help="write each guide into a sub-folder named after its category")
    p.add_argument("--drafts", action="store_true",
                   help="also import the draft articles of a Zendesk export")
    p.set_defaults(handler=cmd_import)


def collect_problems(context: Context) -> tuple[int, list[Problem]]:
    """Every problem of the content: guides, synonyms, procedures and overlays."""
    kb = context.knowledge_base()
    problems = list(kb.problems)
    problems += synonyms.check(synonyms.DEFAULT_PATH)
    own = synonyms.own_file(context.settings.guides)
    if own is not None:
        # (The shipped table is read the same way, but keeps words of one meaning in
        # two entries on purpose: "invoice" and "invoicing".)
        problems += synonyms.check(own, index.stems)
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
    # Imported here: the HTML and Zendesk readers are not needed by any other command.
    from kb.content import importer

    done, failed = importer.import_articles(args.files, args.to, force=args.force,
                                            category=args.category,
                                            by_category=args.by_category, drafts=args.drafts)
    for item in done:
        print(f"{item.label} -> {display_path(item.target)}")
        for note in item.notes:
            print(f"{item.label}: {note}", file=sys.stderr)
    for failure in failed:
        verb = "was skipped" if failure.deliberate else "was not imported"
        print(f"{failure.label} {verb}: {failure.reason}.", file=sys.stderr)
    errors = [f for f in failed if not f.deliberate]
    skipped = len(failed) - len(errors)
    total = len(done) + len(failed)
    summary = (f"Imported {len(done)} of {total} {'article' if total == 1 else 'articles'} "
               f"into {display_path(args.to)}.")
    if skipped:
        summary += f" {skipped} skipped on purpose."
    if errors:
        summary += f" {len(errors)} could not be imported, for the reasons above."
    print(summary, file=sys.stderr)
    return 1 if errors else 0
