"""Exactly-once account actions: an accepted event pays out once, whatever the duplicates.

The prepaid payout is walked through the runs API and the conversations API of a real app
(real SQLite, the mocked backend in its own SQLite file), with every event of the walk
sent by 16 clients at once; the demo account's payouts are then counted. A crash between
the backend call and the run's save is injected in a real server process, killed there,
and the same event is sent again to a fresh process on the same data folder.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from kb.context import ACCOUNTS_FILE
from procedures.backend import MockBackend
from tests.conftest import ROOT, SEED_GUIDES
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
    """The answers from where a round starts to the payout of 1.00 to PayPal (the last
    one confirms it at the review before the change)."""
    start = ["do"] if first_round else ["again"]
    return [*start, "payout", "paypal", PAYPAL, "1", "confirm"]


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


# -- a crash between the backend call and the save ---------------------------------------

# A real server process on the data folder. With `crash`, it dies (os._exit, no cleanup)
# in the turn that changed the account, after the backend call and before the run's save.
SERVER = """
import os, sys
from pathlib import Path
from werkzeug.serving import make_server
from kb.settings import Settings
from webapp import create_app

guides, data, crash = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "crash"
app = create_app(Settings(guides=guides, data=data, secret_key="test"))

def die_after_a_change(run_id, result):
    if any(output.type == "result" for output in result.outputs):
        os._exit(1)

if crash:
    app.extensions["kb.context"].guided.before_save = die_after_a_change
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


class Http:
    """A JSON client of a server listening at `base`."""

    def __init__(self, base: str):
        self.base = base

    def call(self, path: str, body: dict[str, Any] | None = None,
             token: str | None = None) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers={
            "Content-Type": "application/json", **(bearer(token) if token else {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


class Server(Http):
    """`SERVER` in a subprocess."""

    def __init__(self, guides: Path, data: Path, crash: bool):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(guides), str(data),
             "crash" if crash else "keep"],
            cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        super().__init__(f"http://127.0.0.1:{self.process.stdout.readline().strip()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def backend_of(data: Path) -> MockBackend:
    """The accounts the servers act on: their PostgreSQL database when they use one,
    else the backend's own file in their data folder."""
    return MockBackend(os.environ.get("KB_DATABASE_URL") or data / ACCOUNTS_FILE)


def test_a_crash_after_the_payout_then_the_same_event_again_pays_out_once(tmp_path):
    guides, data = tmp_path / "guides", tmp_path / "data"
    shutil.copytree(SEED_GUIDES, guides)
    server = Server(guides, data, crash=True)
    try:
        status, run = server.call("/api/v1/runs", {"procedure": PROCEDURE,
                                                   "account": ACCOUNT})
        assert status == 201
        backend = backend_of(data)
        start = Decimal(backend.account(ACCOUNT).organization["prepaid"]["balance"])
        token = run["token"]
        events = f"/api/v1/runs/{run['id']}/events"
        for value in payout_walk(True)[:-1]:
            status, run = server.call(events, {"type": "answer", "value": value}, token)
            assert status == 200
        payout = {"type": "answer", "value": "1", "revision": run["revision"]}
        with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
            server.call(events, payout, token)
        assert server.process.wait(timeout=30) == 1  # it died in the middle of the turn
    finally:
        server.stop()
    movements = backend.account(ACCOUNT).organization["prepaid"]["movements"]
    assert len([m for m in movements if m["label"].startswith("payout")]) == 1

    restarted = Server(guides, data, crash=False)
    try:
        status, shown = restarted.call(f"/api/v1/runs/{run['id']}", token=token)
        assert status == 200 and shown["revision"] == payout["revision"]
        assert shown["changes"] == []  # the save never happened
        status, resumed = restarted.call(events, payout, token)
        assert status == 200
        assert [c for c in resumed["changes"] if "Payout" in c]
        assert f"holds CHF {start - 1}" in " ".join(resumed["changes"])
        status, _ = restarted.call(events, payout, token)
        assert status == 409  # the event is taken now: sent once more, it changes nothing
    finally:
        restarted.stop()
    state = backend.account(ACCOUNT).organization["prepaid"]
    assert len([m for m in state["movements"] if m["label"].startswith("payout")]) == 1
    assert Decimal(state["balance"]) == start - 1


# -- `kb serve` with two workers ---------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_worker_processes_racing_on_one_event_pay_out_once(tmp_path):
    guides, data = tmp_path / "guides", tmp_path / "data"
    shutil.copytree(SEED_GUIDES, guides)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "--guides", str(guides), "--data", str(data), "serve",
         # 16 clients on one address: more events a minute than the rate limits allow.
         "--port", str(port), "--workers", "2", "--no-rate-limits"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:  # wait for "kb serve: http://... ready"
            if "ready" in line:
                break
        server = Http(f"http://127.0.0.1:{port}")
        status, run = server.call("/api/v1/runs", {"procedure": PROCEDURE,
                                                   "account": ACCOUNT})
        assert status == 201
        token, events = run["token"], f"/api/v1/runs/{run['id']}/events"
        for round_number in range(1, 4):
            for value in payout_walk(round_number == 1):
                event = {"type": "answer", "value": value, "revision": run["revision"]}
                answers = at_once(lambda event=event: server.call(events, event, token))
                assert sorted(s for s, _ in answers) == [200] + [409] * (CLIENTS - 1)
                run = next(body for s, body in answers if s == 200)
            backend = backend_of(data)
            movements = backend.account(ACCOUNT).organization["prepaid"]["movements"]
            assert len([m for m in movements if m["label"].startswith("payout")]) \
                == round_number
    finally:
        process.terminate()
        process.wait(timeout=60)
        if process.stdout is not None:
            process.stdout.close()


# -- a chat message whose conversation was not saved -------------------------------------

class Crash(Exception):
    """The worker stopping between the run's save and the conversation's."""


def test_a_chat_message_sent_again_after_a_crash_is_not_applied_twice(app, monkeypatch):
    client = app.test_client()
    conv = client.post("/api/v1/conversations", json={"account": ACCOUNT}).get_json()
    url = f"/api/v1/conversations/{conv['id']}/messages"
    headers = bearer(conv["token"])
    client.post(url, headers=headers, json={"text": "", "option": f"start:{PROCEDURE}"})
    for n, value in enumerate(payout_walk(True)[:-1]):
        assert client.post(url, headers=headers,
                           json={"text": value, "client_id": f"walk-{n}"}).status_code == 200
    before = len(payouts(app))
    with app.app_context():
        store = services.context().chat.store
    save = store.save

    def crash_once(*args: Any) -> None:
        monkeypatch.setattr(store, "save", save)
        raise Crash

    monkeypatch.setattr(store, "save", crash_once)
    message = {"text": "1", "client_id": "pay-one"}
    # The app's last-resort handler answers the crash with a 500 (and logs it).
    assert client.post(url, headers=headers, json=message).status_code == 500
    assert len(payouts(app)) == before + 1  # the run took it, the conversation did not

    again = client.post(url, headers=headers, json=message)
    assert again.status_code == 200
    assert len(payouts(app)) == before + 1
    # Not applied a second time: "1" at the next question would have ended the run.
    step = again.get_json()["replies"][-1]
    assert step["type"] == "step" and "Anything else" in step["text"]
    history = client.get(url, headers=headers).get_json()["messages"]
    assert [m["client_id"] for m in history].count("pay-one") == 1
