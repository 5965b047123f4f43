"""Relevance evaluation: how well search answers a set of questions with known answers.

The set is a TSV file with a header and two columns, `query` and `expected`: the slug of
the guide that answers, or `-` for a question nothing should answer. The figures are the
ones help-center teams track: the right guide first (top-1), in the first three (top-3),
mean reciprocal rank, in-scope questions answered with confidence, out-of-scope ones
rejected.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KBError
from kb.search.responses import SearchResponse

OUT_OF_SCOPE = "-"


@dataclass(frozen=True)
class Case:
    query: str
    expected: str
    line: int


@dataclass
class Report:
    in_scope: int = 0
    out_of_scope: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal_ranks: float = 0.0
    answered: int = 0
    rejected: int = 0
    misses: list[tuple[Case, list[str], bool]] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        n, m = max(self.in_scope, 1), max(self.out_of_scope, 1)
        return {
            "in_scope": self.in_scope, "out_of_scope": self.out_of_scope,
            "top1": round(self.top1 / n, 4), "top3": round(self.top3 / n, 4),
            "mrr": round(self.reciprocal_ranks / n, 4),
            "answered": round(self.answered / n, 4),
            "rejected": round(self.rejected / m, 4),
        }


def read_cases(path: Path) -> list[Case]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if header is None or [h.strip().lower() for h in header[:2]] != ["query",
                                                                              "expected"]:
                raise KBError(f"{path}:1: the header must be 'query<TAB>expected'")
            cases = []
            for number, row in enumerate(reader, start=2):
                if not row or not row[0].strip():
                    continue
                if len(row) < 2 or not row[1].strip():
                    raise KBError(f"{path}:{number}: expected two tab-separated columns")
                cases.append(Case(row[0].strip(), row[1].strip(), number))
            return cases
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise KBError(f"{path}: not UTF-8 text") from None


def evaluate(cases: list[Case], search: Callable[[str], SearchResponse]) -> Report:
    report = Report()
    for case in cases:
        response = search(case.query)
        slugs = [r.slug for r in response.results]
        if case.expected == OUT_OF_SCOPE:
            report.out_of_scope += 1
            report.rejected += not response.confident
            if response.confident:
                report.misses.append((case, slugs[:3], True))
            continue
        report.in_scope += 1
        rank = slugs.index(case.expected) + 1 if case.expected in slugs else None
        report.top1 += rank == 1
        report.top3 += rank is not None and rank <= 3
        report.reciprocal_ranks += 1 / rank if rank else 0.0
        report.answered += response.confident
        if rank != 1 or not response.confident:
            report.misses.append((case, slugs[:3], response.confident))
    return report


@dataclass(frozen=True)
class AnswerCase:
    """A question, the guide that answers it, and the facts its answer must contain:
    groups separated by ";" that must all be present, each a choice of "|" alternatives."""

    question: str
    guide: str
    must: tuple[tuple[str, ...], ...]
    line: int


@dataclass
class AnswerReport:
    total: int = 0
    answered: int = 0  # the top guide is the expected one and its answer has the facts
    extracted: int = 0  # the expected guide's answer has the facts, wherever it ranks
    misses: list[tuple[AnswerCase, str, str]] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        n = max(self.total, 1)
        return {"questions": self.total, "answered": round(self.answered / n, 4),
                "extracted": round(self.extracted / n, 4)}


def read_answer_cases(path: Path) -> list[AnswerCase]:
    """The TSV file of `kb eval --answers`: columns question, guide, must."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = [h.strip().lower() for h in next(reader, None) or []]
            if header[:3] != ["question", "guide", "must"]:
                raise KBError(f"{path}:1: the header must be 'question<TAB>guide<TAB>must'")
            cases = []
            for number, row in enumerate(reader, start=2):
                if not row or not row[0].strip():
                    continue
                if len(row) < 3 or not row[1].strip() or not row[2].strip():
                    raise KBError(f"{path}:{number}: expected three tab-separated columns")
                must = tuple(tuple(a.strip() for a in group.split("|") if a.strip())
                             for group in row[2].split(";") if group.strip())
                cases.append(AnswerCase(row[0].strip(), row[1].strip(), must, number))
            return cases
    except OSError as exc:
        raise KBError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise KBError(f"{path}: not UTF-8 text") from None


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def holds(answer: str, must: tuple[tuple[str, ...], ...]) -> bool:
    """Whether an answer contains every required fact (any of its alternatives) and
    reads whole (it does not stop on a colon)."""
    text = _normal(answer)
    if not text or text.rstrip(" …").endswith(":"):
        return False
    return all(any(_normal(alt) in text for alt in group) for group in must)


def evaluate_answers(cases: list[AnswerCase],
                     search: Callable[[str], SearchResponse]) -> AnswerReport:
    """The answer shown for each question (the best guide's answering passage)."""
    report = AnswerReport()
    for case in cases:
        report.total += 1
        response = search(case.question)
        shown = ""
        if response.results and response.confident:
            top = response.results[0]
            shown = top.passage if top.slug == case.guide else ""
        expected = next((r.passage for r in response.results if r.slug == case.guide), "")
        report.answered += holds(shown, case.must)
        report.extracted += holds(expected, case.must)
        if not holds(shown, case.must):
            why = ("not confident" if not response.confident else
                   f"top {response.results[0].slug}" if response.results[0].slug != case.guide
                   else "answer")
            report.misses.append((case, why, shown or expected))
    return report
