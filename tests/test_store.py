"""The store's short cuts on the hot path of a chat or wizard turn change nothing that
anyone sees: what a process remembers is never shown once another process has moved the
run or the conversation on, the chat and the wizard keep sharing one run, a saved
conversation reads back the same in a process that never saw it.

Runs on SQLite and on PostgreSQL (tests/conftest.py); the SQLite-only parts are in
test_store_sqlite.py.
"""

from __future__ import annotations

import pytest

from kb.chat.conversations import HISTORY_LIMIT, Conversation, ConversationStore, Reply, Turn
from kb.context import Context
from procedures.errors import StaleRevision
from procedures.run import Event

SLUG = "kauth-remove-account"


def other_process(context: Context) -> Context:
    """The services a second server process builds over the same database."""
    return type(context)(context.settings)


def chat_into_procedure(context: Context) -> tuple[str, str]:
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:" + SLUG)
    chat.post(conv_id, token, "guide")
    return conv_id, token


def last_step(replies: list[Reply]) -> Reply:
    return [r for r in replies if r.type == "step"][-1]


def test_a_run_moved_on_by_another_process_is_never_shown_as_remembered(context):
    conv_id, token = chat_into_procedure(context)
    chat = context.chat
    conv = chat.history(conv_id, token)
    assert conv.run is not None
    here = context.guided.get(conv.run.id, conv.run.token)  # remembered by this process
    there = other_process(context).guided
    moved = there.send(conv.run.id, conv.run.token,
                       Event(type="answer", value="done", revision=here.run.revision))
    # This process reads the run as the other one left it, step and revision.
    again = context.guided.get(conv.run.id, conv.run.token)
    assert again.run.revision == moved.run.revision == here.run.revision + 1
    assert again.view is not None and moved.view is not None
    assert again.view.step == moved.view.step != here.view.step
    # An event for the revision this process saw first is refused (compare-and-set).
    with pytest.raises(StaleRevision):
        context.guided.send(conv.run.id, conv.run.token,
                            Event(type="answer", value="done", revision=here.run.revision))


def test_the_chat_goes_on_from_where_the_wizard_took_its_run(context):
    conv_id, token = chat_into_procedure(context)
    chat = context.chat
    run = chat.history(conv_id, token).run
    assert run is not None
    wizard = other_process(context).guided
    state = wizard.get(run.id, run.token)
    wizard.send(run.id, run.token, Event(type="answer", value="done",
                                         revision=state.run.revision))
    after_wizard = wizard.get(run.id, run.token)
    assert after_wizard.view is not None
    # The chat's next "done" answers the step the wizard reached, not the one it saw.
    replies = chat.post(conv_id, token, "done")
    assert after_wizard.view.step != last_step(replies).step
    shared = chat.history(conv_id, token).run
    assert shared is not None and (shared.id, shared.token) == (run.id, run.token)
    assert wizard.get(run.id, run.token).run.revision == after_wizard.run.revision + 1


def test_a_conversation_reads_back_the_same_in_a_process_that_never_saw_it(context):
    conv_id, token = chat_into_procedure(context)
    chat = context.chat
    for message in ("done", "back", "done", "How do I change my password?"):
        chat.post(conv_id, token, message)
    here = chat.history(conv_id, token)
    there = other_process(context).chat.history(conv_id, token)
    assert there == here
    assert [t.text for t in there.turns][-2:] == ["done", "How do I change my password?"]


def test_a_history_cut_at_its_limit_reads_back_the_same(context):
    store = ConversationStore(context.database)
    conv_id, token = store.create(Conversation(account="legal-rep"))
    for n in range(HISTORY_LIMIT + 7):
        conv = store.load(conv_id, token)
        assert conv is not None
        loaded = conv.revision
        conv.add(Turn(text=f"message {n}", replies=[Reply(type="message", text=f"reply {n}")],
                      at=float(n)))
        conv.revision = loaded + 1
        store.save(conv_id, conv, loaded)
    fresh = ConversationStore(context.database).load(conv_id, token)
    assert fresh is not None
    assert len(fresh.turns) == HISTORY_LIMIT
    assert fresh.turns[0].text == "message 7"
    assert fresh.turns[-1].replies[0].text == f"reply {HISTORY_LIMIT + 6}"
    assert fresh == store.load(conv_id, token)
