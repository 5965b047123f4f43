"""A guide without a do-it-for-me flow is still gone through step by step when the person
asks: "show me how" after its answer starts its steps, and "do it for me" says why not and
offers them. A guide of facts alone has no steps to offer."""

from __future__ import annotations

import shutil

import pytest

from kb.settings import Settings
from tests.conftest import SEED_GUIDES, write_guide
from tests.test_api import bearer
from webapp import create_app

STEPS = """## Turn on the automatic reply

To turn on the out-of-office message:

1. Log in to the webmail with the address concerned.
2. Click on the gear icon at the top right to open the settings.
3. Click on Absence message, then turn on the switch.
4. Write the subject and the text of the message, then click on Save.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("walkthrough")
    guides = root / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    write_guide(guides, "set-up-an-out-of-office-reply", body=STEPS,
                title="Set up an out-of-office reply", category="Email",
                summary="Answer every message automatically while you are away.",
                tags="[out of office, vacation, auto reply, absence]", products="[Mail]")
    return create_app(Settings(guides=guides, data=root / "data", secret_key="test"),
                      testing=True)


def talker(app):
    client = app.test_client()
    conv = client.post("/api/v1/conversations", json={"account": "legal-rep"}).get_json()

    def say(text="", **extra):
        response = client.post(f"/api/v1/conversations/{conv['id']}/messages",
                               json={"text": text, **extra}, headers=bearer(conv["token"]))
        assert response.status_code == 200
        return response.get_json()["replies"]

    return say


QUESTION = "how do i set up an out of office reply while on vacation"


@pytest.mark.parametrize("typed", ["show me how", "walk me through it", "step by step"])
def test_show_me_how_after_an_answer_starts_the_guides_steps(app, typed):
    say = talker(app)
    answer = say(QUESTION)
    assert answer[0]["type"] == "answer" and answer[0]["guide"] == "set-up-an-out-of-office-reply"
    assert not [r for r in answer if r["type"] == "offer"], "no do-it-for-me flow, no offer"
    replies = say(typed)
    assert replies[0]["text"] == ("Let's go through “Set up an out-of-office reply” step by "
                                  "step. You can say back, cancel or restart at any time.")
    assert replies[-1]["type"] == "step" and "Log in to the webmail" in replies[-1]["text"]
    assert "Click on the gear icon" in say("done")[-1]["text"]


def test_do_it_for_me_says_why_not_and_offers_the_steps(app):
    say = talker(app)
    say(QUESTION)
    offer = say("can you do it for me?")
    assert [r["type"] for r in offer] == ["offer"]
    assert offer[0]["text"] == ("I can't do this one for you, but I can take you through "
                                "“Set up an out-of-office reply” one step at a time.")
    assert "Log in to the webmail" in say("yes")[-1]["text"]


def test_without_an_answer_before_it_show_me_how_is_not_a_walk_through(app):
    say = talker(app)
    # It used to list three guides that happen to say "show".
    replies = say("show me how")
    assert [r["type"] for r in replies] == ["help"]
    assert replies[0]["text"].startswith("Happy to. What would you like to do?")
