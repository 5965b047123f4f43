"""A chat step's conversation as stored: written compactly (a reply's fields left at
their defaults are not written), read back whole by any process, and rows written in
the earlier full form still read; the hand-off still hears every way of asking for a
person now that most messages are turned away by a quick look for a person word."""

from __future__ import annotations

import json

import pytest

from kb.chat.conversations import Conversation, ConversationStore
from kb.support.handoff import wants_person
from tests.sql_support import sql

WALK = ["guide", "done", "done", "back", "done"]


def walk(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    for message in WALK:
        chat.post(conv_id, token, message)
    return conv_id, token


def test_another_process_reads_the_conversation_back_whole(context):
    conv_id, token = walk(context)
    here = context.chat.history(conv_id, token)
    # Another process remembers nothing: it validates the row as stored.
    there = ConversationStore(context.database).load(conv_id, token)
    assert there is not None
    assert there.model_dump() == here.model_dump()
    steps = [r for t in there.turns for r in t.replies if r.type == "step"]
    assert len(steps) == len(WALK) + 1
    # What the widget shows of a step comes back, defaults included.
    last = steps[-1]
    assert last.progress is not None and last.progress.position == last.progress.done + 1
    assert last.options == [{"id": "done", "label": "Done"}] and last.input == "text"
    assert last.links == [] and last.suggestions == [] and last.url is None


def test_the_stored_conversation_leaves_out_what_loading_fills_in(context):
    conv_id, _ = walk(context)
    data = json.loads(sql(context.database, "SELECT data FROM conversations WHERE id = ?",
                          conv_id)[0][0])
    replies = [r for t in data["turns"] for r in t["replies"]]
    assert all("type" in r and "text" in r for r in replies)  # what the console reads
    assert not any("suggestions" in r or "url" in r for r in replies)
    assert not any(r.get("guide", 0) is None for r in replies)


def test_a_conversation_stored_in_full_still_reads_and_continues(context):
    chat = context.chat
    conv_id, token = chat.create("kauth-only")
    chat.post(conv_id, token, "", option="start:kauth-remove-account")
    stored = chat.history(conv_id, token)
    # As earlier versions wrote it: every field of every reply.
    full = stored.model_dump_json()
    sql(context.database, "UPDATE conversations SET data = ? WHERE id = ?", full, conv_id)
    fresh = ConversationStore(context.database).load(conv_id, token)
    assert fresh == Conversation.model_validate_json(full)
    replies = chat.post(conv_id, token, "guide")
    assert replies[-1].type == "step"
    assert len(chat.history(conv_id, token).turns) == 2


@pytest.mark.parametrize("text", [
    "can I talk to a team member", "put me through to a rep", "I want to speak with staff",
    "transfer me to an operator", "LIVE AGENT", "get me a real person!",
    "I'd like to chat with someone", "let me speak to an employee",
])
def test_every_way_of_asking_for_a_person_is_still_heard(text):
    assert wants_person(text)


@pytest.mark.parametrize("text", ["done", "2", "Remove it for me", "back", "yes",
                                  "how do I remove kAuth from my phone?"])
def test_step_answers_are_not_taken_for_a_request_for_a_person(text):
    assert not wants_person(text)
