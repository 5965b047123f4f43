"""A review before every change to an account: generated from the backend's declaration
of the operations that change it, shown with the person's values (a secret never, an
IBAN masked), and a person can confirm, change a value or cancel without any change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procedures import engine, review
from procedures.backend import MockBackend, jsonable
from procedures.backend.changes import CHANGES, READS
from procedures.backend.reference import operations
from procedures.library import Library
from procedures.run import Event
from tests.conftest import SEED_GUIDES

LIBRARY = Library(SEED_GUIDES)
OVERLAYS = Path(__file__).resolve().parents[1] / "procedures" / "overlays"
IBAN = "CH93 0076 2011 6238 5295 7"


@pytest.fixture
def backend(tmp_path: Path) -> MockBackend:
    return MockBackend(tmp_path / "accounts.sqlite3")


def walk(slug: str, account: str, answers: list[str], backend: MockBackend):
    procedure = LIBRARY.get(slug)
    result = engine.start(procedure, account, backend)
    for answer in answers:
        result = engine.advance(procedure, result.run, Event(type="answer", value=answer),
                                backend)
    return procedure, result


def test_every_operation_is_declared_as_a_change_or_a_read():
    declared = set(CHANGES) | READS
    assert set(operations()) == declared
    assert not set(CHANGES) & READS


@pytest.mark.parametrize("slug", LIBRARY.slugs())
def test_every_change_in_every_procedure_has_a_review_before_it(slug: str):
    procedure = LIBRARY.get(slug)
    assert review.problems(procedure) == []
    for action in procedure.steps:
        if action.kind != "action" or action.operation not in CHANGES:
            continue
        found = procedure.step(f"{action.id}.review")
        labels = [o.label for o in found.options]
        assert found.kind == "choice" and labels[0] == "Confirm"
        assert "Cancel" in labels[-1]
        assert all(label.startswith("Change ") for label in labels[1:-1])


def test_a_payout_is_reviewed_with_the_amount_and_a_masked_iban(backend):
    procedure, result = walk("prepaid-account-interrupted-order", "prepaid",
                             ["do", "payout", "bank", IBAN, "100"], backend)
    view = engine.view(procedure, result.run)
    assert view is not None and view.kind == "choice"
    assert "pay money out of your prepaid account" in view.text
    # Masked as the result will say it, so the person recognises their bank's country.
    assert view.details == ["Amount: CHF 100.00", "To the bank account: CH93 **** **** **** *295 7"]
    assert IBAN not in " ".join(view.details)
    assert [o["label"] for o in view.options] == [
        "Confirm", "Change the amount", "Change the IBAN", "Cancel, change nothing"]
    assert not [name for name, _ in backend.calls if name in CHANGES], "nothing paid yet"


def test_declining_the_review_changes_nothing(backend):
    before = jsonable(backend.account("prepaid"))
    _procedure, result = walk("prepaid-account-interrupted-order", "prepaid",
                             ["do", "payout", "bank", IBAN, "100", "cancel, change nothing"],
                             backend)
    assert result.run.status == "cancelled" and result.run.changes == []
    assert "Nothing was changed" in result.run.summary
    assert jsonable(backend.account("prepaid")) == before
    assert not [name for name, _ in backend.calls if name in CHANGES]


def test_changing_a_value_goes_back_to_its_question_and_keeps_the_others(backend):
    procedure, result = walk("prepaid-account-interrupted-order", "prepaid",
                             ["do", "payout", "bank", IBAN, "100", "Change the amount"],
                             backend)
    assert result.run.step == "do-amount"
    assert result.run.answers["iban"] == IBAN
    view = engine.view(procedure, result.run)
    assert view is not None and view.field is not None
    assert view.field["value"] == "100.00", "the answer given is offered again"
    result = engine.advance(procedure, result.run, Event(type="answer", value="20"), backend)
    again = engine.view(procedure, result.run)
    assert again is not None and again.details[0] == "Amount: CHF 20.00"
    result = engine.advance(procedure, result.run, Event(type="answer", value="confirm"),
                            backend)
    assert jsonable(backend.account("prepaid"))["organization"]["prepaid"]["balance"] == \
        "100.50"


def test_a_secret_is_never_shown_and_is_asked_after_the_review(backend):
    procedure, result = walk("kauth-remove-account", "kauth-sms", ["do"], backend)
    view = engine.view(procedure, result.run)
    assert view is not None and view.step.endswith(".review")
    assert view.text == ("After you confirm, I will ask for the password. Before I remove "
                         "a two-factor method, please check:")
    assert not any("demo-" in d or "Password:" in d for d in view.details)
    assert not any("ask for the password" in d for d in view.details)  # not a value


def test_kb_check_reports_a_change_that_can_bypass_its_review(tmp_path: Path):
    overlays = tmp_path / "overlays"
    shutil.copytree(OVERLAYS, overlays)
    path = overlays / "profile-edit-name-avatar.yaml"
    text = path.read_text(encoding="utf-8")
    # A hand-written review that only one of two ways to the change passes through: the
    # "name" option goes through it, "both" straight to the questions and the change.
    text = text.replace("{id: name, label: \"My first and last name\", next: do-first-name}",
                        "{id: name, label: \"My first and last name\", next: my-review}")
    text += """
  - id: my-review
    kind: choice
    reviews: do-update-name
    text: Save the new name?
    options:
      - {id: "yes", label: "Yes", next: do-first-name}
"""
    path.write_text(text, encoding="utf-8")
    found = [p.message for p in Library(SEED_GUIDES, overlays).problems()]
    assert any("can be reached without its review 'my-review'" in m for m in found), found
    assert any("review 'my-review' must be a choice with an option to cancel" in m
               for m in found), found
