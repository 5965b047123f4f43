"""Exactly-once account actions: an accepted event pays out once, whatever the duplicates.

The prepaid payout is walked through the runs API and the conversations API of a real app
(real SQLite, the mocked backend in its own SQLite file), with every event of the walk
sent by 16 clients at once; the demo account's payouts are then counted. A crash between
the backend call and the run's save is injected in a real server process, killed there,
and the same event is sent again to a fresh process on the same data folder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.test_api import bearer, make_app
from webapp import services

PROCEDURE = "prepaid-account-interrupted-order"
ACCOUNT = "prepaid"
CLIENTS = 16
ROUNDS = 5
PAYPAL = "me@paypal.example"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    return make_app(tmp_path_factory.mktemp("exactly-once"))


def payouts(app: Flask) -> list[str]:
    """The payouts the demo account's prepaid movements show, oldest first."""
    with app.app_context():
        state = services.context().backend.account(ACCOUNT)
    return [m["label"] for m in state.organization["prepaid"]["movements"]
            if str(m["label"]).startswith("payout")]


def balance(app: Flask) -> str:
    with app.app_context():
        return str(services.context().backend.account(ACCOUNT).organization["prepaid"]
                   ["balance"])


def at_once(send: Callable[[], Any], clients: int = CLIENTS) -> list[Any]:
    """What `send` returned in each of `clients` threads released together."""
    barrier = threading.Barrier(clients)
    results: list[Any] = [None] * clients

    def work(i: int) -> None:
        barrier.wait()
        results[i] = send()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def payout_walk(first_round: bool) -> list[str]:
    """The answers from where a round starts to the payout of 1.00 to PayPal."""
    start = ["do"] if first_round else ["again"]
    return [*start, "payout", "paypal", PAYPAL, "1"]


# -- the runs API ------------------------------------------------------------------------

def test_sixteen_clients_sending_each_event_of_a_run_pay_out_once_per_event(app):
    client = app.test_client()
    created = client.post("/api/v1/runs", json={"procedure": PROCEDURE, "account": ACCOUNT})
    assert created.status_code == 201
    run = created.get_json()
    token, run_id = run["token"], run["id"]
    before = len(payouts(app))
    for round_number in range(1, ROUNDS + 1):
        for value in payout_walk(round_number == 1):
            revision = run["revision"]

            def send(value: str = value, revision: int = revision) -> Any:
                return app.test_client().post(
                    f"/api/v1/runs/{run_id}/events", headers=bearer(token),
                    json={"type": "answer", "value": value, "revision": revision})

            responses = at_once(send)
            statuses = sorted(r.status_code for r in responses)
            assert statuses == [200] + [409] * (CLIENTS - 1), (value, statuses)
            run = next(r.get_json() for r in responses if r.status_code == 200)
            assert run["revision"] == revision + 1
        # One accepted payout event, one payout; the run shows every one of them.
        assert len(payouts(app)) == before + round_number
        shown = client.get(f"/api/v1/runs/{run_id}", headers=bearer(token)).get_json()
        assert len([c for c in shown["changes"] if "Payout" in c]) == round_number



# -- the conversations API ---------------------------------------------------------------

def test_sixteen_copies_of_each_chat_message_are_one_turn_and_one_payout(app):
    client = app.test_client()
    conv = client.post("/api/v1/conversations", json={"account": ACCOUNT}).get_json()
    url = f"/api/v1/conversations/{conv['id']}/messages"
    headers = bearer(conv["token"])
    started = client.post(url, headers=headers, json={"text": "", "option":
                                                      f"start:{PROCEDURE}"})
    assert started.status_code == 200
    before = len(payouts(app))
    sent = 0
    for round_number in range(1, ROUNDS + 1):
        for value in payout_walk(round_number == 1):
            sent += 1
            message = {"text": value, "client_id": f"message-{sent}"}

            def post(message: dict[str, str] = message) -> Any:
                return app.test_client().post(url, headers=headers, json=message)

            responses = at_once(post)
            answered = [r.get_json() for r in responses if r.status_code == 200]
            # Whoever got an answer got the same one: the message was applied once.
            assert answered and all(a == answered[0] for a in answered)
            assert all(r.status_code in (200, 409) for r in responses)
        assert len(payouts(app)) == before + round_number
    history = client.get(url, headers=headers).get_json()["messages"]
    ids = [m["client_id"] for m in history if m["client_id"]]
    assert ids == [f"message-{n}" for n in range(1, sent + 1)]
