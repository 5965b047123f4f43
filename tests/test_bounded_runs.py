"""Bounded runs: a run stops taking answers after many refused ones in a row, says what
to do, and its stored size stays flat however many events it receives."""

from __future__ import annotations

from kb.runs.service import GuidedService
from procedures.run import MAX_REFUSED_IN_A_ROW, Event
from tests.sql_support import sql
from tests.test_api import bearer, make_app

PROCEDURE = "prepaid-account-interrupted-order"


def stored_size(guided: GuidedService, run_id: str) -> int:
    row = sql(guided.store.db, "SELECT length(data) FROM runs WHERE id = ?", run_id)[0]
    return int(row[0])


def test_many_refused_answers_in_a_row_stop_the_run_taking_answers(tmp_path):
    client = make_app(tmp_path).test_client()
    run = client.post("/api/v1/runs", json={"procedure": PROCEDURE,
                                            "account": "prepaid"}).get_json()
    token, events = run["token"], f"/api/v1/runs/{run['id']}/events"
    question = run["step"]["text"]

    def answer(value: str) -> dict:
        response = client.post(events, headers=bearer(token),
                               json={"type": "answer", "value": value})
        assert response.status_code == 200
        return response.get_json()

    for n in range(MAX_REFUSED_IN_A_ROW):
        refused = answer(f"nonsense {n}")
        assert "in a row" not in refused["step"]["error"]
    # Now even a good answer is refused, with what to do; the question stays.
    stopped = answer("do")
    assert stopped["step"]["text"] == question
    error = stopped["step"]["error"]
    assert "in a row" in error and "start again" in error and "support" in error
    assert stopped["status"] == "active"
    # Starting again is one of the ways out: then answers are taken again.
    restarted = client.post(events, headers=bearer(token), json={"type": "restart"})
    assert restarted.status_code == 200
    moved = answer("do")
    assert moved["step"]["text"] != question and not moved["step"].get("error")


def test_a_good_answer_resets_the_count(context):
    started = context.guided.start(PROCEDURE, "prepaid")
    for _ in range(MAX_REFUSED_IN_A_ROW - 1):
        context.guided.send(started.id, started.token, Event(type="answer", value="?"))
    state = context.guided.send(started.id, started.token, Event(type="answer", value="do"))
    assert state.run.step == "do-what" and state.run.refused_in_a_row == 0
    for _ in range(MAX_REFUSED_IN_A_ROW - 1):
        state = context.guided.send(started.id, started.token,
                                    Event(type="answer", value="?"))
    assert "in a row" not in (state.run.error or "")


def test_thousands_of_events_keep_the_stored_run_small(context):
    guided = context.guided
    started = guided.start(PROCEDURE, "prepaid")
    guided.send(started.id, started.token, Event(type="answer", value="do"))
    sizes = {}
    for n in range(1, 3001):
        guided.send(started.id, started.token, Event(type="answer", value=f"wrong {n}"))
        if n in (300, 3000):
            sizes[n] = stored_size(guided, started.id)
    # Flat: the 3,000th event leaves the run no bigger than the 300th did (give or take
    # the digits of the revision numbers), and far under what an unbounded log took.
    assert sizes[3000] <= sizes[300] + 2000, sizes
    assert sizes[3000] < 40_000, sizes
    state = guided.get(started.id, started.token)
    assert state.run.step == "do-what" and state.run.revision > 3000
    back = guided.send(started.id, started.token, Event(type="back"))
    assert back.run.step == "mode"  # the way back is still there
