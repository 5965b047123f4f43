"""A question in other words is answered with confidence when one passage of the guide
answers it, and a question about a technology the help center never mentions is still
declined (`kb.search.confidence`).

The help center is small and written in its own words; the questions are a customer's.
"""

from __future__ import annotations

import pytest

from kb.context import Context
from tests.conftest import chat_of, help_center_of

GUIDES = [
    ("invoice-download", "Download your invoices",
     "## Find an invoice\n\nOpen the Billing page of the Manager and choose Invoices. Each "
     "invoice can be downloaded as a PDF file.\n\n## Send invoices to an accountant\n\n"
     "Add the accountant's email address under Billing contacts: every new invoice is "
     "then sent to them as well.\n"),
    ("mailbox-password", "Change the password of a mailbox",
     "## Change the password\n\nIn the Mail service, select the mailbox, then choose "
     "Password and enter the new password twice.\n\n## Forgotten password\n\nAn "
     "administrator of the organization can set a new password for any mailbox.\n"),
    ("domain-renewal", "Renew a domain name",
     "## Automatic renewal\n\nA domain name is renewed automatically every year when "
     "automatic renewal is on and a payment method is saved.\n\n## Renew by hand\n\nOpen "
     "the domain in the Manager and choose Renew now to pay for one or more years.\n"),
    ("user-roles", "Give a user limited rights",
     "## Roles\n\nAn administrator can invite a user to the organization and give them "
     "the role of collaborator, which only opens the products chosen for them.\n"),
]


@pytest.fixture(scope="module")
def help_center(tmp_path_factory) -> Context:
    return help_center_of(tmp_path_factory.mktemp("passage"), *GUIDES)


def test_a_question_one_passage_answers_is_answered_with_confidence(help_center):
    # No word of the guide's title; the sentence about the collaborator role answers it.
    response = help_center.search.search("can my intern see only one product")
    assert response.confident
    assert response.results[0].slug == "user-roles"
    assert "collaborator" in response.results[0].passage


@pytest.mark.parametrize("question", ["set up dkim for my domain",
                                      "configure spf and dmarc records",
                                      "upgrade php on my site"])
def test_a_technology_no_guide_mentions_is_still_declined(help_center, question):
    # "domain", "records", "site" are the help center's words; the subject is not.
    assert not help_center.search.search(question).confident


def test_the_chat_answers_it_and_still_says_when_it_does_not_know(tmp_path):
    # The same help center behind the conversation API, as the widget asks it.
    first_reply = chat_of(tmp_path, *GUIDES)
    answer = first_reply("can my intern see only one product")
    assert answer["type"] == "answer" and answer["guide"] == "user-roles"
    assert "collaborator" in answer["text"]
    assert first_reply("set up dkim for my domain")["type"] == "fallback"
