"""Conversation scenarios as data files, run against the real chat engine and services.

Each turn says something (or clicks an option) and states what must come back: reply
types, a text the replies contain, the guide answered from, the procedure offered, the
step the procedure is at, its status, a content gap logged.
"""

from __future__ import annotations

import threading

import pytest
import yaml

from kb.context import Context
from kb.errors import ConversationNotFound
from kb.settings import Settings
from procedures.run import Event
from tests.conftest import FIXTURES, SEED_GUIDES, guides_of
from tests.sql_support import sql

SCENARIOS = [s for path in sorted((FIXTURES / "chat").glob("*.yaml"))
             for s in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_conversation(context, scenario):
    chat = context.chat
    conv_id, token = chat.create(scenario["account"])
    for number, turn in enumerate(scenario["turns"], start=1):
        where = f"turn {number} ({turn.get('say', turn.get('option'))!r})"
        replies = chat.post(conv_id, token, turn.get("say", ""), option=turn.get("option"))
        texts = " | ".join(r.text for r in replies)
        if "types" in turn:
            assert [r.type for r in replies] == turn["types"], f"{where}: {texts}"
        if "reply" in turn:
            assert turn["reply"] in texts, f"{where}: {turn['reply']!r} not in {texts!r}"
        if "guide" in turn:
            assert replies[0].guide == turn["guide"], f"{where}: {texts}"
        if "offer" in turn:
            assert any(r.procedure == turn["offer"] and r.options for r in replies), where
        if "options" in turn:
            assert [o["id"] for r in replies for o in r.options] == turn["options"], where
        run = chat.run_of(chat.history(conv_id, token))
        if "at" in turn:
            assert run is not None and run.step == turn["at"], \
                f"{where}: at {run and run.step}: {texts}"
        if "status" in turn:
            assert run is not None and run.status == turn["status"], f"{where}"
        if "gap" in turn:
            assert turn["gap"] in [g.example for g in context.gaps.top()], where


def test_a_replayed_message_is_applied_once(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    first = chat.post(conv_id, token, "show me how to do it in the manager", client_id="m-1")
    again = chat.post(conv_id, token, "show me how to do it in the manager", client_id="m-1")
    assert first == again
    conv = chat.history(conv_id, token)
    assert chat.run_of(conv).step == "delete-an-account-on-kauth-ios-android-1"
    assert [t.client_id for t in conv.turns].count("m-1") == 1


def test_racing_messages_are_applied_one_after_the_other(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    chat.post(conv_id, token, "2")
    errors: list[BaseException] = []

    def say_done() -> None:
        try:
            chat.post(conv_id, token, "done")
        except BaseException as exc:  # collected and checked below
            errors.append(exc)

    threads = [threading.Thread(target=say_done) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    conv = chat.history(conv_id, token)
    assert chat.run_of(conv).step == "delete-an-account-on-kauth-ios-android-4"
    assert len(conv.turns) == 5


def test_unknown_conversation_or_wrong_token(context):
    conv_id, token = context.chat.create()
    for cid, tok in ((conv_id, "wrong"), (conv_id, None), ("nope", token)):
        with pytest.raises(ConversationNotFound):
            context.chat.post(cid, tok, "hello")


def test_huge_and_binary_messages_leave_the_procedure_where_it_was(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    for text in ("x" * 100_000, "\udcff\x00" * 50, "🙃" * 3000):
        replies = chat.post(conv_id, token, text)
        assert replies and all(r.text for r in replies)
        assert chat.run_of(chat.history(conv_id, token)).step == "mode"


def test_scenarios_cover_questions_and_procedures():
    assert len(SCENARIOS) >= 5
    turns = [t for s in SCENARIOS for t in s["turns"]]
    assert any("at" in t for t in turns) and any("guide" in t for t in turns)


def test_the_chat_runs_its_procedure_through_the_guided_service(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    ref = chat.history(conv_id, token).run
    # The run is in the run store, like a wizard's, with its funnel recorded.
    state = context.guided.get(ref.id, ref.token)
    assert state.run.step == "mode" and ref.revision == state.run.revision
    context.runs.funnel.flush()  # an analytics log, written in batches
    started = sql(context.database,
                  "SELECT COUNT(*) FROM funnel_events WHERE run_id = ? AND type = 'started'",
                  ref.id)[0][0]
    assert started == 1
    # A reply to a step carries the progress the wizard shows.
    step = chat.post(conv_id, token, "2")[-1]
    assert step.type == "step" and step.progress is not None and step.progress.done == 1


def test_a_conversation_saved_with_its_run_inside_goes_on_without_it(context):
    from kb.chat.conversations import Conversation

    old = {"account": "kauth-only", "run": {"procedure": "x", "version": "1",
                                            "account": "kauth-only", "frames": []}}
    assert Conversation.model_validate(old).run is None


def test_a_turn_whose_event_the_run_took_is_kept_when_the_conversation_moved_on(context,
                                                                              monkeypatch):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    save = chat.store.save
    raced: list[bool] = []

    def save_after_another_message(*args: object) -> None:
        if not raced:
            raced.append(True)
            chat.post(conv_id, token, "help")  # saved first; it does not touch the run
        save(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(chat.store, "save", save_after_another_message)
    chat.post(conv_id, token, "2")
    conv = chat.history(conv_id, token)
    # "2" went into the run once, and both turns are in the history, "help" first.
    assert [t.text for t in conv.turns][-2:] == ["help", "2"]
    assert chat.run_of(conv).step == "delete-an-account-on-kauth-ios-android-1"
    assert conv.run.revision == chat.run_of(conv).revision


def test_a_run_moved_on_without_its_conversation_is_caught_up_with(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    ref = chat.history(conv_id, token).run
    # As if a process had applied a message to the run and stopped before saving the
    # conversation: the conversation still expects the earlier revision.
    context.guided.send(ref.id, ref.token, Event(type="answer", value="2"))
    replies = chat.post(conv_id, token, "done")
    assert replies[-1].type == "step"
    assert chat.run_of(chat.history(conv_id, token)).step == \
        "delete-an-account-on-kauth-ios-android-2"


def _no_after(context, question: str):
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    replies = chat.post(conv_id, token, question)
    feedback = [r for r in replies if r.type == "feedback"]
    assert feedback and [o["label"] for o in feedback[0].options] == ["Yes", "No"]
    no = next(o["id"] for o in feedback[0].options if o["label"] == "No")
    return replies, chat.post(conv_id, token, "", option=no)


def test_an_answer_says_where_it_comes_from_and_asks_if_it_helped(seed_context):
    replies, _ = _no_after(seed_context, "who is allowed to add clients")
    answer = replies[0]
    assert answer.type == "answer" and answer.guide == "partner-add-managed-client"
    assert "legal representatives" in answer.text
    assert answer.text.endswith("(From “Add a managed client to your Partner account › "
                                "Prerequisites”.)")
    assert answer.url == "/guides/partner-add-managed-client#prerequisites"


def test_no_offers_the_next_best_guide(seed_context):
    _, after = _no_after(seed_context, "how do i remove the kauth app")
    assert after[0].type == "clarify"
    assert after[0].options[0]["id"].startswith("guide:")
    # The hand-off (kb.support) adds its way to reach a person after a "No".
    assert after[0].options[-1]["label"] == "Talk to a person"


def test_no_without_another_guide_gives_the_configured_support_contact(tmp_path):
    settings = Settings(guides=SEED_GUIDES, data=tmp_path, support_email="help@example.org",
                        support_phone="+41 22 000 00 00", support_hours="weekdays 9 to 18")
    _, after = _no_after(Context(settings), "who is allowed to add clients")
    assert after[0].type == "support"
    assert "help@example.org" in after[0].text and "+41 22 000 00 00" in after[0].text
    assert "weekdays 9 to 18" in after[0].text


def test_no_without_any_support_contact_offers_the_person_who_can_take_over(tmp_path):
    # No address or number is configured: the way to a person is the hand-off, said
    # plainly and offered as a button (`kb.support.handoff`).
    _, after = _no_after(Context(Settings(guides=SEED_GUIDES, data=tmp_path)),
                         "who is allowed to add clients")
    assert after[0].type == "support"
    assert after[0].text.startswith("Sorry, I could not help. A person from our support "
                                    "team can take over here"), after[0].text
    assert "Talk to a person" in [o["label"] for o in after[0].options]


def test_a_link_in_the_answer_is_a_link_object(seed_context):
    chat = seed_context.chat
    conv_id, token = chat.create("legal-rep")
    answer = chat.post(conv_id, token, "what must I do before changing my phone with kauth")[0]
    assert answer.links == [{"text": "this guide", "url": "/guides/kauth-remove-account"}]
    assert "this guide" in answer.text


PERMIT_GUIDES = [
    (f"renew-a-{kind}-permit", f"Renew a {kind} permit",
     f"This guide explains how to renew a {kind} permit before it expires.\n\n"
     f"## Renew the permit\n\n1. Open the permits page of the town.\n"
     f"2. Choose the {kind} permit to renew.\n3. Pay the renewal fee.\n",
     f"Renew your {kind} permit.")
    for kind in ("parking", "fishing")]


@pytest.mark.parametrize("way", ["button", "words"])
def test_a_choice_of_guides_has_a_way_out_when_none_of_them_answers(tmp_path, way):
    # Two guides answer "renew my permit" alike, so the chat asks which one; a person
    # whose question neither answers is not left with two wrong buttons.
    settings = Settings(guides=guides_of(tmp_path, *PERMIT_GUIDES), data=tmp_path / "data",
                        support_email="help@example.org")
    context = Context(settings)
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    asked = chat.post(conv_id, token, "how do i renew my permit")
    assert asked[0].type == "clarify"
    labels = [o["label"] for o in asked[0].options]
    assert labels[-1] == "None of these" and len(labels) == 3
    if way == "button":
        after = chat.post(conv_id, token, "", option=asked[0].options[-1]["id"])
    else:
        after = chat.post(conv_id, token, "None of these")
    assert after[0].type == "support"
    assert after[0].text.startswith("Sorry, none of our guides answers that yet. You can "
                                    "reach our support team by email at help@example.org")
    # Offered a person too, and the question is a gap the owner sees in the console.
    assert after[0].options[-1]["label"] == "Talk to a person"
    assert "how do i renew my permit" in [g.example for g in context.gaps.top()]


def test_none_of_these_sent_again_is_not_logged_again(tmp_path):
    # The option id can be sent through the API by anyone: only the answer to the choice
    # is a content gap, not every repetition of it.
    settings = Settings(guides=guides_of(tmp_path, *PERMIT_GUIDES), data=tmp_path / "data")
    context = Context(settings)
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    chat.post(conv_id, token, "how do i renew my permit")
    for _ in range(3):
        chat.post(conv_id, token, "", option="none")
    context.gaps.flush()
    assert [g.count for g in context.gaps.top() if g.example == "how do i renew my permit"] \
        == [1]
