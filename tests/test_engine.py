"""The engine on a small procedure and the real mocked backend (a SQLite file)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from procedures import engine
from procedures import graph as checks
from procedures.backend import DEMO_PASSWORD, MockBackend
from procedures.engine import render as engine_render
from procedures.errors import StaleRevision, VersionMismatch
from procedures.library import Library
from procedures.model import Option, Procedure, Step
from procedures.run import REDACTED, Event
from tests.conftest import SEED_GUIDES

PROCEDURE = Procedure.model_validate({
    "id": "rename-me", "title": "Rename me",
    "steps": [
        {"id": "intro", "kind": "note", "text": "Let's change your name.", "next": "who"},
        {"id": "who", "kind": "check", "operation": "whoami", "save_as": "me", "next": [
            {"if": {"var": "results.me.role", "equals": "collaborator"}, "then": "collab"},
            {"if": {"else": True}, "then": "look"}]},
        {"id": "collab", "kind": "warning", "text": "As a collaborator, you edit your own "
                                                    "profile only.", "next": "look"},
        {"id": "look", "kind": "instruction", "text": "Open your profile.", "next": "first"},
        {"id": "first", "kind": "collect", "text": "Your first name?",
         "field": {"name": "first_name", "max_length": 64}, "next": "last"},
        {"id": "last", "kind": "collect", "text": "Your last name?",
         "field": {"name": "last_name", "max_length": 64}, "next": "sure"},
        {"id": "sure", "kind": "choice", "text": "Save {answers.first_name} {answers.last_name}?",
         "options": [{"id": "yes", "label": "Yes, save", "next": "password"},
                     {"id": "no", "label": "No, stop", "next": "stopped"}]},
        {"id": "password", "kind": "collect", "text": "Your password, to confirm:",
         "field": {"name": "password", "type": "password", "max_attempts": 3},
         "routes": {"too_many_attempts": "locked"}, "next": "verify"},
        {"id": "verify", "kind": "check", "operation": "verify_password",
         "args": {"password": "{answers.password}"}, "save_as": "ok", "next": [
             {"if": {"var": "results.ok", "is": True}, "then": "save"},
             {"if": {"else": True}, "then": "wrong"}]},
        {"id": "wrong", "kind": "note", "text": "That password is not right.",
         "next": "password"},
        {"id": "save", "kind": "action", "operation": "update_name", "mutates": True,
         "text": "Your name is now {answers.first_name} {answers.last_name}.",
         "args": {"first_name": "{answers.first_name}", "last_name": "{answers.last_name}"},
         "routes": {"permission_denied": "denied"}, "next": "done"},
        {"id": "denied", "kind": "end", "outcome": "blocked", "text": "Not allowed."},
        {"id": "locked", "kind": "end", "outcome": "blocked", "text": "Too many attempts."},
        {"id": "stopped", "kind": "end", "outcome": "cancelled", "text": "Nothing saved."},
        {"id": "done", "kind": "end", "outcome": "done", "text": "All done."},
    ]})


@pytest.fixture
def backend(tmp_path):
    return MockBackend(tmp_path / "accounts.sqlite3")


class Driver:
    """Drives one run and keeps the last result, as a user interface would."""

    def __init__(self, backend, account="legal-rep"):
        self.backend = backend
        self.result = engine.start(PROCEDURE, account, backend)

    @property
    def run(self):
        return self.result.run

    def send(self, type_="answer", value=None):
        self.result = engine.advance(PROCEDURE, self.run, Event(type=type_, value=value),
                                     self.backend)
        return self.result

    @property
    def step(self):
        return self.run.step


def test_the_procedure_passes_its_checks():
    assert checks.problems(PROCEDURE) == []


def test_a_full_run_changes_the_account(backend):
    d = Driver(backend)
    assert d.step == "look"
    assert [o.text for o in d.result.outputs] == ["Let's change your name."]
    d.send(value="done")
    d.send(value="  Ada ")
    d.send(value="Lovelace")
    assert engine.view(PROCEDURE, d.run).text == "Save Ada Lovelace?"
    d.send(value="1")
    d.send(value=DEMO_PASSWORD)
    assert d.run.status == "done"
    assert d.run.changes == ["Your name is now Ada Lovelace."]
    assert "Changed in your account: Your name is now Ada Lovelace." in d.run.summary
    profile = backend.get_profile("legal-rep")
    assert (profile.first_name, profile.last_name) == ("Ada", "Lovelace")


@pytest.mark.parametrize("text, said", [
    ("Your name is now {answers.first_name} {answers.last_name}", "Your name is now Ada "
                                                                  "Lovelace."),
    ("", "The change was made."),
])
def test_a_change_is_said_as_a_sentence_and_never_by_its_operation(backend, text, said):
    # An overlay that leaves out the period, or the text: the person reads a sentence,
    # not "update_name done".
    steps = [step.model_copy(update={"text": text}) if step.id == "save" else step
             for step in PROCEDURE.steps]
    procedure = PROCEDURE.model_copy(update={"steps": steps})
    run = engine.start(procedure, "legal-rep", backend).run
    for value in ("done", "Ada", "Lovelace", "1", DEMO_PASSWORD):
        result = engine.advance(procedure, run, Event(type="answer", value=value), backend)
        run = result.run
    assert run.changes == [said]
    assert ("result", said) in [(o.type, o.text) for o in result.outputs]


def test_checks_branch_without_asking(backend):
    d = Driver(backend, "collaborator")
    assert [o.type for o in d.result.outputs] == ["note", "warning"]


@pytest.mark.parametrize("value, reason", [
    ("", "The first name cannot be empty."),
    ("x" * 65, "The first name is too long: at most 64 characters."),
    ("bad\x00name", "The value contains control characters."),
    (["a", "list"], "Please type a value."),
])
def test_bad_values_are_re_asked_with_the_reason_alone(backend, value, reason):
    d = Driver(backend)
    d.send(value="done")
    before = d.run.model_copy(deep=True)
    d.send(value=value)
    assert d.step == "first"
    assert [(o.type, o.text) for o in d.result.outputs] == [("error", reason)]
    assert engine.view(PROCEDURE, d.run).error == reason
    assert d.run.answers == before.answers and d.run.checkpoints == before.checkpoints


def test_choice_accepts_number_label_id_and_yes_no(backend):
    for value in ("1", "Yes, save", "yes", "YES."):
        d = Driver(backend)
        for v in ("done", "A", "B"):
            d.send(value=v)
        d.send(value=value)
        assert d.step == "password", value
    d = Driver(backend)
    for v in ("done", "A", "B", "maybe"):
        d.send(value=v)
    assert d.result.outputs[0].text == "Please choose “Yes, save” or “No, stop”."


def test_instruction_needs_done(backend):
    d = Driver(backend)
    d.send(value="what?")
    assert d.step == "look" and d.run.error.startswith("When you have done this step")


def test_passwords_never_stay_in_the_run(backend):
    d = Driver(backend)
    for v in ("done", "A", "B", "yes", "wrong password"):
        d.send(value=v)
    assert d.step == "password"
    assert "That password is not right." in [o.text for o in d.result.outputs]
    assert d.run.answers["password"] == REDACTED
    assert "wrong password" not in d.run.model_dump_json()


def test_too_many_attempts_leads_somewhere(backend):
    d = Driver(backend)
    for v in ("done", "A", "B", "yes"):
        d.send(value=v)
    for _ in range(3):
        d.send(value="")
    assert d.run.status == "blocked" and d.run.summary == "Too many attempts."


def test_back_returns_to_the_previous_question_and_forgets_its_answer(backend):
    d = Driver(backend)
    for v in ("done", "Ada"):
        d.send(value=v)
    assert d.run.answers["first_name"] == "Ada"
    d.send("back")
    assert d.step == "first" and "first_name" not in d.run.answers
    d.send("back")
    assert d.step == "look"
    d.send("back")
    assert d.step == "look" and d.result.outputs[0].text.startswith("There is no earlier")


def test_a_step_that_changed_the_account_is_a_barrier(backend):
    steps = [s.model_copy(update={"next": "feedback"}) if s.id == "save" else s
             for s in PROCEDURE.steps]
    steps.append(Step.model_validate({
        "id": "feedback", "kind": "choice", "text": "Happy?", "options": [
            {"id": "yes", "label": "Yes", "next": "done"},
            {"id": "no", "label": "No", "next": "done"}]}))
    with_question_after = PROCEDURE.model_copy(update={"steps": steps, "version": "b"})
    assert checks.problems(with_question_after) == []
    result = engine.start(with_question_after, "legal-rep", backend)
    for value in ("done", "A", "B", "yes", DEMO_PASSWORD):
        result = engine.advance(with_question_after, result.run,
                                Event(type="answer", value=value), backend)
    assert result.run.step == "feedback"
    assert "back" not in engine.allowed_events(with_question_after, result.run)
    result = engine.advance(with_question_after, result.run, Event(type="back"), backend)
    assert result.run.step == "feedback"
    assert result.outputs[0].text == ("You can't go back past this point: Your name is now "
                                      "A B. That change is already made in your account.")


def test_cancel_and_restart(backend):
    d = Driver(backend)
    d.send(value="done")
    d.send("cancel")
    assert d.run.status == "cancelled"
    assert engine.allowed_events(PROCEDURE, d.run) == ["restart"]
    d.send(value="anything")
    assert d.run.status == "cancelled" and "already ended" in d.result.outputs[0].text
    d.send("restart")
    assert d.run.status == "active" and d.step == "look" and d.run.answers == {}


def test_permission_refusal_from_the_backend_is_explained(backend, monkeypatch):
    from procedures.backend import PermissionDenied

    def refuse(*args, **kwargs):
        raise PermissionDenied("only the account owner may change this name")

    monkeypatch.setattr(backend, "update_name", refuse)
    d = Driver(backend)
    for v in ("done", "A", "B", "yes", DEMO_PASSWORD):
        d.send(value=v)
    assert d.run.status == "blocked"
    assert [o.text for o in d.result.outputs][-2:] == [
        "Only the account owner may change this name.", "Not allowed."]


def test_temporary_backend_failure_re_asks_instead_of_going_silent(tmp_path):
    backend = MockBackend(tmp_path / "a.sqlite3", fail_operations={"update_name"})
    d = Driver(backend)
    for v in ("done", "A", "B", "yes", DEMO_PASSWORD):
        d.send(value=v)
    assert d.run.status == "active"
    assert d.step == "password"
    assert "temporarily unavailable" in d.run.error


def test_stale_revision_and_version_mismatch_are_refused(backend):
    d = Driver(backend)
    with pytest.raises(StaleRevision):
        engine.advance(PROCEDURE, d.run, Event(type="answer", value="done", revision=99),
                       backend)
    other = PROCEDURE.model_copy(update={"version": "other"})
    with pytest.raises(VersionMismatch):
        engine.advance(other, d.run, Event(type="answer", value="done"), backend)


def test_advance_does_not_modify_its_input(backend):
    d = Driver(backend)
    before = d.run.model_dump()
    engine.advance(PROCEDURE, d.run, Event(type="answer", value="done"), backend)
    assert d.run.model_dump() == before


def test_no_turn_of_a_whole_run_modifies_the_run_it_was_given(backend):
    # Every kind of turn: answers, a refused value, back, a wrong password, the change
    # made (which marks the checkpoints before it), the end. A run given out once (a
    # stored one, remembered for the next turn) must read the same after each.
    d = Driver(backend)
    turns = [("answer", "done"), ("answer", ""), ("answer", "Ada"), ("back", None),
             ("answer", "Ada"), ("answer", "Lovelace"), ("answer", "yes"),
             ("answer", "wrong password"), ("answer", DEMO_PASSWORD)]
    for type_, value in turns:
        given = d.run
        before = given.model_dump()
        d.send(type_, value)
        assert given.model_dump() == before, (type_, value)
    assert d.run.status == "done" and d.run.changes
    assert all(c.barrier for c in d.run.checkpoints)


def test_runs_are_plain_json_and_revisions_count_turns(backend):
    d = Driver(backend)
    first = d.run.revision
    d.send(value="done")
    assert d.run.revision == first + 1
    copy = type(d.run).model_validate_json(d.run.model_dump_json())
    assert copy == d.run


def test_funnel_events_tell_the_story(backend):
    d = Driver(backend)
    types = [f.type for f in d.result.funnel]
    assert types[0] == "started" and "step_entered" in types
    d.send(value="")
    d.send(value="done")
    d.send(value="")
    assert [f.type for f in d.result.funnel] == ["rejected"]
    d.send("cancel")
    assert [f.type for f in d.result.funnel] == ["cancelled"]


def test_a_loop_without_questions_is_stopped(backend):
    looping = Procedure.model_validate({"id": "loop", "title": "Loop", "steps": [
        {"id": "a", "kind": "note", "text": "a", "next": "b"},
        {"id": "b", "kind": "note", "text": "b", "next": [
            {"if": {"var": "answers.never", "exists": True}, "then": "end"},
            {"if": {"else": True}, "then": "a"}]},
        {"id": "end", "kind": "end", "outcome": "done", "text": "end"}]})
    result = engine.start(looping, "legal-rep", backend)
    assert result.run.status == "failed"
    assert "went round in circles" in result.run.summary


@pytest.mark.parametrize("said", ["²", "¹", "2²", "٣"])
def test_only_ascii_numbers_pick_an_option(said):
    options = [Option(id="a", label="First", next="x"), Option(id="b", label="Second",
                                                               next="x")]
    # "²" is a digit to str.isdigit, but int() refuses it: it must be "no match", not a crash.
    assert engine.match_option(options, said) is None
    assert engine.match_option(options, "2") is options[1]


def test_an_instruction_cannot_branch():
    # The engine gives an instruction one way on ("Done"); a branch list there is refused
    # when the procedure is loaded, naming the step, instead of failing mid-run.
    with pytest.raises(ValidationError, match="step 'a' is an instruction step"):
        Procedure.model_validate({"id": "branching", "title": "Branching", "steps": [
            {"id": "a", "kind": "instruction", "text": "Do A", "next": [
                {"if": {"var": "answers.x", "equals": "y"}, "then": "a"},
                {"if": {"else": True}, "then": "end"}]},
            {"id": "end", "kind": "end", "outcome": "done", "text": "Done."}]})


def test_progress_does_not_jump_back_after_the_first_answer(tmp_path):
    procedure = Library(SEED_GUIDES).get("prepaid-account-interrupted-order")
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    result = engine.start(procedure, "prepaid", backend)
    seen = []
    for answer in ("do", "payout", "bank", "CH93 0076 2011 6238 5295 7", "100", "confirm"):
        progress = engine.view(procedure, result.run).progress
        seen.append((progress.position, progress.total))
        result = engine.advance(procedure, result.run, Event(type="answer", value=answer),
                                backend)
    assert [position for position, _ in seen] == [1, 2, 3, 4, 5, 6]
    totals = [total for _, total in seen]
    assert totals == sorted(totals) and totals[0] == totals[-1], totals


def test_a_refused_value_is_offered_again_to_be_corrected_but_never_a_secret(tmp_path):
    procedure = Library(SEED_GUIDES).get("prepaid-account-interrupted-order")
    backend = MockBackend(tmp_path / "accounts.sqlite3")
    result = engine.start(procedure, "prepaid", backend)
    for answer in ("do", "payout", "paypal", "bob@example"):
        result = engine.advance(procedure, result.run, Event(type="answer", value=answer),
                                backend)
    view = engine.view(procedure, result.run)
    assert view.error and "is not an email address" in view.error
    assert view.field["value"] == "bob@example"
    result = engine.advance(procedure, result.run, Event(type="answer", value="bob@example.ch"),
                            backend)
    assert engine.view(procedure, result.run).field["name"] == "amount"
    assert engine.view(procedure, result.run).field["value"] is None

    hack = Library(SEED_GUIDES).get("account-secure-after-hack")
    result = engine.start(hack, "compromised", backend)
    for answer in ("do", "confirm", "wrong-password-1"):
        result = engine.advance(hack, result.run, Event(type="answer", value=answer), backend)
    view = engine.view(hack, result.run)
    assert view.error and view.field["value"] is None
    assert "wrong-password-1" not in result.run.model_dump_json()


@pytest.mark.parametrize(("said", "chosen"), [("turn them off", "off"),
                                              ("keep them on please", "on"),
                                              ("don't turn them off", None),
                                              ("I want reminder emails", None),
                                              ("off and on again", None)])
def test_a_short_answer_naming_one_option_picks_it_and_a_negation_picks_nothing(said,
                                                                               chosen):
    options = [Option(id="on", label="Yes, remind me before the deadline", next="x"),
               Option(id="off", label="No reminder emails", next="x")]
    found = engine.match_option(options, said)
    assert (found.id if found else None) == chosen


def test_the_count_of_steps_left_follows_the_branches_the_answers_have_decided(backend):
    # "Only my name": the picture's question further on is not counted any more; before
    # the choice, the longest way is.
    procedure = Procedure.model_validate({"id": "names", "title": "Names", "start": "what",
                                          "steps": [
        {"id": "what", "kind": "choice", "text": "What?", "options": [
            {"id": "name", "label": "My name", "next": "first"},
            {"id": "both", "label": "Both", "next": "first"}]},
        {"id": "first", "kind": "collect", "text": "First name?",
         "field": {"name": "first_name"}, "next": [
             {"if": {"var": "answers.what", "equals": "both"}, "then": "picture"},
             {"if": {"else": True}, "then": "end"}]},
        {"id": "picture", "kind": "collect", "text": "Picture?",
         "field": {"name": "picture"}, "next": "end"},
        {"id": "end", "kind": "end", "outcome": "done", "text": "Done."}]})
    result = engine.start(procedure, "legal-rep", backend)
    assert engine.view(procedure, result.run).progress.remaining == 3
    name = engine.advance(procedure, result.run, Event(type="answer", value="name"), backend)
    assert engine.view(procedure, name.run).progress.remaining == 1
    result = engine.start(procedure, "legal-rep", backend)
    both = engine.advance(procedure, result.run, Event(type="answer", value="both"), backend)
    assert engine.view(procedure, both.run).progress.remaining == 2


@pytest.mark.parametrize("text, said", [
    ("on the 3 product(s) that carry it", "on the 3 products that carry it"),
    ("it was on 1 product(s).", "it was on 1 product."),
    ("Deleted: 0 application password(s) and 1 API token(s)",
     "Deleted: 0 application passwords and 1 API token"),
    ("the product(s) you choose", "the product(s) you choose"),  # no count: as written
])
def test_a_counted_noun_agrees_with_its_count(text, said):
    assert engine_render.agreed(text) == said


def test_the_step_count_is_exact_only_where_one_way_leads_to_the_end(backend):
    # "Step 2 of 3" when nothing ahead can change the count; "of about" while a choice,
    # a branch or a retry loop still lies ahead.
    d = Driver(backend)
    assert engine.view(PROCEDURE, d.run).progress.exact is False  # "Save?" lies ahead
    linear = Procedure.model_validate({
        "id": "linear", "title": "Linear", "steps": [
            {"id": "one", "kind": "instruction", "text": "Open Settings.", "next": "two"},
            {"id": "two", "kind": "instruction", "text": "Click Save.", "next": "done"},
            {"id": "done", "kind": "end", "outcome": "done", "text": "All done."}]})
    run = engine.start(linear, "legal-rep", backend).run
    progress = engine.view(linear, run).progress
    assert (progress.exact, progress.position, progress.total) == (True, 1, 2)
