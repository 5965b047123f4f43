"""The chat's replies read aloud as a customer hears them, through the conversation API:
where an answer comes from is named in words, no reply ends on a colon, and "No" with
nobody's contact configured does not send the customer away from the person it offers."""

from __future__ import annotations

import re

import pytest

from tests.test_api import make_app
from tests.test_chat_replies import talker


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("readaloud"))


def source_of(replies: list[dict]) -> str:
    """The words inside "(From “…”.)" of the answer."""
    answer = next(r for r in replies if r["type"] == "answer")
    found = re.search(r"\(From “(.+)”\.\)$", answer["text"])
    assert found, answer["text"]
    return found.group(1)


def test_a_section_that_continues_its_parent_heading_is_named_whole(app):
    # The guide's heading is "... as a collaborator of the Partner organization", under
    # "Access the Client's account and products": the tail alone is half a phrase.
    say = talker(app, "legal-rep")
    source = source_of(say("can my collaborators see my client's products"))
    assert "..." not in source and "…" not in source, source
    assert source.endswith("Access the Client's account and products as a collaborator "
                           "of the Partner organization"), source


def test_quotes_inside_the_source_do_not_clash_with_the_quotes_around_it(app):
    say = talker(app, "legal-rep")
    source = source_of(say("how do i add a client as a reseller"))
    assert '"' not in source, source
    assert "Add a ‘Managed’ Client" in source, source


def test_no_reply_ends_on_a_colon_after_a_no(app):
    say = talker(app, "legal-rep")
    say("someone hacked my account")
    replies = say(option="helpful:no:account-secure-after-hack")
    assert replies and all(not r["text"].rstrip().endswith(":") for r in replies), replies
    assert any(o["id"].startswith("guide:") for r in replies for o in r["options"])


def test_no_with_no_contact_configured_offers_the_person_it_names(app):
    # No support e-mail or phone is configured: the reply must not tell the customer to
    # look for contact details elsewhere while offering "Talk to a person" right below.
    say = talker(app, "legal-rep")
    say("how do i tag my products in the manager")
    replies = say(option="helpful:no:manager-product-tags")
    if replies[-1]["type"] == "clarify":  # another guide offered first: ask for a person
        replies = say(option="support")
    support = replies[-1]
    assert support["type"] == "support"
    assert "contact page" not in support["text"] and "look for" not in support["text"]
    # Nor open with what it lacks ("I have no contact details …") before the way it has.
    assert "no contact details" not in support["text"], support["text"]
    assert "A person from our support team can take over here" in support["text"], \
        support["text"]
    assert "Talk to a person" in [o["label"] for o in support["options"]]


def test_an_unknown_question_asks_for_other_words_in_plain_english(app):
    say = talker(app, "legal-rep")
    reply = say("blorp fnarg wibble")[0]
    assert reply["type"] == "fallback"
    assert "in other words?" in reply["text"] and ", with other words" not in reply["text"]


def test_a_line_that_goes_on_after_a_list_starts_as_a_sentence(app):
    # The guide's "…then: 1. Temporarily remove the security … and on the new device,
    # install …": under the list, the last line is read on its own.
    say = talker(app, "legal-rep")
    answer = next(r for r in say("new phone, how do i move my authenticator")
                  if r["type"] == "answer")
    lines = answer["text"].splitlines()
    assert any(line.startswith("And on the new device") for line in lines), answer["text"]
    assert not any(re.match(r"[a-z]+ ", line) for line in lines), answer["text"]
