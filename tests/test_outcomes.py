"""Outcomes true to the account: a "done" end checks the account first when the guide asks
for a final verification (`kb check` warns otherwise), and a new password's rules are
checked when it is typed, before its confirmation is asked."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.cli import main
from procedures import engine
from procedures.backend import DEMO_PASSWORD, MockBackend
from procedures.library import Library
from procedures.run import Event
from tests.conftest import SEED_GUIDES

OVERLAYS = Path(__file__).resolve().parents[1] / "procedures" / "overlays"


def test_the_shipped_overlays_check_the_account_before_saying_done():
    assert Library(SEED_GUIDES).warnings() == []


def test_kb_check_warns_on_a_done_end_reached_without_a_check(tmp_path: Path, capsys,
                                                              monkeypatch):
    overlays = tmp_path / "overlays"
    shutil.copytree(OVERLAYS, overlays)
    path = overlays / "account-secure-after-hack.yaml"
    text = path.read_text(encoding="utf-8")
    # Deleting every credential leads straight to "secured", without reading the account.
    revoked = '{results.revoked.api_tokens} API token(s)"\n    next: do-overview'
    assert revoked in text
    text = text.replace(revoked, revoked.replace("do-overview", "do-done"))
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KB_OVERLAYS", str(overlays))
    code = main(["--guides", str(SEED_GUIDES), "--data", str(tmp_path / "data"), "check"])
    err = capsys.readouterr().err
    assert code == 0, "a warning does not fail the check"
    assert "account-secure-after-hack.yaml:" in err and "warning: end 'do-done'" in err
    assert "Verify your security settings" in err


def test_a_weak_new_password_is_refused_before_the_confirmation(tmp_path: Path):
    library = Library(SEED_GUIDES)
    procedure = library.get("account-secure-after-hack")
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    result = engine.start(procedure, "compromised", backend)
    for answer in ("do", "confirm", DEMO_PASSWORD):
        result = engine.advance(procedure, result.run, Event(type="answer", value=answer),
                                backend)
    assert result.run.step == "do-new"
    result = engine.advance(procedure, result.run, Event(type="answer", value="short1"),
                            backend)
    assert result.run.step == "do-new", "refused on the same step, not at the confirmation"
    assert "use at least 12" in (result.run.error or "")
    result = engine.advance(procedure, result.run, Event(type="answer", value="onlyletterslong"),
                            backend)
    assert result.run.step == "do-new" and "add digits or symbols" in (result.run.error or "")


def test_the_hack_guide_ends_by_saying_what_is_still_missing(tmp_path: Path):
    procedure = Library(SEED_GUIDES).get("account-secure-after-hack")
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    result = engine.start(procedure, "compromised", backend)
    for answer in ("do", "confirm", DEMO_PASSWORD, "Brand-new-pass-42", "Brand-new-pass-42",
                   "pick", "1", "confirm", "tokens", "1", "confirm", "finished"):
        result = engine.advance(procedure, result.run, Event(type="answer", value=answer),
                                backend)
    view = engine.view(procedure, result.run)
    assert view is not None and "Not everything the guide asks for is done yet" in view.text
    labels = [o["label"] for o in view.options]
    assert "Turn on two-factor authentication with SMS codes" in labels
    assert "Delete the remaining application passwords and API tokens" in labels
    result = engine.advance(procedure, result.run, Event(type="answer", value="not now"),
                            backend)
    assert result.run.status == "done"
    assert "Your account is secured" not in result.run.summary
    assert "not fully secured yet" in result.run.summary
