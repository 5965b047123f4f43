"""Highlighting of synonym phrases: a phrase of the synonym table is marked where it
stands whole, never word by word ("security" alone is not "security app")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.cli import main
from tests.conftest import guides_of, with_articles

PHONE_GUIDE = """\
Use this guide when you move to a new phone.

## Set up the new phone

Install the security app on your new phone. Then open the security settings of your
account and type the code that the code generator shows.
"""
NEW_PHONE = ("new-phone", "Move to a new phone", PHONE_GUIDE,
             "Keep signing in when you change phones.")


def _search(capsys: pytest.CaptureFixture[str], guides: Path, data: Path,
            query: str) -> dict:
    assert main(["--guides", str(guides), "--data", str(data), "search", "--json",
                 query]) == 0
    return json.loads(capsys.readouterr().out)


def _marked(snippet: str) -> list[str]:
    return [m.lower() for m in re.findall(r"<mark>(.*?)</mark>", snippet)]


def test_phrase_words_are_marked_only_where_the_phrase_stands(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guides = guides_of(tmp_path, NEW_PHONE)
    # "kauth" is the customer's word; "security app" and "code generator" are phrases
    # the synonym table gives for it.
    response = _search(capsys, guides, tmp_path / "data", "kauth on my new phone")
    snippet = response["results"][0]["snippet"]
    assert "<mark>security</mark> <mark>app</mark>" in snippet
    assert "<mark>code</mark> <mark>generator</mark>" in snippet
    # The same words elsewhere, outside their phrase, are left as they are.
    assert "security settings" in snippet
    assert "type the code that" in snippet
    assert _marked(snippet).count("security") == 1
    assert _marked(snippet).count("code") == 1


def test_own_words_and_single_synonyms_are_still_marked_everywhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guides = guides_of(tmp_path, NEW_PHONE)
    response = _search(capsys, guides, tmp_path / "data", "the settings of my phone")
    marked = _marked(response["results"][0]["snippet"])
    # Words the customer typed are marked wherever they occur, stop words never.
    assert "phone" in marked
    assert "settings" in marked
    assert not {"the", "of", "my"} & set(marked)


LONG_GUIDE = """\
This guide explains what to do when a badge reader is out of order.

## When the reader stops

If it is too late, because the shop has already taken the old reader back at the end of
the rental period, the pairing cannot be undone from the reader itself anymore. In that
case you will need the paper recovery sheet that was printed on the day the account was
opened at the front desk of the building, together with an identity document that shows
your photograph, to ask the front desk for a new pairing. The front desk checks both,
removes the old pairing and gives you a temporary pass for the rest of the day. Once the
new reader arrives, pair it from the settings page of your account.
"""


def test_a_long_snippet_opens_at_a_sentence_not_mid_way(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guides = guides_of(tmp_path, ("badge-reader", "When a badge reader fails", LONG_GUIDE,
                                  "What to do without a working badge reader."))
    response = _search(capsys, guides, tmp_path / "data", "pairing undone")
    snippet = response["results"][0]["snippet"]
    assert snippet.startswith("If it is too late"), snippet



def test_an_answer_longer_than_its_snippet_is_shown_from_its_start(tmp_path: Path) -> None:
    # An online school's article, imported as it came: the answer is the sentence that
    # introduces the ways to enrol and the ways. A snippet that opened where most of the
    # question's words are ("… Students enter the 6-character code") cut off the
    # instruction it answers with ("open the course and click People > Class code").
    context = with_articles(tmp_path, "articles-school", shipped=False)
    found = context.search.search("how do students join my course").results[0]
    assert found.snippet.startswith("There are three ways to get"), found.snippet
    assert "open the <mark>course</mark> and click People &gt; Class code" in found.snippet
    # The page shows it in its own lines: the sentence, then the ways as a list.
    assert found.blocks[0].items[0].startswith("There are three ways")
    assert found.blocks[1].kind == "ul"
    # A way cut half-way ("CSV import (school admins): go to …") is no way to read: the
    # list ends on a whole one and says what is left.
    assert not any(item.endswith("…") for block in found.blocks[:-1] for item in block.items)
    assert found.blocks[-1].items == ("…and 1 more in the guide.",)
