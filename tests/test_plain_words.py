"""Nothing a person reads contains an internal id, a rate as a fraction, a slug, an enum
name or a raw timestamp: every scenario of every procedure is run, and every message,
step text, detail, option label and field label it shows is scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procedures import engine
from procedures.backend import MockBackend
from procedures.backend.catalogue import CATALOGUE
from tests.test_procedure_paths import LIBRARY, load, scenario_files, to_event

PATTERNS = {
    "an internal id": re.compile(r"\b(?:cli|app|tok|inv|web|mail|dom|tag|prd|usr|org)-\d+\b"),
    # A fraction on its own: not an amount ("CHF 0.50") nor a limit ("at least 0.01").
    "a rate as a fraction": re.compile(r"(?<![A-Z]{3} )(?<!at least )(?<!at most )"
                                       r"(?<![\d.])0\.\d{1,4}\b(?! ?[A-Z]{3})"),
    "an enum name": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "a raw timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?"),
    "a product slug": re.compile(r"\b(?:" + "|".join(map(re.escape, CATALOGUE)) + r")\b"),
}


def offending(text: str) -> list[str]:
    return [f"{what}: {match.group(0)!r} in {text!r}" for what, pattern in PATTERNS.items()
            for match in pattern.finditer(text)]


def shown_texts(procedure, run) -> list[str]:
    """Everything the current step shows: text, details, option labels, field label."""
    view = engine.view(procedure, run)
    if view is None:
        return [run.summary]
    texts = [view.text, *view.details, *(o["label"] for o in view.options)]
    if view.field:
        texts += [str(view.field.get("label") or ""), str(view.field.get("help") or "")]
    return texts + ([view.error] if view.error else [])


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_no_ids_codes_or_timestamps_in_what_a_person_reads(path: Path, tmp_path: Path):
    data = load(path)
    procedure = LIBRARY.get(data.procedure)
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    found: list[str] = []
    for scenario in data.scenarios:
        backend.reset()
        result = engine.start(procedure, scenario.account, backend)
        seen = [o.text for o in result.outputs] + shown_texts(procedure, result.run)
        for item in scenario.steps:
            event, _ = to_event(item, backend, scenario.account)
            result = engine.advance(procedure, result.run, event, backend)
            seen += [o.text for o in result.outputs] + shown_texts(procedure, result.run)
        for text in seen:
            found += [f"{scenario.name}: {problem}" for problem in offending(text)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_scan_catches_each_kind():
    for text in ("Application password app-13 deleted", "(rate 0.20)",
                 "your role: legal_representative", "since 2026-11-28T10:00:00",
                 "One of: web-hosting, kdrive"):
        assert offending(text), text
    assert not offending("CHF 0.50 left, 20% off, on 28 November 2026, Web hosting")
