"""Follow-up suggestions in the chat: after an answer from a guide, two or three other
questions that guide answers, phrased as a customer would ask them; sending one gets a
real answer from the same guide, from another section than the one just quoted."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from kb.chat.phrasing import Phraser
from kb.settings import Settings
from tests.conftest import SEED_GUIDES
from tests.test_api import ORIGIN, bearer
from webapp import create_app

SHARING = """This guide explains how to give other people access to files stored on kDrive.

## Prerequisites

- Be a user of the kDrive with the right to manage the folder.

## Create a Public Sharing Link

To send a folder to someone who has no kDrive account:

1. Open the kDrive web app (kdrive.infomaniak.com).
2. Right-click on the folder and select **Share**.
3. Click on **Create a link** and copy it.

## Invite a User to a Folder

1. Right-click on the folder and select **Share**.
2. Enter the email address of the person.
3. Choose their rights (read only or edit) and click **Send**.

The person receives an email with a link to the folder.

## Stop Sharing a Folder

To remove all access to a shared folder:

1. Open the sharing settings of the folder.
2. Click on **Delete the link** or remove the invited users one by one.

## Storage quota

Files in a shared folder count against the quota of the kDrive that owns the folder,
never against the quota of the people it is shared with. A kDrive of the Solo offer
holds 1 TB.
"""
HEADINGS = ["Prerequisites", "Create a Public Sharing Link", "Invite a User to a Folder",
            "Stop Sharing a Folder", "Storage quota", "Share Files and Folders from kDrive"]


def sharing_guide(folder: Path) -> None:
    """A guide none of the seed guides resembles, in the Title Case headings many help
    centers use."""
    meta = {"title": "Share Files and Folders from kDrive", "category": "kDrive",
            "summary": "How to share a kDrive folder with a public link or with invited "
                       "users, and how to stop sharing it.",
            "tags": "[kdrive, sharing, share link, folder]", "products": "[kDrive]"}
    head = "\n".join(f"{k}: {v}" for k, v in {"slug": "kdrive-share-folder", **meta,
                                               "language": "en",
                                               "updated": "2026-11-26"}.items())
    (folder / "kdrive-share-folder.md").write_text(f"---\n{head}\n---\n\n{SHARING}",
                                                   encoding="utf-8")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("followups")
    guides = root / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    sharing_guide(guides)
    return create_app(Settings(guides=guides, data=root / "data", secret_key="test",
                               allowed_origins=[ORIGIN]), testing=True)


class Chat:
    def __init__(self, client, **body):
        self.client = client
        self.conv = client.post("/api/v1/conversations", json=body).get_json()

    def say(self, text: str = "", **extra) -> list[dict]:
        response = self.client.post(f"/api/v1/conversations/{self.conv['id']}/messages",
                                    json={"text": text, **extra},
                                    headers=bearer(self.conv["token"]))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["replies"]


def answer_of(replies: list[dict]) -> dict:
    found = [r for r in replies if r["type"] == "answer"]
    assert found, f"no answer in {[r['type'] for r in replies]}"
    return found[0]


def test_an_answer_offers_other_questions_of_the_same_guide(app):
    chat = Chat(app.test_client())
    asked = "how can I give someone a link to my kdrive folder"
    first = answer_of(chat.say(asked))
    assert first["guide"] == "kdrive-share-folder"
    offered = first["suggestions"]
    assert 2 <= len(offered) <= 3, offered
    for question in offered:
        # A question as a person asks it, never a raw heading nor the question just asked.
        assert re.fullmatch(r"[A-Z][^?]+\?", question), question
        assert question.rstrip("?").lower() not in {h.lower() for h in HEADINGS}
        assert question.lower() != asked.lower()
        assert "your" not in question.lower().split()
    quoted = first["url"].partition("#")[2]
    for question in offered:
        # Pressing one is sending it: it gets the same guide, another section.
        replies = chat.say(question)
        answer = answer_of(replies)
        assert answer["guide"] == "kdrive-share-folder", (question, replies)
        assert answer["url"].partition("#")[2] != quoted, question
        assert question not in answer["suggestions"], "never the question just asked"
        assert "feedback" in [r["type"] for r in replies]


def test_seed_guide_answers_offer_questions_that_really_answer(app):
    chat = Chat(app.test_client())
    # (Not "change my profile picture": its answer says the way to the profile page
    # already, and the guide has nothing else to offer.)
    for asked in ("who owns a domain i pay for", "how do i add a client as a reseller",
                  "tags on products", "how much discount do partners get"):
        first = answer_of(chat.say(asked))
        assert first["suggestions"], asked
        for question in first["suggestions"]:
            answer = answer_of(chat.say(question))
            assert answer["guide"] == first["guide"], (asked, question)
            assert answer["url"] != first["url"], (asked, question)


def test_an_answer_that_says_the_way_there_does_not_offer_it_again(app):
    # The answer starts with how to reach the profile ("First, go to the user profile
    # section: …"): "How do I go to the user profile section?" would ask what it said.
    chat = Chat(app.test_client())
    answer = answer_of(chat.say("change my profile picture"))
    assert answer["text"].startswith("First, go to the user profile section:")
    assert "Manage my profile" in answer["text"] and "pencil icon" in answer["text"]
    assert not any("profile section" in q.lower() for q in answer["suggestions"]), \
        answer["suggestions"]


def test_a_new_build_offers_the_questions_of_the_changed_guide(tmp_path):
    guides = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    sharing_guide(guides)
    app = create_app(Settings(guides=guides, data=tmp_path / "data", secret_key="test"),
                     testing=True)
    context = app.extensions["kb.context"]
    context.search.refresh_seconds = 0  # the files are checked on every question
    chat = Chat(app.test_client())

    def asked() -> list[str]:
        """The suggestions once the build in use has checked every guide's questions
        (an answer from a guide not checked yet offers none, by design; on a busy
        machine the checks made before the first answer may not reach this guide)."""
        chat.say("invite someone to my kdrive folder")  # opens the build, if it is new
        followups = context.chat.engine.followups
        deadline = time.monotonic() + 30
        while not followups.prepare(context.search.searcher()).complete and \
                time.monotonic() < deadline:
            time.sleep(0.05)
        return answer_of(chat.say("invite someone to my kdrive folder"))["suggestions"]

    assert "How do I stop sharing a folder?" in asked()
    path = guides / "kdrive-share-folder.md"
    path.write_text(path.read_text().replace("Stop Sharing a Folder", "Revoke Access to a Folder")
                    .replace("To remove all access to a shared folder:", ""))
    offered = asked()
    assert "How do I stop sharing a folder?" not in offered
    assert "How do I revoke access to a folder?" in offered


def test_replies_other_than_answers_carry_an_empty_list(app):
    replies = Chat(app.test_client()).say("hello")
    assert [r["suggestions"] for r in replies] == [[]]


def test_no_suggestions_in_the_middle_of_a_procedure(app):
    """There a message answers the current step: a pressed suggestion would be taken for
    an answer, so an answer given on the side offers none."""
    chat = Chat(app.test_client(), account="kauth-sms")
    chat.say(option="start:kauth-remove-account")
    chat.say("remove it for me")
    replies = chat.say("how do I stop sharing a folder on kdrive?")
    answer = answer_of(replies)
    assert answer["guide"] == "kdrive-share-folder"
    assert answer["suggestions"] == []
    assert any("continue" in r["text"].lower() for r in replies)


def test_the_history_keeps_the_suggestions(app):
    client = app.test_client()
    chat = Chat(client)
    offered = answer_of(chat.say("stop sharing my kdrive folder"))["suggestions"]
    history = client.get(f"/api/v1/conversations/{chat.conv['id']}/messages",
                         headers=bearer(chat.conv["token"])).get_json()
    assert answer_of(history["messages"][-1]["replies"])["suggestions"] == offered


@pytest.mark.parametrize(("heading", "question"), [
    ("Change All Passwords", "How do I change all passwords?"),
    ("Regain access to your account", "How do I regain access to my account?"),
    ("Delete an account on kAuth (iOS / Android)", "How do I delete an account on kAuth?"),
    ("Manage Manager Tags", "How do I manage Manager tags?"),
    ("Cashback", "How does the cashback work?"),
    ("Renewal emails", "How do the renewal emails work?"),
    ("Why is my domain suspended?", "Why is my domain suspended?"),
    ("How to Renew Your Domain", "How do I renew my domain?"),
    ("Force HTTPS", "How do I force HTTPS?"),
    ("See what takes up space, free some of it", "How do I see what takes up space?"),
    ("What DNSSEC protects against", None),
    # Statements and parts of sentences are not turned into questions.
    ("Paying for a service does not confer ownership", None),
    ("... as a collaborator of the Partner organization", None),
    ("Before Changing iOS / Android Device", None),
    ("Introduction", None),
    ("Learn more", None),
    ("Partnership with full access", None),
])
def test_headings_become_questions_a_customer_would_ask(heading, question):
    body = "Log in to the Manager. In the Manager, tags sort products; add tags freely."
    assert Phraser(body).from_heading(heading) == question


@pytest.mark.parametrize(("sentence", "question"), [
    ("To remove one of the accounts, you must use a web browser:",
     "How do I remove one of the accounts?"),
    ("Go to the user profile section:", "How do I go to the user profile section?"),
    ("By clicking on the picture, you can add a profile picture to your account.",
     "How do I add a profile picture to my account?"),
    ("You can configure so as not to be inundated with messages.", None),
    ("Click on Save.", None),
    ("You can also send them to other addresses.", None),
    ("To this end, the team checks it.", None),
])
def test_sentences_that_name_a_task_become_questions(sentence, question):
    assert Phraser("").from_step_intro(sentence) == question


def test_a_large_help_center_gets_its_suggestions_from_the_background_then_from_the_file(
        tmp_path, monkeypatch):
    """Past the time budget of a build's opening, the checks go on in the background:
    answers offer suggestions once their guide is checked; a server process started
    later reads them from the build's file at once."""
    import time

    from kb.chat import followups

    monkeypatch.setattr(followups, "BUDGET_S", 0.0)  # as if the help center were huge
    guides = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    sharing_guide(guides)
    settings = Settings(guides=guides, data=tmp_path / "data", secret_key="test")
    chat = Chat(create_app(settings, testing=True).test_client())
    offered: list[str] = []
    for _ in range(600):  # until the background checks reach the guide (at most a minute)
        offered = answer_of(chat.say("stop sharing my kdrive folder"))["suggestions"]
        if offered:
            break
        time.sleep(0.1)
    assert offered, "the background checks never reached the guide"

    later = Chat(create_app(settings, testing=True).test_client())
    for _ in range(600):  # the first process writes the file when all guides are checked
        if list((tmp_path / "data").rglob(followups.FILE)):
            break
        time.sleep(0.1)
    assert answer_of(later.say("stop sharing my kdrive folder"))["suggestions"] == offered
