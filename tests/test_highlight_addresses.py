"""A web or e-mail address in a snippet is not cut into marked words.

Asked about a ".com" domain or the Manager, a customer should not see "com" or
"manager" marked inside "manager.example.com/domains": parts of an address are not the
words they asked for. A domain ending written on its own (".com") is still marked.
"""

from __future__ import annotations

from tests.conftest import help_center_of

GUIDES = [
    ("domain-transfer", "Transfer a domain name to us",
     "## Duration\n\nFor .ch domains the transfer is immediate; for .com domains it takes "
     "up to five days. Follow it on manager.example.com/domains or write to "
     "domains@example.com with the domain name.\n"),
    ("invoices", "Download your invoices",
     "## Find an invoice\n\nOpen the Billing page of the Manager and choose Invoices.\n"),
]


def test_words_inside_an_address_are_not_marked_but_a_domain_ending_is(tmp_path):
    context = help_center_of(tmp_path, *GUIDES)
    response = context.search.search("how long does a .com domain transfer take in the manager")
    top = response.results[0]
    assert top.slug == "domain-transfer"
    assert "for .<mark>com</mark> <mark>domains</mark>" in top.snippet
    assert "manager.example.com/domains" in top.snippet, top.snippet
    assert "<mark>domains</mark>@example.com" not in top.snippet
    assert "domains@example.com" in top.snippet
