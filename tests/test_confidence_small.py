"""A help center of a few guides answers a question asked in other words with confidence,
and still declines an unrelated one (`kb.search.confidence`).

In a small help center every word's weight (its IDF) is small, so a model reading the
answering passage's score as an absolute weight called its answers doubtful merely
because there are few guides; the passage is read as a share of the question instead.
The guides here are written in their own words; the questions are a customer's.
"""

from __future__ import annotations

import pytest

from kb.context import Context
from tests.conftest import chat_of, help_center_of

GUIDES = [
    ("renew-domain", "Renew a domain name",
     "## Automatic renewal\n\nA domain name is renewed automatically every year, a month "
     "before its expiry date, as long as automatic renewal is on and a payment method is "
     "saved in the Manager.\n\n## Renew by hand\n\nOpen the domain in the Manager and "
     "choose Renew now to pay for one or more years.\n"),
    ("restore-backup", "Restore a backup of your website",
     "## Restore files\n\nIn the Manager, open the hosting, choose Backups and pick the "
     "date to restore: the files of that day replace the current ones.\n\n## Retention\n\n"
     "Backups of the last 14 days are kept at no extra cost.\n"),
    ("invoices", "Download your invoices",
     "## Find an invoice\n\nOpen the Billing page of the Manager and choose Invoices; each "
     "invoice can be downloaded as a PDF file.\n"),
    ("team-access", "Give a colleague access to some products",
     "## Invite a user\n\nAn administrator invites the user to the organization by email "
     "and chooses which products the user may open.\n"),
]


@pytest.fixture(scope="module")
def help_center(tmp_path_factory) -> Context:
    return help_center_of(tmp_path_factory.mktemp("small"), *GUIDES)


def test_a_question_in_other_words_is_answered_with_confidence(help_center):
    # "team member" and "only open one product" are not the guide's words ("colleague",
    # "user", "which products the user may open"); the sentence that answers is there.
    response = help_center.search.search("add a team member who can only open one product")
    assert response.confident
    assert response.results[0].slug == "team-access"
    assert "chooses which products the user may open" in response.results[0].passage


@pytest.mark.parametrize("question", ["order a pizza to the office",
                                      "set up dkim for my domain",
                                      "upgrade php on my website",
                                      "transfer my domain to another registrar"])
def test_an_unrelated_question_is_still_declined(help_center, question):
    assert not help_center.search.search(question).confident


def test_the_chat_of_a_small_help_center_answers_it_and_declines_the_rest(tmp_path):
    # The same help center behind the conversation API, as the widget asks it.
    first_reply = chat_of(tmp_path, *GUIDES)
    answer = first_reply("add a team member who can only open one product")
    assert answer["type"] == "answer" and answer["guide"] == "team-access"
    assert "chooses which products the user may open" in answer["text"]
    assert first_reply("order a pizza to the office")["type"] == "fallback"
