"""Fit and check the confidence model of search: when is the best answer an answer?

Search calls an answer confident when a small logistic model over six features of the
best result says so (`kb.search.confidence`, read by
`kb.search.service.confidence_features`). This script fits that model on the three
labelled question sets (questions, heldout, wide) and the tuning answer set (chat
questions, all in scope, against the seed guides alone), with balanced classes so that
the many in-scope questions do not drown the out-of-scope ones, and reports it
cross-validated: trained on all sets but one, measured on that one, and prints what the
shipped `WEIGHTS` give on the same questions. Paste the printed weights into
`kb.search.confidence.WEIGHTS` when the features change, or when a refit does better on
every set (then check every figure with bench/quality.py).

    python bench/confidence.py
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from kb.content.importer import import_articles
from kb.context import Context
from kb.search.confidence import WEIGHTS, decide
from kb.search.evaluation import read_answer_cases, read_cases
from kb.search.service import confidence_features
from kb.settings import Settings

FIXTURES = ROOT / "tests" / "fixtures"
SETS = {"questions": ["articles"], "heldout": ["articles"], "wide": ["articles",
                                                                     "articles-wide"],
        "answers": []}


def collect(work: Path) -> list[tuple[str, list[float], bool]]:
    """(set, features, in scope) for the best result of every question that has one."""
    rows = []
    for name, folders in SETS.items():
        guides = work / name / "guides"
        shutil.copytree(ROOT / "guides", guides)
        import_articles([p for f in folders for p in sorted((FIXTURES / f).iterdir())],
                        guides)
        searcher = Context(Settings(guides=guides, data=work / name / "data")).search.searcher()
        # The answer set asks the seed guides alone, every question in scope.
        cases = ([(c.question, True) for c in read_answer_cases(FIXTURES / "answers"
                                                                 / "tuning.tsv")]
                 if name == "answers" else
                 [(c.query, c.expected != "-") for c in read_cases(FIXTURES / "eval"
                                                                   / f"{name}.tsv")])
        for query, in_scope in cases:
            features = confidence_features(searcher, query)
            if features is not None:
                rows.append((name, features, in_scope))
    return rows


def fit(rows, l2: float = 0.01, steps: int = 4000, rate: float = 0.5) -> list[float]:
    """Logistic regression by gradient descent, classes weighted to count equally."""
    positives = sum(1 for _, _, y in rows if y) or 1
    negatives = (len(rows) - positives) or 1
    weights = [0.0] * (len(rows[0][1]) + 1)
    for _ in range(steps):
        gradient = [0.0] * len(weights)
        for _, features, label in rows:
            xs = [1.0, *features]
            p = 1 / (1 + math.exp(-sum(w * v for w, v in zip(weights, xs, strict=True))))
            balance = len(rows) / (2 * (positives if label else negatives))
            for i, value in enumerate(xs):
                gradient[i] += balance * (p - label) * value
        weights = [w - rate * (g / len(rows) + l2 * w) for w, g in zip(weights, gradient,
                                                                       strict=True)]
    return weights


def measure(weights: list[float], rows) -> tuple[float | None, float | None]:
    """The share of in-scope questions answered and of out-of-scope ones rejected (None
    for a class the rows do not hold: the answer set is all in scope)."""
    inside = [f for _, f, y in rows if y]
    outside = [f for _, f, y in rows if not y]
    return (sum(decide(weights, f) for f in inside) / len(inside) if inside else None,
            sum(not decide(weights, f) for f in outside) / len(outside) if outside else None)


def report(name: str, weights: list[float], rows) -> None:
    answered, rejected = measure(weights, [r for r in rows if r[0] == name])
    shown = [f"{share:.1%}" if share is not None else "-" for share in (answered, rejected)]
    print(f"  {name:10s} answered {shown[0]}  rejected {shown[1]}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        rows = collect(Path(tmp))
    print("cross-validated (trained on the other sets, measured on this one):")
    for held_out in SETS:
        report(held_out, fit([r for r in rows if r[0] != held_out]), rows)
    weights = fit(rows)
    print("weights on all sets:", tuple(round(w, 3) for w in weights))
    # What ships, on the same rows: a refit is worth pasting only if it beats these on
    # every set (the weights in use were fitted, then their bias moved, on all of them).
    print("the shipped WEIGHTS on each set:")
    for name in SETS:
        report(name, list(WEIGHTS), rows)
    return 0

if __name__ == "__main__":
    sys.exit(main())
