"""One conversation served by two server processes in turn (two contexts on one data
folder, as two workers): each message sees every earlier one, whichever process
answered it, although each process remembers the conversations it saved."""

from __future__ import annotations

from kb.context import Context
from kb.settings import Settings


def worker(tmp_path, guides_dir) -> Context:
    return Context(Settings(guides=guides_dir, data=tmp_path / "data"))


def test_messages_answered_by_two_workers_in_turn_all_stay_in_the_history(
        tmp_path, guides_dir):
    first, second = worker(tmp_path, guides_dir), worker(tmp_path, guides_dir)
    conv_id, token = first.chat.create("legal-rep")
    first.chat.post(conv_id, token, "", option="start:kauth-remove-account")
    # Each worker answers every other message: the one that answered the message
    # before last must not go on from the conversation as it last saved it.
    workers = [second, first, second, first]
    for context, message in zip(workers, ["guide", "done", "done", "back"], strict=True):
        replies = context.chat.post(conv_id, token, message)
        assert replies[-1].type == "step", replies

    for context in (first, second):
        history = context.chat.history(conv_id, token)
        assert [t.text for t in history.turns] == ["", "guide", "done", "done", "back"]
    # "back" returned to the question answered by the previous "done".
    steps = [t.replies[-1].step for t in first.chat.history(conv_id, token).turns]
    assert steps[-1] == steps[-3]


def test_a_conversation_changed_by_another_worker_is_answered_from_its_new_state(
        tmp_path, guides_dir):
    first, second = worker(tmp_path, guides_dir), worker(tmp_path, guides_dir)
    conv_id, token = first.chat.create("legal-rep")
    first.chat.post(conv_id, token, "", option="start:kauth-remove-account")
    second.chat.post(conv_id, token, "cancel")
    # The first worker last saw the procedure running; it has been cancelled since.
    replies = first.chat.post(conv_id, token, "help")
    assert replies[0].type == "help"
    assert "Ask a question in your own words" in replies[0].text
