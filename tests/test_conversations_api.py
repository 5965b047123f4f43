"""The chat's JSON API: conversations reached by token, messages applied once."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from tests.test_api import ORIGIN, assert_error, bearer, make_app

URL = "/api/v1/conversations"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("conversations"))


@pytest.fixture
def client(app):
    return app.test_client()


def new(client, **body) -> dict:
    response = client.post(URL, json=body) if body else client.post(URL)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert set(data) == {"id", "token"}
    return data


def say(client, conv, text="", **extra):
    return client.post(f"{URL}/{conv['id']}/messages", json={"text": text, **extra},
                       headers=bearer(conv["token"]))


def test_a_question_is_answered_from_the_guides_and_the_procedure_offered(client):
    conv = new(client)
    replies = say(client, conv, "how do I remove the kauth app").get_json()["replies"]
    assert replies[0]["type"] == "answer" and replies[0]["guide"] == "kauth-remove-account"
    assert replies[1]["procedure"] == "kauth-remove-account"
    start = replies[1]["options"][0]["id"]
    step = say(client, conv, "", option=start).get_json()["replies"][-1]
    assert step["type"] == "step" and step["procedure"] == "kauth-remove-account"
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    data = history.get_json()
    assert [m["text"] for m in data["messages"]] == ["how do I remove the kauth app", ""]
    assert data["procedure"] == "kauth-remove-account"


def test_i_dont_know_has_the_fallback_type(client):
    conv = new(client)
    reply = say(client, conv, "recipe for cheese fondue").get_json()["replies"][0]
    assert reply["type"] == "fallback" and reply["guide"] is None


def test_a_replayed_message_is_applied_once(client):
    conv = new(client, account="kauth-only")
    say(client, conv, "", option="start:kauth-remove-account")
    first = say(client, conv, "guide", client_id="abc").get_json()
    again = say(client, conv, "guide", client_id="abc").get_json()
    assert first == again
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert [m["client_id"] for m in history.get_json()["messages"]].count("abc") == 1


def test_the_token_is_checked_and_never_read_from_the_url(client):
    conv = new(client)
    url = f"{URL}/{conv['id']}/messages"
    for response in (client.post(url, json={"text": "hi"}),
                     client.post(url, json={"text": "hi"}, headers=bearer("wrong")),
                     client.post(f"{url}?token={conv['token']}", json={"text": "hi"}),
                     client.get(url), client.post(f"{URL}/nope/messages", json={"text": "hi"},
                                                  headers=bearer(conv["token"]))):
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize(("body", "status"), [
    ({"text": ""}, 422), ({"text": 5}, 422), ({"txt": "hi"}, 422),
    ({"text": "hi", "client_id": ""}, 422), ([], 422),
])
def test_bad_messages_are_refused_and_change_nothing(client, body, status):
    conv = new(client)
    response = client.post(f"{URL}/{conv['id']}/messages", json=body,
                           headers=bearer(conv["token"]))
    assert_error(response, status)
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert history.get_json()["messages"] == []


def test_binary_and_unknown_account_bodies(client):
    conv = new(client)
    response = client.post(f"{URL}/{conv['id']}/messages", data=b"\xff\xfe\x00",
                           content_type="application/json", headers=bearer(conv["token"]))
    assert_error(response, 400, "invalid_json")
    assert_error(client.post(URL, json={"account": "nobody"}), 422, "unknown_account")


def test_cors_for_the_widget_on_another_origin(client):
    allowed = client.options(URL, headers={"Origin": ORIGIN,
                                           "Access-Control-Request-Method": "POST"})
    assert allowed.headers.get("Access-Control-Allow-Origin") == ORIGIN
    refused = client.post(URL, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_passwords_never_reach_the_history_and_pictures_can_be_sent(client):
    conv = new(client, account="kauth-sms")
    say(client, conv, "", option="start:kauth-remove-account")
    say(client, conv, "remove it for me")
    say(client, conv, "", option="confirm")  # the review before the change
    say(client, conv, "my-Secret-typed-here")
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert "my-Secret-typed-here" not in history.get_data(as_text=True)
    assert history.get_json()["messages"][-1]["text"] == "[hidden]"

    conv = new(client, account="legal-rep")
    say(client, conv, "", option="start:profile-edit-name-avatar")
    say(client, conv, "", option="do")
    say(client, conv, "", option="avatar")
    step = say(client, conv, "", option="confirm").get_json()["replies"][-1]
    assert step["field"]["type"] == "image"
    image = io.BytesIO()
    Image.new("RGB", (320, 320), (10, 90, 200)).save(image, format="PNG")
    upload = "data:image/png;base64," + base64.b64encode(image.getvalue()).decode()
    replies = say(client, conv, upload).get_json()["replies"]
    assert any("320" in r["text"] or "picture" in r["text"].lower() for r in replies), replies
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert history.get_json()["messages"][-1]["text"] == "[picture]"


def test_a_long_message_is_cut_not_refused(client):
    conv = new(client)
    assert say(client, conv, "kauth " * 5_000).status_code == 200
    history = client.get(f"{URL}/{conv['id']}/messages", headers=bearer(conv["token"]))
    assert len(history.get_json()["messages"][-1]["text"]) <= 2_000
