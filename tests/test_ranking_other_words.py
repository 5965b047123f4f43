"""A guide that answers the whole question in its own words comes before one that shares a
single word with the customer.

Customers rarely use the article's word ("zoom" for a video meeting, "coworker" for a
collaborator): a guide that covers every part of the question through the vocabulary
covers it nearly as well as one that repeats the customer's words (`CREDIT_POWER` in
kb/search/service.py; docs/search-quality.md, "Sixth pass").
"""

from __future__ import annotations

from pathlib import Path

from kb.context import Context
from kb.settings import Settings
from tests.conftest import write_guide


def _help_center(tmp_path: Path) -> Context:
    guides = tmp_path / "guides"
    guides.mkdir()
    write_guide(guides, "video-meeting", title="Organize a video meeting",
                body="## Start a meeting\n\nStart the video meeting and invite each "
                     "collaborator with the link.\n")
    write_guide(guides, "share-mailbox", title="Share a mailbox",
                body="## Share with a coworker\n\nA coworker can then read the shared "
                     "mailbox.\n")
    write_guide(guides, "create-mailbox", title="Create a mailbox",
                body="## New address\n\nCreate an address for the mailbox.\n")
    return Context(Settings(guides=guides, data=tmp_path / "data"))


def test_the_guide_saying_it_in_other_words_comes_first(tmp_path):
    context = _help_center(tmp_path)
    # "zoom" is a video meeting and "coworker" a collaborator: the meeting guide answers
    # both parts; the mailbox guide only shares the word "coworker" (in a heading, even).
    response = context.search.search("zoom with a coworker")
    assert [r.slug for r in response.results[:2]] == ["video-meeting", "share-mailbox"]
    # The customer's own word still counts for something: asked about sharing a mailbox
    # with a coworker, the mailbox guide is the answer.
    sharing = context.search.search("share my mailbox with a coworker")
    assert sharing.results[0].slug == "share-mailbox"
