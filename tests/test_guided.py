"""Runs as a service: stored in SQLite, reached by token, safe under races and guide edits."""

from __future__ import annotations

import threading

import pytest

from kb.errors import RunNotFound, UnknownAccount
from procedures import engine
from procedures.errors import StaleRevision, UnknownProcedure
from procedures.run import Event
from tests.conftest import write_guide
from tests.sql_support import sql

SLUG = "manager-product-tags"


def test_a_run_is_stored_and_resumed_by_another_service(context):
    started = context.guided.start(SLUG, "legal-rep")
    assert started.token and started.view is not None
    again = type(context)(context.settings)  # a second process would build its own services
    state = again.guided.get(started.id, started.token)
    assert state.view.step == started.view.step
    assert state.run.revision == started.run.revision


def test_the_token_is_required_and_checked(context):
    started = context.guided.start(SLUG, "legal-rep")
    for token in (None, "", "wrong", started.token + "x"):
        with pytest.raises(RunNotFound):
            context.guided.get(started.id, token)
    with pytest.raises(RunNotFound):
        context.guided.get("no-such-run", started.token)


def test_unknown_procedure_and_account_are_clear(context):
    with pytest.raises(UnknownProcedure):
        context.guided.start("no-such-guide", "legal-rep")
    with pytest.raises(UnknownProcedure):
        context.guided.start("../guides/kauth-remove-account", "legal-rep")
    with pytest.raises(UnknownAccount, match=r"known: .*legal-rep"):
        context.guided.start(SLUG, "nobody")


def test_a_stale_revision_is_refused_and_changes_nothing(context):
    started = context.guided.start(SLUG, "legal-rep")
    first = context.guided.send(started.id, started.token,
                                Event(type="answer", value="guide",
                                      revision=started.run.revision))
    with pytest.raises(StaleRevision):
        context.guided.send(started.id, started.token,
                            Event(type="answer", value="done", revision=started.run.revision))
    assert context.guided.get(started.id, started.token).run == first.run


def test_two_racing_events_never_both_apply(context):
    started = context.guided.start(SLUG, "legal-rep")
    outcomes: list[str] = []

    def send() -> None:
        try:
            context.guided.send(started.id, started.token,
                                Event(type="answer", value="guide"))
            outcomes.append("applied")
        except StaleRevision:
            outcomes.append("stale")

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = context.guided.get(started.id, started.token).run
    assert final.revision == started.run.revision + outcomes.count("applied")
    assert len([e for e in final.log if e["event"] == "answer"]) == outcomes.count("applied")


def test_a_run_finishes_on_the_version_it_started_on(context, guides_dir):
    started = context.guided.start("kauth-remove-account", "kauth-only")
    state = context.guided.send(started.id, started.token, Event(type="answer", value="guide"))
    old_step = state.view.step
    old_text = state.view.text
    # The guide is edited while the run is in progress: its steps change.
    path = guides_dir / "kauth-remove-account.md"
    path.write_text(path.read_text().replace(
        "1. Log in to the Infomaniak Manager", "1. Open a browser.\n2. Log in to the Manager"))
    assert context.library.get("kauth-remove-account").version != started.run.version
    state = context.guided.get(started.id, started.token)
    assert (state.view.step, state.view.text) == (old_step, old_text)
    for _ in range(5):
        state = context.guided.send(started.id, started.token,
                                    Event(type="answer", value="done"))
    assert state.run.status == "done"
    assert state.run.version == started.run.version


def test_a_run_whose_version_is_gone_restarts_with_an_explanation(context, guides_dir):
    started = context.guided.start(SLUG, "legal-rep")
    sql(context.database, "DELETE FROM procedure_versions")
    path = guides_dir / f"{SLUG}.md"
    path.write_text(path.read_text().replace("Choose a tag color.", "Pick a colour."))
    # Another process, which never read the snapshot, receives the next event.
    context = type(context)(context.settings)
    state = context.guided.send(started.id, started.token, Event(type="answer", value="1"))
    assert state.outputs[0].text.startswith("This procedure was updated since you started")
    assert state.run.version == context.library.get(SLUG).version
    fresh = engine.start(context.library.get(SLUG), "legal-rep", context.backend)
    assert state.view.step == fresh.run.step


def test_reading_a_run_whose_step_is_gone_restarts_it_with_an_explanation(context,
                                                                         guides_dir):
    write_guide(guides_dir, "rename-a-tag", "## Rename a tag\n\n1. Open the tags.\n"
                "2. Type the new name.\n")
    started = context.guided.start("rename-a-tag", "legal-rep")
    sql(context.database, "DELETE FROM procedure_versions")
    write_guide(guides_dir, "rename-a-tag", "## Tags\n\n1. Open the product list.\n")
    context = type(context)(context.settings)  # a process that never saw the old version
    current = context.library.get("rename-a-tag")
    assert started.view is not None and started.view.step not in current.step_ids()
    state = context.guided.get(started.id, started.token)  # the wizard opening its page
    assert state.outputs[0].text.startswith("This procedure was updated since you started")
    assert state.view is not None and state.view.step == current.start
    assert context.guided.get(started.id, started.token).run.revision == state.run.revision


def test_funnel_events_are_recorded(context):
    started = context.guided.start(SLUG, "legal-rep")
    context.guided.send(started.id, started.token, Event(type="cancel"))
    context.runs.funnel.flush()  # an analytics log, written in batches
    rows = sql(context.database,
               "SELECT type, COUNT(*) AS n FROM funnel_events WHERE procedure = ? GROUP BY type",
               SLUG)
    funnel = {row.type: row.n for row in rows}
    assert funnel["started"] == 1 and funnel["cancelled"] == 1
