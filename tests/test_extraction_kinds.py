"""The kind of answer a question asks for, as a customer words it: "which menu has …"
asks where, so the way there (the steps) answers, not the sentence that names the
thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import Context
from kb.settings import Settings
from tests.conftest import write_guide

NEWSLETTER_GUIDE = """\
This guide explains how to choose which newsletters reach your mailbox.

## Newsletter settings

To reach the newsletter settings:

1. Log in to the dashboard.
2. Click on Preferences in the sidebar.
3. Click on Letters and news.

On this page, tick or untick the box "Send me the monthly newsletter".
"""


@pytest.fixture
def search(tmp_path: Path) -> Context:
    guides = tmp_path / "guides"
    guides.mkdir()
    write_guide(guides, "newsletter-settings", NEWSLETTER_GUIDE,
                title="Choose your newsletters", summary="Receive only the letters you want.")
    return Context(Settings(guides=guides, data=tmp_path / "data"))


@pytest.mark.parametrize("question", ["which menu has the monthly newsletter box",
                                      "what page shows the newsletter checkbox"])
def test_which_menu_gets_the_way_there(search: Context, question: str) -> None:
    passage = search.search.search(question).results[0].passage
    assert "2. Click on Preferences in the sidebar." in passage
