"""Follow-on questions in the chat: "and how do I delete it?" after an answer is about
what that answer was about, and a message that names its own subject is left alone."""

from __future__ import annotations

from kb.chat.reference import completed, subject
from tests.conftest import chat_replies_of

LABELS = ("zorblax-labels", "Labels on Zorblax boards", """This guide explains labels.

## Add a label

To add a label to a card:

1. Open the card on the Zorblax board.
2. Click on New label and type its name.

## Delete a label

To delete a label:

1. Open the list of labels of the board.
2. Click on the bin next to the label.
""")
ACCOUNT = ("close-account", "Close your account", """This guide explains how to close an account.

## Delete your account

1. Open the Settings page.
2. Click on Delete my account and confirm with your password.
""")


def answer(replies):
    return next(r for r in replies if r["type"] in ("answer", "fallback"))


def test_it_after_an_answer_is_what_that_answer_was_about(tmp_path):
    say = chat_replies_of(tmp_path, LABELS, ACCOUNT)
    first = answer(say("how do i add a label to a card"))
    assert first["guide"] == "zorblax-labels" and "New label" in first["text"]
    # Alone, "delete it" would be about deleting anything (the account guide).
    follow = answer(say("and how do I delete it?"))
    assert follow["type"] == "answer" and follow["guide"] == "zorblax-labels", follow
    assert "bin next to the label" in follow["text"]


def test_a_follow_on_with_no_words_of_its_own_is_about_the_last_answer(tmp_path):
    say = chat_replies_of(tmp_path, LABELS, ACCOUNT)
    say("how do i delete a label")
    # No word of its own to look for: it is about the label, as a person hears it.
    follow = answer(say("and where is it?"))
    assert follow["type"] == "answer" and follow["guide"] == "zorblax-labels", follow


def test_a_follow_on_the_guide_does_not_answer_is_not_forced_on_it(tmp_path):
    say = chat_replies_of(tmp_path, LABELS, ACCOUNT)
    assert answer(say("how do i add a label to a card"))["guide"] == "zorblax-labels"
    # The label guide says nothing of prices: no steps about labels for "is it free?".
    assert answer(say("is it free?"))["type"] == "fallback"


def test_a_message_that_names_its_subject_is_read_as_it_is(tmp_path):
    say = chat_replies_of(tmp_path, LABELS, ACCOUNT)
    say("how do i add a label to a card")
    follow = answer(say("how do i close my account"))
    assert follow["guide"] == "close-account" and "Delete my account" in follow["text"]


def test_what_a_pronoun_stands_for_is_written_out():
    # The thing acted on, without where or why ("to a card" is where it is added).
    assert subject("how do I add a label to a card?") == "a label"
    assert subject("how much discount do partners get") == "discount"
    assert subject("passwords?") == "passwords"
    assert subject("what happens if I cancel my hosting") == "my hosting"
    assert subject("what does cashback mean") == "cashback"
    assert completed("and how do I delete it?", "how do I add a label to a card") == \
        "and how do I delete a label?"
    assert completed("what about renaming", "how do I add a label") == \
        "what about renaming a label"
    assert completed("and how do I delete it?", None) is None
    assert completed("it?", "how do I add a label") is None
    # A message with words enough of its own is about them.
    assert completed("how do I delete it from my phone and my tablet and my laptop",
                     "how do I add a label") is None
    assert completed("how do I export my invoices", "how do I add a label") is None
