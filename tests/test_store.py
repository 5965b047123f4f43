"""The store's short cuts on the hot path of a chat or wizard turn change nothing that
anyone sees: what a process remembers is never shown once another process has moved the
run or the conversation on, the chat and the wizard keep sharing one run, a saved
conversation reads back the same in a process that never saw it, and on SQLite the
WAL still reaches the database file and no connection outlives its thread.

Runs on SQLite and on PostgreSQL (tests/conftest.py); the SQLite-only parts say so.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kb.chat.conversations import HISTORY_LIMIT, Conversation, ConversationStore, Reply, Turn
from kb.context import Context
from kb.store import kept
from kb.store.checkpoint import BACKSTOP_PAGES, Checkpointer
from kb.store.database import Database
from kb.store.engine import open_for_checkpoint
from kb.store.prepared import first, writing
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


def sqlite_only(context: Context) -> Database:
    if not context.database.is_sqlite:
        pytest.skip("WAL checkpoints and kept connections are SQLite's")
    return context.database


def test_a_busy_database_has_its_wal_copied_into_the_file_beside_the_requests(context):
    db = sqlite_only(context)
    path = Path(db.url[len("sqlite:///"):])
    db.checkpoints = Checkpointer(lambda: open_for_checkpoint(path), every=20)
    store = ConversationStore(db)
    conv_id, token = store.create(Conversation(account="legal-rep"))
    for n in range(20):
        conv = store.load(conv_id, token)
        assert conv is not None
        loaded = conv.revision
        conv.add(Turn(text=f"message {n}", replies=[]))
        conv.revision = loaded + 1
        store.save(conv_id, conv, loaded)
    deadline = time.monotonic() + 20
    while db.checkpoints.done < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert db.checkpoints.done >= 1
    # Read as the database file alone holds it (immutable: the WAL is not looked at):
    # the last message is there, so no commit had to copy it on the way.
    alone = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        row = alone.execute("SELECT revision FROM conversations WHERE id = ?",
                            (conv_id,)).fetchone()
    finally:
        alone.close()
    assert row == (20,)
    # No commit copies the WAL itself until it is far bigger than SQLite's default.
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == BACKSTOP_PAGES > 1000


def test_a_thread_keeps_one_connection_and_gives_it_back_when_it_ends(context):
    db = sqlite_only(context)
    context.chat.create("legal-rep")  # the database is made, and this thread keeps one
    pool = db.engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]
    threads_n = kept.LIMIT + 2
    worked = threading.Barrier(threads_n + 1, timeout=20)
    leave = threading.Event()
    select = ConversationStore(db)._table._select
    rows: list[object] = []

    def worker() -> None:
        for _ in range(3):
            rows.append(first(db, select, {"key": "nothing"}))
            with writing(db):
                pass
        worked.wait()
        leave.wait(20)

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    worked.wait()
    # Every thread's statements ran; at most LIMIT threads keep a connection meanwhile
    # (the others took one from the pool for each statement and gave it back).
    assert rows == [None] * 3 * threads_n
    assert 1 <= pool.checkedout() - before <= kept.LIMIT  # type: ignore[attr-defined]
    leave.set()
    for thread in threads:
        thread.join(20)
    gc.collect()
    assert pool.checkedout() == before  # type: ignore[attr-defined]
