"""Questions about imported articles go to the guide about their subject, not to one that
shares an incidental word (docs/search-quality.md, "Eighth pass: routing on imported
articles").

A help center's articles are full of links ("manager.example.com") and name their tool
in nearly every step ("the Manager"): a question that names a domain by its ending, or
asks about the Manager, must not be routed by those words' accidents.
"""

from __future__ import annotations

from tests.conftest import help_center_of

DOMAIN_GUIDES = [
    ("domain-transfer", "Transfer a domain name from another registrar",
     "## Before you start\n\nUnlock the domain name at the current registrar and ask for "
     "its authorization code.\n\n## Start the transfer\n\nOpen manager.example.com, "
     "enter the domain name and the code in the order form. The transfer takes five to "
     "seven days.\n"),
    ("bank-transfer", "Pay an invoice by bank transfer",
     "## Pay by transfer\n\nOpen billing.example.com, choose the invoice and copy the "
     "bank details shown on manager.example.com. A transfer takes one to three working days; "
     "see help.example.com for the bank's holidays and status.example.com for delays.\n"),
]


def test_a_domain_ending_asks_about_a_domain(tmp_path):
    context = help_center_of(tmp_path, *DOMAIN_GUIDES)
    # ".com" names the kind of address being transferred; "com" alone is in every
    # guide's links, and the bank guide holds it (and "transfer") more often.
    response = context.search.search("how long does a .com transfer take")
    assert response.results[0].slug == "domain-transfer"
    # Without an ending the question is about the payment, as the customer wrote it.
    paying = context.search.search("how long does a bank transfer take")
    assert paying.results[0].slug == "bank-transfer"


MANAGER_GUIDES = [
    ("download-invoice", "Download an invoice",
     "## Find the invoice\n\nOpen the Billing page of the Manager and click the invoice "
     "to download it as a PDF.\n"),
    ("managed-clients", "Add a managed client",
     "## Managed clients\n\nA partner manages the products of a managed client and "
     "receives its invoices: add the client, then manage its products and invoices from "
     "the list of managed clients.\n"),
]


def test_the_manager_is_not_managing(tmp_path):
    context = help_center_of(tmp_path, *MANAGER_GUIDES)
    # "the manager" is the tool where invoices are found; the partner guide manages
    # (and mentions invoices), which Porter's stemmer took for the same word.
    response = context.search.search("where are my invoices in the manager")
    assert response.results[0].slug == "download-invoice"
    managing = context.search.search("manage the invoices of a client")
    assert managing.results[0].slug == "managed-clients"


SUBSCRIBER_GUIDES = [
    ("newsletter", "Send a newsletter",
     "## Your list\n\nImport the addresses of your subscribers, then write the email and "
     "send it to the list.\n"),
    ("auto-reply", "Reply automatically while away",
     "## Turn it on\n\nTurn on the automatic reply and write the email your contacts "
     "receive while you are away.\n"),
]


def test_subscribers_are_not_subscribing(tmp_path):
    context = help_center_of(tmp_path, *SUBSCRIBER_GUIDES)
    # "subscribers" are people on a list; "subscribe" (opt in, turn on) is another word,
    # which Porter's stemmer made the same: the auto-reply guide's "Turn on" was marked
    # as if the customer had asked for it.
    response = context.search.search("email my subscribers")
    assert response.results[0].slug == "newsletter"
    marked = " ".join(r.snippet for r in response.results)
    assert "<mark>Turn" not in marked, marked
