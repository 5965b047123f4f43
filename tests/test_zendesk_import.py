"""`kb import` of a Zendesk Help Center export: one guide per article, categories and
links carried over, broken entries listed, and the result searchable like any guide."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from kb.cli import main
from kb.cli.content import collect_problems
from kb.content import guides
from kb.content.importer import import_articles
from kb.context import Context
from kb.settings import Settings
from tests.conftest import FIXTURES, SEED_GUIDES

EXPORT = FIXTURES / "zendesk" / "help-center-export.json"
TODAY = dt.date(2026, 11, 26)
OLD_SITE = "https://support.cloudpeak.example"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    target = tmp_path_factory.mktemp("zendesk") / "guides"
    done, failed = import_articles([EXPORT], target, today=TODAY)
    return target, done, failed, guides.load(target)


def test_every_complete_article_becomes_a_guide_that_loads(result):
    _, done, failed, kb = result
    assert kb.problems == []
    assert len(done) == len(kb) == 12
    assert {g.slug for g in kb} >= {"download-an-invoice", "pay-an-invoice-by-bank-transfer",
                                     "set-up-your-mailbox-on-an-iphone", "register-a-domain-name"}
    skipped = {f.label.split(": ", 1)[1]: (f.reason, f.deliberate) for f in failed}
    assert skipped == {
        "article 4403380671212 “Refund policy (draft for 2025)”":
            ("it is a draft (use --drafts to import drafts too)", True),
        "article 4403380671213 “Close your account”": ("it has no body text", False),
        "entry 15": ("it is not an article object", False),
    }


def test_sections_lead_to_category_names_labels_to_tags(result):
    _, done, _, kb = result
    invoice = kb.get("download-an-invoice")
    assert invoice.meta.category == "Billing & Payments"
    assert invoice.meta.tags == ("invoice", "pdf", "billing")
    assert invoice.meta.updated == dt.date(2024, 2, 12) and invoice.meta.language == "en-US"
    assert kb.get("add-an-alias-to-a-mailbox").meta.language == "en-GB"
    assert kb.get("create-a-mailbox").meta.category == "Email"
    # An article whose section is not in the export keeps the default, and says so.
    assert kb.get("point-your-domain-to-another-host").meta.category == "General"
    notes = {item.slug: item.notes for item in done}
    assert any("section (360004299999) is not in the export" in n
               for n in notes["point-your-domain-to-another-host"])


def test_links_between_articles_become_links_between_guides(result):
    _, _, _, kb = result
    # Absolute html_url, a bare /hc/... path, a link with a Zendesk anchor: all guides now.
    assert "](send-invoices-to-another-email-address.md)" in kb.get("download-an-invoice").body
    assert "](change-your-payment-method.md)" in kb.get("pay-an-invoice-by-bank-transfer").body
    assert "](reset-a-mailbox-password.md)" in kb.get("set-up-your-mailbox-on-an-iphone").body
    assert "](set-up-your-mailbox-on-an-iphone.md)" in kb.get("create-a-mailbox").body
    html = kb.get("download-an-invoice").html()
    assert 'href="/guides/send-invoices-to-another-email-address"' in html
    # A link to an article that is not in the export still reaches the old help center.
    assert f"]({OLD_SITE}/hc/en-us/articles/4403380679999-Why-was-my-card-refused)" in \
        kb.get("change-your-payment-method").body


def test_tables_and_notes_survive(result):
    _, _, _, kb = result
    html = kb.get("register-a-domain-name").html()
    assert "<th>Extension</th>" in html and "<td>.com</td>\n<td>9.90</td>" in html
    assert "> **Attention:** mail apps signed in" in kb.get("reset-a-mailbox-password").body


def test_a_long_title_is_shortened_and_kept_as_the_opening(result):
    _, _, _, kb = result
    guide = kb.get("why-pay-yearly-instead-of-monthly")
    assert guide.title == "Why pay yearly instead of monthly"
    assert guide.body.lstrip().startswith("Why pay yearly instead of monthly? Yearly billing")


def test_by_category_writes_a_folder_per_category_and_drafts_on_request(tmp_path, capsys):
    target = tmp_path / "guides"
    code = main(["import", str(EXPORT), "--to", str(target), "--by-category", "--drafts"])
    out, err = capsys.readouterr()
    assert code == 1, "the broken entries are a failure"
    assert (target / "billing-payments" / "download-an-invoice.md").is_file()
    assert (target / "email" / "create-a-mailbox.md").is_file()
    assert (target / "billing-payments" / "_category.yaml").read_text() == \
        "name: Billing & Payments\n"
    assert (target / "billing-payments" / "refund-policy-draft-for-2025.md").is_file()
    assert len(out.splitlines()) == 13
    assert out.splitlines()[0] == (f"{EXPORT}: article 4403380671201 “Download an invoice” -> "
                                   f"{target}/billing-payments/download-an-invoice.md")
    assert (f"{EXPORT}: article 4403380671213 “Close your account” was not imported: it has "
            "no body text.") in err
    kb = guides.load(target)
    assert kb.problems == [] and len(kb) == 13


@pytest.mark.parametrize(("data", "reason"), [
    ("{\"articles\": [", "it is not valid JSON (line 1: Expecting value)"),
    ("{\"users\": []}", "it is not a Zendesk Help Center export: it has no \"articles\" list"),
])
def test_a_file_that_is_no_export_is_named_with_the_reason(tmp_path, data, reason):
    export = tmp_path / "export.json"
    export.write_text(data)
    done, failed = import_articles([export], tmp_path / "out", today=TODAY)
    assert done == [] and [(f.source, f.reason) for f in failed] == [(export, reason)]


def test_missing_fields_import_what_can_be(tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"articles": [
        {"title": "Renew a certificate", "body": "<p>Certificates renew by themselves.</p>"},
        {"id": 7, "body": "<p>No title here.</p>"},
        {"id": 8, "title": "Odd locale", "body": "<p>Text.</p>", "locale": "klingon",
         "updated_at": "someday", "label_names": ["ok", 42]},
    ]}))
    done, failed = import_articles([export], tmp_path / "out", today=TODAY)
    assert [d.slug for d in done] == ["renew-a-certificate", "odd-locale"]
    assert [(f.label, f.reason) for f in failed] == [(f"{export}: article 7", "it has no title")]
    kb = guides.load(tmp_path / "out")
    odd = kb.get("odd-locale")
    assert odd.meta.language == "en" and odd.meta.updated == TODAY and odd.meta.tags == ("ok",)
    assert len(done[1].notes) == 3


def test_the_apis_answer_for_a_single_article_imports_too(tmp_path):
    one = json.loads(EXPORT.read_text())["articles"][0]
    (tmp_path / "article.json").write_text(json.dumps({"article": one}))
    done, failed = import_articles([tmp_path / "article.json"], tmp_path / "out", today=TODAY)
    assert failed == [] and [d.slug for d in done] == ["download-an-invoice"]


def test_imported_guides_are_found_by_search_beside_the_seed_guides(tmp_path):
    folder = tmp_path / "guides"
    shutil.copytree(SEED_GUIDES, folder)
    code = main(["import", str(EXPORT), str(FIXTURES / "articles-messy" / "auto-reply-mail.txt"),
                 "--to", str(folder / "help-center"), "--by-category"])
    assert code == 1  # the export's broken entries
    context = Context(Settings(guides=folder, data=tmp_path / "data"))
    search = context.search
    cases = {
        "can i pay by bank transfer, what is the iban": "pay-an-invoice-by-bank-transfer",
        "iphone imap server settings": "set-up-your-mailbox-on-an-iphone",
        "out of office reply from my phone": "set-up-an-automatic-reply-in-mail",
        "how much does a .ch domain cost": "register-a-domain-name",
        "send my invoices to my accountant": "send-invoices-to-another-email-address",
    }
    for query, slug in cases.items():
        response = search.search(query)
        assert response.results and response.results[0].slug == slug, query
    categories = context.catalog.categories()
    assert {"Billing & Payments", "Email", "Domains & DNS"} <= set(categories)
    # And `kb check` finds nothing wrong with them, their procedures included.
    count, problems = collect_problems(context)
    assert problems == [] and count == 10 + 12 + 1


def test_pages_sections_and_categories_may_come_in_separate_files(tmp_path):
    # The API lists articles page by page, and sections and categories at their own
    # endpoints: an import of those files links and files the articles as one export.
    data = json.loads(EXPORT.read_text())
    articles = [a for a in data["articles"] if isinstance(a, dict) and a.get("body")]
    files = {"articles-page-1.json": {"articles": articles[:6], "next_page": "..."},
             "articles-page-2.json": {"articles": articles[6:]},
             "sections.json": {"sections": data["sections"]},
             "categories.json": {"categories": data["categories"]}}
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
    done, failed = import_articles([tmp_path / name for name in files], tmp_path / "out",
                                   today=TODAY)
    assert [f.reason for f in failed] == ["it is a draft (use --drafts to import drafts too)"]
    kb = guides.load(tmp_path / "out")
    assert kb.problems == [] and len(kb) == len(done) == 12
    assert kb.get("register-a-domain-name").meta.category == "Domains & DNS"
    # Page 1 links to an article of page 2.
    assert "](set-up-your-mailbox-on-an-iphone.md)" in kb.get("create-a-mailbox").body


def test_a_draft_left_out_is_said_but_is_no_failure(tmp_path, capsys):
    export = tmp_path / "export.json"
    articles = json.loads(EXPORT.read_text())["articles"]
    export.write_text(json.dumps({"articles": [articles[5], articles[11]]}))
    code = main(["import", str(export), "--to", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 0
    assert (f"{export}: article 4403380671212 “Refund policy (draft for 2025)” was skipped: "
            "it is a draft (use --drafts to import drafts too).") in err
    assert "Imported 1 of 2 articles into" in err and "1 skipped on purpose." in err


def test_note_boxes_and_titles_in_capitals_are_tidied_as_for_any_article(tmp_path):
    # A Zendesk theme marks notes by class, and some teams title in capitals: the guide
    # reads as one written for this help center.
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"articles": [{
        "id": 9, "title": "RESET YOUR API KEY", "locale": "en-us",
        "body": '<p>Keys can be reset by an owner.</p>'
                '<div class="callout callout--warning"><p>Old keys stop working at '
                'once.</p></div><h2>STEPS</h2><ol><li>Open API settings.</li></ol>'}]}))
    done, failed = import_articles([export], tmp_path / "out", today=TODAY)
    assert failed == []
    guide = guides.load(tmp_path / "out").get(done[0].slug)
    assert guide.title == "Reset your API key"
    assert [h.title for h in guide.headings] == ["Steps"]
    assert "> **Warning:** Old keys stop working at once." in guide.body
