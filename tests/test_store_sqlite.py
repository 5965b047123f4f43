"""On SQLite, the store's short cuts on the hot path keep the database whole: a busy
database still has its write-ahead log copied into the file, away from the requests, and
a connection a thread kept goes back to the pool when the thread ends.

SQLite only: PostgreSQL has no WAL file to copy and no kept connections.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from pathlib import Path

from kb.chat.conversations import Conversation, ConversationStore, Turn
from kb.store import kept
from kb.store.checkpoint import BACKSTOP_PAGES, Checkpointer
from kb.store.engine import open_for_checkpoint
from kb.store.prepared import first, writing


def test_a_busy_database_has_its_wal_copied_into_the_file_beside_the_requests(context):
    db = context.database
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
    db = context.database
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
