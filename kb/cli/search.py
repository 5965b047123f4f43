"""`kb index`, `kb search`, `kb eval` and `kb gaps`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kb.context import Context
from kb.search import evaluation, index, indexing
from kb.search.snippets import plain


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("index", help="build the search index from the guides",
                       description="Build the search index from the guides, atomically: "
                                   "readers keep using the previous index until the new "
                                   "one is complete.")
    p.set_defaults(handler=cmd_index)

    p = sub.add_parser("search", help="search the guides",
                       description="Search the guides. QUERY '-' with --json reads one query "
                                   "per line on stdin and writes one JSON object per line.")
    p.add_argument("query", metavar="QUERY", help="the question, or '-' to read from stdin")
    p.add_argument("--limit", type=int, default=5, help="number of results (default 5)")
    p.add_argument("--category", help="only guides of this category")
    p.add_argument("--json", action="store_true", help="print JSON (JSON Lines for '-')")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("eval", help="measure search relevance on a TSV file of questions",
                       description="Measure relevance on a TSV file with the columns 'query' "
                                   "and 'expected' (a slug, or '-' for out of scope). With "
                                   "--answers, measure the answers instead: columns "
                                   "'question', 'guide' and 'must' (the facts the answer "
                                   "must contain: alternatives separated by '|', several "
                                   "required facts by ';').")
    p.add_argument("file", type=Path, metavar="FILE.tsv", nargs="?")
    p.add_argument("--answers", type=Path, metavar="FILE.tsv",
                   help="measure the share of answers that contain their facts")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    p.set_defaults(handler=cmd_eval)

    p = sub.add_parser("gaps", help="list the questions the knowledge base could not answer",
                       description="List unanswered questions, most frequent first.")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(handler=cmd_gaps)


def cmd_index(args: argparse.Namespace, context: Context) -> int:
    service = context.search
    started = time.perf_counter()
    with index.build_lock(context.settings.index_root):
        build, kb = indexing.rebuild(context.settings.index_root, context.settings.guides,
                                     service.synonyms, service.procedure_for)
    elapsed = time.perf_counter() - started
    for problem in kb.problems:
        print(problem, file=sys.stderr)
    print(f"indexed {len(kb)} guides from {context.settings.guides} in {elapsed:.2f} s "
          f"-> {build}")
    return 1 if kb.problems else 0


def cmd_search(args: argparse.Namespace, context: Context) -> int:
    if args.limit < 1 or args.limit > 100:
        print("kb search: --limit must be between 1 and 100", file=sys.stderr)
        return 2
    if args.query == "-":
        return _search_stream(args, context)
    response = context.search.search(args.query, limit=args.limit, category=args.category)
    if args.json:
        print(json.dumps(response.model_dump(mode="json"), ensure_ascii=False))
        return 0
    if response.message:
        print(f"note: {response.message}", file=sys.stderr)
    if response.suggestion:
        print(f"Did you mean: {response.suggestion}")
    if not response.confident:
        print("No guide answers this question with confidence."
              + (" Closest matches:" if response.results else ""))
    for i, result in enumerate(response.results, start=1):
        procedure = "  [guided procedure]" if result.procedure else ""
        print(f"{i}. {result.title}  ({result.slug}, score {result.score:.2f}){procedure}")
        if result.section:
            print(f"   § {result.section}")
        print(f"   {plain(result.snippet)}")
    return 0


def _search_stream(args: argparse.Namespace, context: Context) -> int:
    """One query per input line, one JSON object per output line, flushed as it goes."""
    stdin = sys.stdin.buffer
    for raw in stdin:
        line = raw.rstrip(b"\r\n")
        response = context.search.search(line, limit=args.limit, category=args.category)
        data = response.model_dump(mode="json")
        if args.json:
            print(json.dumps(data, ensure_ascii=False), flush=True)
        else:
            top = response.results[0].slug if response.results else "-"
            print(f"{response.query}\t{top}\t{'confident' if response.confident else 'unsure'}",
                  flush=True)
    return 0


def cmd_eval(args: argparse.Namespace, context: Context) -> int:
    if args.answers is not None:
        return _eval_answers(args, context)
    if args.file is None:
        print("kb eval: give a FILE.tsv of questions, or --answers FILE.tsv", file=sys.stderr)
        return 2
    cases = evaluation.read_cases(args.file)
    # The searcher itself, not the service: evaluation questions are not content gaps.
    searcher = context.search.searcher()
    report = evaluation.evaluate(cases, lambda q: searcher.search(q, limit=10))
    figures = report.figures()
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"questions: {figures['in_scope']} in scope, {figures['out_of_scope']} out of scope")
    print(f"top-1:     {figures['top1']:.1%}")
    print(f"top-3:     {figures['top3']:.1%}")
    print(f"MRR:       {figures['mrr']:.3f}")
    print(f"answered:  {figures['answered']:.1%} of in-scope questions answered with confidence")
    print(f"rejected:  {figures['rejected']:.1%} of out-of-scope questions rejected")
    if args.verbose:
        for case, got, confident in report.misses:
            flag = "confident" if confident else "unsure"
            print(f"  {args.file}:{case.line}: {case.query!r} expected {case.expected}, "
                  f"got {', '.join(got) or 'nothing'} ({flag})")
    return 0


def _eval_answers(args: argparse.Namespace, context: Context) -> int:
    cases = evaluation.read_answer_cases(args.answers)
    searcher = context.search.searcher()
    report = evaluation.evaluate_answers(cases, lambda q: searcher.search(q, limit=10))
    figures = report.figures()
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"questions: {figures['questions']}")
    print(f"answered:  {figures['answered']:.1%} of answers contain their facts and do not "
          "end on a colon")
    print(f"extracted: {figures['extracted']:.1%} of the expected guides' answers contain "
          "their facts (wherever the guide ranks)")
    if args.verbose:
        for case, top, shown in report.misses:
            print(f"  {args.answers}:{case.line}: {case.question!r} ({case.guide}; {top})")
            print("      " + (shown.replace("\n", "\n      ") or "(no answer)"))
    return 0


def cmd_gaps(args: argparse.Namespace, context: Context) -> int:
    gaps = context.gaps.top(args.limit)
    if not gaps:
        print("No unanswered questions recorded.")
    for gap in gaps:
        print(f"{gap.count:5d}  {gap.example}")
    return 0
