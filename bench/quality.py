"""Every relevance and answer figure of every question set, in one run.

Search changes are judged on all sets at once: the development set (questions.tsv), the
held-out one, the wide help center (48 guides, written apart), the seed guides alone,
two other companies' help centers (shift scheduling, 12 Markdown articles: `shifts`; an
online school, 10 articles saved as HTML pages, Markdown and text: `school`; a smart
thermostat's, 10 articles of the same mix, never tuned on: `home`; a bike-sharing
service's, 10 articles of the same mix: `bike`), and
the answer sets of `kb eval --answers`, and the fresh sets (written last from the
articles alone; measured, never tuned on, so their misses are never printed). Each set
runs against the guides the tests use (tests/test_relevance.py, tests/test_answers.py),
so the figures are the tests' figures.

    python bench/quality.py            # the table
    python bench/quality.py --misses   # and every question the wide set misses
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from kb.chat.closeness import maybe_guides
from kb.content.importer import import_articles
from kb.context import Context
from kb.search.evaluation import (
    OUT_OF_SCOPE,
    Case,
    evaluate,
    evaluate_answers,
    read_answer_cases,
    read_cases,
)
from kb.search.responses import SearchResponse
from kb.search.service import Searcher
from kb.settings import Settings

FIXTURES = ROOT / "tests" / "fixtures"
EVAL = FIXTURES / "eval"
ANSWERS = FIXTURES / "answers"
# Help centers of other companies, imported without the shipped guides.
OTHER_TRADES = ("shifts", "school", "home", "bike")


def searchers(work: Path) -> dict[str, Searcher]:
    """One searcher per help center: seed guides alone, with the articles, and wide; and
    other companies' help centers (`OTHER_TRADES`), each its own articles alone."""
    folders = {"seed": [], "articles": ["articles"], "wide": ["articles", "articles-wide"],
               **{name: [f"articles-{name}"] for name in OTHER_TRADES}}
    found = {}
    for name, sources in folders.items():
        guides = work / name / "guides"
        if name in OTHER_TRADES:
            guides.mkdir(parents=True)
        else:
            shutil.copytree(ROOT / "guides", guides)
        if sources:
            _, failed = import_articles([p for f in sources
                                         for p in sorted((FIXTURES / f).iterdir())], guides)
            assert not failed, failed
        found[name] = Context(Settings(guides=guides, data=work / name / "data")) \
            .search.searcher()
    return found


def fresh(searcher: Searcher) -> Callable[..., object]:
    """A search that ignores the answers cached by earlier runs (parameters may change)."""
    return Searcher(searcher.reader, searcher.synonyms).search


def answered_by(searcher: Searcher, set_name: str, limit: int
                ) -> tuple[Callable[[str, str], bool], list[Case]]:
    """For the robustness benchmarks (`bench/dressed.py`, `bench/typos.py`): a test that
    a text is answered by a guide (first, with confidence), and the first `limit`
    in-scope questions of a set that are answered by theirs."""
    search = fresh(searcher)

    def answers(text: str, slug: str) -> bool:
        found = search(text, limit=3)
        return bool(found.confident and found.results and found.results[0].slug == slug)

    cases = [c for c in read_cases(EVAL / set_name) if c.expected != OUT_OF_SCOPE]
    return answers, [c for c in cases[:limit] if answers(c.query, c.expected)]


@contextlib.contextmanager
def answered_set(description: str, limit: int) -> Iterator[
        tuple[str, Callable[[str, str], bool], list[Case]]]:
    """For a robustness benchmark: its command line (`--set`, `--limit`), then the set's
    name, the test of `answered_by` and the answered questions, over the wide help center
    built for the run (kept while the benchmark uses it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--set", default="questions.tsv", help="a file of tests/fixtures/eval")
    parser.add_argument("--limit", type=int, default=limit, help="questions of the set to use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        yield (args.set, *answered_by(searchers(Path(tmp))["wide"], args.set, args.limit))


def figures(built: dict[str, Searcher], misses: bool = False) -> dict[str, dict[str, float]]:
    """{set: {figure: value}} for every set."""
    out: dict[str, dict[str, float]] = {}
    seed_slugs = {p.stem for p in (ROOT / "guides").glob("*.md")}
    runs = {"questions": ("articles", read_cases(EVAL / "questions.tsv")),
            "heldout": ("articles", read_cases(EVAL / "heldout.tsv")),
            "wide": ("wide", read_cases(EVAL / "wide.tsv")),
            # Measured, never tuned on: its misses are not printed.
            "fresh": ("wide", read_cases(EVAL / "fresh.tsv")),
            "seed-only": ("seed", [c for c in read_cases(EVAL / "questions.tsv")
                                   if c.expected in seed_slugs]),
            # Another company's help center, written apart; tuned on since 2026-11-29.
            "shifts": ("shifts", read_cases(EVAL / "shifts.tsv")),
            "school": ("school", read_cases(EVAL / "school.tsv")),
            # A third company's, measured and never tuned on: its misses are not printed.
            "home": ("home", read_cases(EVAL / "home.tsv")),
            # A fourth (bike sharing), written apart on 2026-11-29 and tuned on since.
            "bike": ("bike", read_cases(EVAL / "bike.tsv"))}
    for name, (help_center, cases) in runs.items():
        search = fresh(built[help_center])
        report = evaluate(cases, lambda q, s=search: s(q, limit=10))  # type: ignore[misc]
        kept = ("top1", "top3", "mrr", "answered") + (("rejected",) if name != "seed-only"
                                                       else ())
        out[name] = {k: v for k, v in report.figures().items() if k in kept}
        if name != "seed-only":
            out[name].update(offered(cases, search))
        if misses and name in ("wide", "heldout"):
            for case, top, confident in report.misses:
                print(f"  miss {case.expected:35s} {confident!s:5s} {top[:2]} {case.query}")
    for name, help_center in (("tuning", "seed"), ("heldout", "seed"), ("fresh", "seed"),
                              ("articles-tuning", "wide"), ("articles-heldout", "wide"),
                              ("shifts", "shifts"), ("school", "school"),
                              ("home", "home"), ("bike", "bike")):
        search = fresh(built[help_center])
        report = evaluate_answers(read_answer_cases(ANSWERS / f"{name}.tsv"),
                                  lambda q, s=search: s(q, limit=10))  # type: ignore[misc]
        out[f"answers-{name}"] = {k: v for k, v in report.figures().items()
                                  if k in ("answered", "extracted")}
    return out


def offered(cases: list[Case], search: Callable[..., object]) -> dict[str, float]:
    """What the chat offers as a choice when no guide answers with confidence
    (`maybe_guides`): the share of in-scope questions declined that get their guide
    among the choices, and the share of unrelated questions that get any choice."""
    right = declined = unrelated = offered_unrelated = 0
    for case in cases:
        response = search(case.query, limit=10)
        assert isinstance(response, SearchResponse)
        choices = [r.slug for r in maybe_guides(response)]
        if case.expected == OUT_OF_SCOPE:
            unrelated += 1
            offered_unrelated += bool(choices)
        elif not response.confident:
            declined += 1
            right += case.expected in choices
    return {"offered": right / max(declined, 1),
            "offered-unrelated": offered_unrelated / max(unrelated, 1)}


def show(table: dict[str, dict[str, float]]) -> None:
    for name, values in table.items():
        cells = "  ".join(f"{k} {v:.1%}" if k != "mrr" else f"mrr {v:.3f}"
                          for k, v in values.items())
        print(f"{name:16s} {cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        show(figures(searchers(Path(tmp)), args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
