"""The procedures' funnel events, an analytics log written in batches after each turn.

What the owner notices: the console's figures count the steps people really took (a
turn that was refused leaves no trace), and a quiet server's last steps reach the
console within seconds without anyone asking for them, whichever process took them.
"""

from __future__ import annotations

import threading
import time

import pytest

from kb.context import Context
from procedures.engine import Funnel
from procedures.errors import StaleRevision
from procedures.run import Event
from tests.sql_support import sql

SLUG = "manager-product-tags"


def _types(context: Context, run_id: str) -> list[str]:
    rows = sql(context.database,
               "SELECT type FROM funnel_events WHERE run_id = ? ORDER BY id", run_id)
    return [row.type for row in rows]


def test_a_quiet_servers_last_steps_are_written_without_a_reader(context):
    started = context.guided.start(SLUG, "legal-rep")
    context.guided.send(started.id, started.token, Event(type="cancel"))
    # Nobody flushes: the timer writes them (another process's console reads the table).
    deadline = time.monotonic() + 10
    while "cancelled" not in _types(context, started.id) and time.monotonic() < deadline:
        time.sleep(0.05)
    types = _types(context, started.id)
    assert types[0] == "started" and types[-1] == "cancelled"


def test_a_save_refused_as_stale_leaves_no_event(context):
    started = context.guided.start(SLUG, "legal-rep")
    context.guided.send(started.id, started.token, Event(type="cancel"))
    # A second request that read the run before the cancel saves its own turn over it.
    late = started.run.model_copy(update={"revision": started.run.revision + 1})
    with pytest.raises(StaleRevision):
        context.runs.save(started.id, late, started.run.revision,
                          [Funnel(type="back", procedure=SLUG, step="x")])
    context.runs.funnel.flush()
    types = _types(context, started.id)
    assert types[-1] == "cancelled" and "back" not in types


def test_closing_the_database_writes_what_is_pending(context):
    started = context.guided.start(SLUG, "legal-rep")
    context.guided.send(started.id, started.token, Event(type="cancel"))
    context.database.close()
    again = Context(context.settings)
    types = _types(again, started.id)
    assert types[0] == "started" and types[-1] == "cancelled"


def test_one_thread_writes_flush_after_flush(context):
    # Each turn only hands its events over: the thread that writes them is started once
    # and kept, not started again on a request's path for every flush.
    context.runs.funnel.flush_seconds = 0.05
    runs, seen = [], []
    for _ in range(4):
        started = context.guided.start(SLUG, "legal-rep")
        context.guided.send(started.id, started.token, Event(type="cancel"))
        runs.append(started.id)
        deadline = time.monotonic() + 10
        while "cancelled" not in _types(context, started.id) and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.append({t for t in threading.enumerate() if t.name == "kb-buffered-rows"})
    assert all(_types(context, run_id)[-1] == "cancelled" for run_id in runs)
    assert seen[0] and all(later <= seen[0] for later in seen[1:])
