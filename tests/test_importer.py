"""`kb import`: help articles in three formats become valid guides with their structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kb.content import guides
from kb.content.importer import import_articles
from tests.conftest import FIXTURES

ARTICLES = sorted((FIXTURES / "articles").iterdir())
TODAY = dt.date(2026, 11, 26)


def imported(tmp_path: Path, *paths: Path):
    done, failed = import_articles(list(paths), tmp_path / "out", today=TODAY)
    return done, failed, guides.load(tmp_path / "out")


def test_every_fixture_article_imports_into_a_valid_guide(tmp_path):
    done, failed, kb = imported(tmp_path, *ARTICLES)
    assert failed == []
    assert len(done) == len(ARTICLES) == len(kb)
    assert kb.problems == []
    for item in done:
        assert item.target.name == f"{item.slug}.md"


def test_plain_text_keeps_headings_lists_and_notes(tmp_path):
    source = FIXTURES / "articles" / "enable-sms-two-factor.txt"
    _, _, kb = imported(tmp_path, source)
    guide = kb.get("enable-two-factor-authentication-by-sms")
    assert guide.title == "Enable two-factor authentication by SMS"
    assert [h.title for h in guide.headings] == [
        "Prerequisites", "Activate the SMS method", "Change the phone number"]
    assert "- Choose SMS among the proposed methods." in guide.body
    assert "> **Note:** the SMS can take up to one minute" in guide.body
    assert guide.meta.summary.startswith("This guide explains how to activate")
    # Every non-empty line of the article is in the guide.
    for line in source.read_text().splitlines()[1:]:
        text = line.strip().removeprefix("- ").removeprefix("Note: ")
        assert text in guide.body


def test_html_drops_page_chrome_and_keeps_the_article(tmp_path):
    source = FIXTURES / "articles" / "add-user-to-organization.html"
    _, _, kb = imported(tmp_path, source)
    guide = kb.get("add-a-user-to-your-organization-and-set-their-rights")
    assert "gtag" not in guide.body and "Was this FAQ helpful" not in guide.body
    assert "Web hosting" not in guide.body  # the navigation menu
    assert "1. Log in to the Infomaniak Manager" in guide.body
    assert "## Choose the user's role" in guide.body


def test_markdown_title_becomes_front_matter(tmp_path):
    source = FIXTURES / "articles" / "download-invoice-receipt.md"
    _, _, kb = imported(tmp_path, source)
    guide = kb.get("download-an-invoice-or-a-receipt")
    assert not guide.body.lstrip().startswith("# ")
    assert all(h.level >= 2 for h in guide.headings)


def test_seed_style_alternatives_become_sub_sections(tmp_path):
    article = tmp_path / "access.txt"
    article.write_text(
        "Access a client's Manager\n"
        "This guide explains how to open a client's Manager.\n"
        "Access the Client's account\n"
        "... as the legal representative\n"
        "- Click on Reseller Space.\n"
        "… as a collaborator\n"
        "- Click on the Clients tab.\n"
        "Attention: only for managed clients.\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    guide = kb.get("access-a-client-s-manager")
    assert [(h.level, h.title) for h in guide.headings] == [
        (2, "Access the Client's account"), (3, "... as the legal representative"),
        (3, "… as a collaborator")]
    assert "> **Attention:** only for managed clients." in guide.body


def test_unreadable_files_are_reported_and_the_rest_imported(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    folder = tmp_path / "a-folder.md"
    folder.mkdir()
    done, failed, _ = imported(tmp_path, binary, empty, folder, ARTICLES[0])
    assert [item.source for item in done] == [ARTICLES[0]]
    reasons = {f.source: f.reason for f in failed}
    assert "binary" in reasons[binary]
    assert reasons[empty] == "the file is empty"
    assert "folder" in reasons[folder]


def test_markdown_in_plain_text_stays_literal(tmp_path):
    article = tmp_path / "odd.txt"
    article.write_text("Odd characters\nUse the *star* key and <b>bold</b> [brackets].\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    html = kb.get("odd-characters").html()
    assert "*star*" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "[brackets]" in html
