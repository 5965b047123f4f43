"""An export is a file: the run says where to download it, and the download needs the
run's (or the conversation's) token, comes as an attachment, with its type."""

from __future__ import annotations

import csv
import io

import pytest

from tests.test_api import bearer, make_app, send

EXPORT_ANSWERS = ["do", "limited", "shop@example.ch", "confirm", "later", "yes"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("attachments"))


@pytest.fixture
def client(app):
    return app.test_client()


def exported_run(client, email: str) -> tuple[dict, dict]:
    created = client.post("/api/v1/runs", json={"procedure": "partner-add-managed-client",
                                                "account": "legal-rep"}).get_json()
    run = created
    for answer in EXPORT_ANSWERS:
        value = email if "@" in answer else answer
        run = send(client, run, created["token"], type="answer", value=value).get_json()
    return created, run


def test_the_export_is_an_attachment_message_and_a_download(client):
    created, run = exported_run(client, "first@example.ch")
    assert run["status"] == "done"
    files = [m for m in run["messages"] if m["type"] == "attachment"]
    assert len(files) == 1
    file = files[0]
    assert file["name"] == "managed-clients.csv" and file["content_type"] == "text/csv"
    assert file["url"] == f"/api/v1/runs/{created['id']}/attachments/managed-clients.csv"
    assert "client_id," not in run["summary"], "the CSV is no longer pasted into the text"

    response = client.get(file["url"], headers=bearer(created["token"]))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="managed-clients.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["client_id", "name"] and len(rows) >= 3


def test_the_download_needs_the_runs_token(client):
    created, _run = exported_run(client, "second@example.ch")
    url = f"/api/v1/runs/{created['id']}/attachments/managed-clients.csv"
    for headers in ({}, bearer("not-the-token")):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"]
    missing = client.get(f"/api/v1/runs/{created['id']}/attachments/other.csv",
                         headers=bearer(created["token"]))
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_a_file_not_produced_yet_is_not_found(client):
    created = client.post("/api/v1/runs", json={"procedure": "partner-add-managed-client",
                                                "account": "legal-rep"}).get_json()
    response = client.get(f"/api/v1/runs/{created['id']}/attachments/managed-clients.csv",
                          headers=bearer(created["token"]))
    assert response.status_code == 404


def test_the_chat_replies_with_an_attachment_fetched_with_the_conversation_token(client):
    conv = client.post("/api/v1/conversations", json={"account": "legal-rep"}).get_json()

    def say(text):
        response = client.post(f"/api/v1/conversations/{conv['id']}/messages",
                               json={"text": text}, headers=bearer(conv["token"]))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["replies"]

    replies = say("add a managed client")
    if not any(r.get("procedure") == "partner-add-managed-client" and r["type"] == "step"
               for r in replies):
        replies = say("yes")
    for answer in EXPORT_ANSWERS:
        replies = say("chat@example.ch" if "@" in answer else answer)
    files = [r for r in replies if r["type"] == "attachment"]
    assert files, replies
    assert files[0]["name"] == "managed-clients.csv"
    assert files[0]["content_type"] == "text/csv"
    url = files[0]["url"]
    assert url == f"/api/v1/conversations/{conv['id']}/attachments/managed-clients.csv"
    response = client.get(url, headers=bearer(conv["token"]))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Bäckerei Müller" in response.get_data(as_text=True)
    assert client.get(url).status_code == 404
