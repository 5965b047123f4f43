"""Several `kb serve` processes (standing for machines, each with its own data folder)
sharing one real PostgreSQL: runs, conversations and exactly-once payouts go across them,
a database that needs `kb db upgrade` is said at start, and a PostgreSQL restart under
load costs the requests in flight (503, the JSON error shape), never what was committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from procedures.backend import MockBackend
from tests.conftest import ROOT, SEED_GUIDES
from tests.postgres_support import PostgresServer, free_port
from tests.test_exactly_once import ACCOUNT, CLIENTS, PROCEDURE, Http, at_once, payout_walk


class Serve(Http):
    """`kb serve` on a port of its own, with its own guides copy and data folder."""

    def __init__(self, root: Path, url: str, workers: int = 1):
        guides, data = root / "guides", root / "data"
        shutil.copytree(SEED_GUIDES, guides)
        self.port = free_port()
        env = {**os.environ, "KB_DATABASE_URL": url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kb", "--guides", str(guides), "--data", str(data),
             # Load from one address: more than the per-client rate limits allow.
             "serve", "--port", str(self.port), "--workers", str(workers), "--no-rate-limits"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.process.stdout is not None
        for line in self.process.stdout:  # "kb serve: http://... ready"
            if "ready" in line:
                break
        else:
            raise AssertionError("kb serve did not start")
        # Keep reading its output, so a chatty server never blocks on a full pipe.
        self.reader = threading.Thread(target=self.process.stdout.read, daemon=True)
        self.reader.start()
        super().__init__(f"http://127.0.0.1:{self.port}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def servers(tmp_path: Path, postgres: PostgresServer) -> Iterator[tuple[Serve, Serve, str]]:
    url = postgres.new_database()
    first = Serve(tmp_path / "a", url)
    try:
        second = Serve(tmp_path / "b", url)
    except BaseException:
        first.stop()
        raise
    try:
        yield first, second, url
    finally:
        first.stop()
        second.stop()


def test_a_run_and_a_conversation_go_on_across_two_servers(servers):
    a, b, _ = servers
    status, run = a.call("/api/v1/runs", {"procedure": PROCEDURE, "account": ACCOUNT})
    assert status == 201
    events = f"/api/v1/runs/{run['id']}/events"
    status, moved = b.call(events, {"type": "answer", "value": "do",
                                    "revision": run["revision"]}, run["token"])
    assert status == 200 and moved["revision"] == run["revision"] + 1
    status, shown = a.call(f"/api/v1/runs/{run['id']}", token=run["token"])
    assert status == 200 and shown["revision"] == moved["revision"]

    status, conv = a.call("/api/v1/conversations", {"account": ACCOUNT})
    assert status == 201
    messages = f"/api/v1/conversations/{conv['id']}/messages"
    assert a.call(messages, {"text": "how do I remove the kauth app"}, conv["token"])[0] == 200
    assert b.call(messages, {"text": "thanks"}, conv["token"])[0] == 200
    status, history = a.call(messages, token=conv["token"])
    assert status == 200
    said = str(history)
    assert "how do I remove the kauth app" in said and "thanks" in said


def test_events_racing_through_two_servers_pay_out_once(servers):
    a, b, url = servers
    status, run = a.call("/api/v1/runs", {"procedure": PROCEDURE, "account": ACCOUNT})
    assert status == 201
    token, events = run["token"], f"/api/v1/runs/{run['id']}/events"
    sent = [0]

    def through_either(event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        sent[0] += 1
        return (a if sent[0] % 2 else b).call(events, event, token)

    for value in payout_walk(True):
        event = {"type": "answer", "value": value, "revision": run["revision"]}
        answers = at_once(lambda event=event: through_either(event))
        assert sorted(s for s, _ in answers) == [200] + [409] * (CLIENTS - 1)
        run = next(body for s, body in answers if s == 200)
    movements = MockBackend(url).account(ACCOUNT).organization["prepaid"]["movements"]
    assert len([m for m in movements if m["label"].startswith("payout")]) == 1


def test_a_database_that_needs_an_upgrade_is_said_at_start(tmp_path, postgres):
    env = {**os.environ, "KB_DATABASE_URL": postgres.new_database(upgraded=False),
           "KB_DATA": str(tmp_path / "data"), "KB_GUIDES": str(SEED_GUIDES)}
    done = subprocess.run([sys.executable, "-m", "kb", "serve", "--port", "0"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "kb db upgrade" in done.stderr and "KB_DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def test_a_postgres_restart_under_load_loses_nothing_committed(tmp_path, postgres):
    url = postgres.new_database()
    server = Serve(tmp_path / "a", url, workers=2)
    try:
        created: list[tuple[str, str]] = []
        statuses: list[int] = []
        others: list[Any] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                status, body = server.call("/api/v1/runs",
                                           {"procedure": PROCEDURE, "account": ACCOUNT})
                statuses.append(status)
                if status == 201:
                    created.append((body["id"], body["token"]))
                elif status != 503 or body["error"]["code"] != "storage_unavailable":
                    others.append((status, body))  # anything but "try again" is wrong

        workers = [threading.Thread(target=load) for _ in range(4)]
        for worker in workers:
            worker.start()
        wait_for(lambda: len(created) >= 10)
        postgres.restart()
        restarted = len(statuses)
        # The servers reconnect by themselves: runs are created again.
        wait_for(lambda: statuses[restarted:].count(201) >= 20)
        stop.set()
        for worker in workers:
            worker.join()
        assert others == []
        for run_id, token in created:  # every run that was answered 201 is there
            status, shown = server.call(f"/api/v1/runs/{run_id}", token=token)
            assert status == 200 and shown["id"] == run_id
    finally:
        server.stop()
