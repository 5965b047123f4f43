"""A real `kb serve`: what gunicorn refuses on its own is in the API's JSON error shape,
production without a secret does not start, and a data folder it cannot write to is
reported at start."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from kb.cli import main
from kb.cli.serve import data_folder_problem
from tests.conftest import ROOT
from tests.test_pages import free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve") / "data"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "--data", str(data), "serve", "--port", str(port),
         "--workers", "1"], cwd=ROOT, env={**os.environ, "KB_SECRET_KEY": "serve-limits"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            request(port, "/api/v1/guides")
            break
        except OSError:
            time.sleep(0.1)
    yield port
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)


def request(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(("what", "path", "headers", "status", "message"), [
    ("a huge address", "/api/v1/search?q=" + "a" * 9000, {}, 414, "too long"),
    ("a huge header", "/api/v1/search?q=x", {"X-Padding": "p" * 9000}, 431, "too large"),
    ("too many headers", "/api/v1/search?q=x",
     {f"X-Header-{n}": "1" for n in range(150)}, 431, "too large"),
])
def test_gunicorns_own_refusals_are_json(server, what, path, headers, status, message):
    got, content_type, body = request(server, path, headers)
    assert got == status, (what, body[:200])
    assert content_type == "application/json"
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message"} and message in error["message"]


def test_a_long_but_acceptable_address_reaches_the_app(server):
    status, content_type, body = request(server, "/api/v1/search?q=" + "word+" * 800)
    assert status == 200 and content_type == "application/json"
    assert "cut to its first 500 characters" in json.loads(body)["message"]


def test_production_without_a_secret_does_not_start(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KB_MODE", "production")
    monkeypatch.delenv("KB_IDENTITY_SECRET", raising=False)
    assert main(["--data", str(tmp_path / "data"), "serve", "--port", str(free_port())]) == 2
    assert "KB_IDENTITY_SECRET" in capsys.readouterr().err


def test_a_data_folder_that_cannot_be_written_is_named(tmp_path):
    assert data_folder_problem(tmp_path / "data") is None
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert data_folder_problem(blocker / "data") is not None


def test_a_rate_limit_storage_that_cannot_be_used_is_named(tmp_path, monkeypatch, capsys):
    # A storage scheme nothing provides: refused at start by name, the password unsaid.
    monkeypatch.setenv("KB_RATELIMIT_STORAGE", "carrier-pigeon://:secret@localhost:6390")
    assert main(["--data", str(tmp_path / "data"), "serve", "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert "KB_RATELIMIT_STORAGE cannot be used" in err and "secret" not in err
