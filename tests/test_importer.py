"""`kb import`: help articles in three formats become valid guides with their structure."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kb.cli import main
from kb.content import guides
from kb.content.importer import import_articles
from kb.settings import Settings
from tests.conftest import FIXTURES, SEED_GUIDES
from webapp import create_app

ARTICLES = sorted((FIXTURES / "articles").iterdir())
MESSY = FIXTURES / "articles-messy"
TODAY = dt.date(2026, 11, 26)


def imported(tmp_path: Path, *paths: Path):
    done, failed = import_articles(list(paths), tmp_path / "out", today=TODAY)
    return done, failed, guides.load(tmp_path / "out")


def page_of(tmp_path: Path, slug: str) -> str:
    """The help-center page of a guide `imported` wrote."""
    settings = Settings(guides=tmp_path / "out", data=tmp_path / "data", secret_key="test")
    client = create_app(settings, testing=True).test_client()
    return client.get(f"/guides/{slug}").get_data(as_text=True)


@pytest.mark.parametrize("folder", ["articles", "articles-messy", "articles-wide",
                                    "articles-tools"])
def test_every_fixture_article_imports_into_a_valid_guide(tmp_path, folder):
    articles = sorted((FIXTURES / folder).iterdir())
    done, failed, kb = imported(tmp_path, *articles)
    assert failed == []
    assert len(done) == len(articles) == len(kb)
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


COPIED_PAGE = """How to change your billing address
Updated 3 months ago
Follow

Updated invoices show the new address. Only the account owner can change it.

1. Go to Settings > Billing.
2. Click Edit next to Billing address.

Was this article helpful?
Yes No
2 out of 3 found this helpful

Have more questions? Submit a request

Related articles
Download an invoice
Change your payment method
"""


def test_plain_text_copied_from_a_page_leaves_the_sites_words_out(tmp_path):
    # Selected in the browser and saved as text: the byline, the vote and the list of
    # other articles are the old site's. Read as the article, "Yes No" was a section and
    # the guide matched questions about the pages listed. A sentence that opens like a
    # byline ("Updated invoices …") is the article's.
    source = tmp_path / "billing-address.txt"
    source.write_text(COPIED_PAGE, encoding="utf-8")
    done, _, kb = imported(tmp_path, source)
    guide = kb.get(done[0].slug)
    for chrome in ("3 months ago", "Follow", "helpful", "Yes No", "Submit a request",
                   "Related articles", "Download an invoice", "payment method"):
        assert chrome not in guide.body
    assert guide.headings == []
    assert guide.body.strip().startswith("Updated invoices show the new address.")
    assert "2. Click Edit next to Billing address." in guide.body
    assert ("Left out of the copied page, as the site's words around the article: its "
            "byline, the old site's vote and the list of other pages under “Related "
            "articles”.") in done[0].notes


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


def test_bad_files_are_named_with_the_reason_and_the_exit_code_says_so(tmp_path, capsys):
    binary = tmp_path / "screenshot.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    russian = tmp_path / "vacation-ru.txt"
    russian.write_bytes("Автоответчик на время отпуска\nОткройте настройки почты и включите "
                        "автоответчик.\n".encode("koi8_r"))
    empty = tmp_path / "blank.md"
    empty.write_text("  \n\n")
    french = tmp_path / "alias-fr.txt"  # Windows-1252 is still read, accents and all
    french.write_bytes("Créer un alias\nUn alias reçoit les messages à la même boîte.\n"
                       .encode("cp1252"))
    utf16 = tmp_path / "signature.txt"  # so is UTF-16 with its byte-order mark
    utf16.write_text("Add a signature\nOpen the settings and write your signature.\n",
                     encoding="utf-16")
    mixed = tmp_path / "alias-fr-edited.txt"  # UTF-8, then one line saved as Windows-1252
    mixed.write_bytes("Créer un alias\nÉtape 1\n".encode() + "Étape 2\n".encode("cp1252"))
    target = tmp_path / "out"
    code = main(["import", str(binary), str(russian), str(empty), str(french), str(utf16),
                 str(mixed), "--to", str(target)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [f"{french} -> {target}/creer-un-alias.md",
                                f"{utf16} -> {target}/add-a-signature.md"]
    assert f"{binary} was not imported: it is a binary file" in err
    assert f"{russian} was not imported: its text is in an encoding other than UTF-8" in err
    assert f"{empty} was not imported: the file is empty." in err
    assert (f"{mixed} was not imported: line 3 has a byte (0xC9) that is not UTF-8, unlike "
            "the rest of the text; save it as UTF-8 and import it again.") in err
    assert "Imported 2 of 6 articles" in err and "4 could not be imported" in err
    assert "reçoit" in (target / "creer-un-alias.md").read_text(encoding="utf-8")
    assert ".tmp" not in err and not list(target.glob(".*"))


def test_a_heading_followed_by_a_sub_heading_is_its_parent(tmp_path):
    _, failed, kb = imported(tmp_path, MESSY / "auto-reply-mail.txt")
    assert failed == [] and kb.problems == []
    guide = kb.get("set-up-an-automatic-reply-in-mail")
    assert [(h.level, h.title) for h in guide.headings] == [
        (2, "Activate the auto-reply from the web app"), (3, "Prerequisites"), (3, "Steps"),
        (2, "Activate the auto-reply from the mobile app"), (3, "Prerequisites"),
        (3, "Steps"), (2, "How often the auto-reply is sent")]
    # The steps are real numbered lists a reader (and the procedure compiler) can follow.
    assert "1. Open the Mail web app and log in." in guide.body


def test_table_lines_become_a_table_and_ragged_ones_stay_text(tmp_path):
    _, failed, kb = imported(tmp_path, MESSY / "auto-reply-mail.txt", MESSY / "storage-quota.txt")
    assert failed == []
    html = kb.get("set-up-an-automatic-reply-in-mail").html()
    assert "<th>Offer</th>" in html and "<td>Standard</td>\n<td>60</td>" in html
    assert all("|" not in h.title for g in kb for h in g.headings)
    storage = kb.get("see-what-takes-up-space-free-some-of-it")
    # A sentence that happens to hold a "|" is not a row; the plan lines are.
    assert "<p>The storage depends on the offer | it can be changed at any time.</p>" in \
        storage.html()
    assert "<td>Team</td>\n<td>3 TB</td>\n<td>per user</td>" in storage.html()


def test_columns_separated_by_tabs_are_a_table_too(tmp_path):
    article = tmp_path / "ports.txt"
    article.write_text("Mail server ports\nUse these ports in your mail app.\n"
                       "Protocol\tPort\tSecurity\nIMAP\t993\tSSL/TLS\nSMTP\t465\tSSL/TLS\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == [] and kb.get("mail-server-ports").headings == []
    assert "<th>Protocol</th>" in kb.get("mail-server-ports").html()
    assert "<td>SMTP</td>\n<td>465</td>" in kb.get("mail-server-ports").html()


def test_html_cells_spanning_rows_or_columns_keep_each_value_under_its_heading(tmp_path):
    # Markdown tables have no spans: a row left a cell short put "5" under "Plan".
    article = tmp_path / "plans.html"
    article.write_text("<html><body><h1>Plans and prices</h1><p>What each plan costs.</p>"
                       "<table><tr><th colspan='2'>Plan</th><th>Price</th></tr>"
                       "<tr><td rowspan='2'>Pro</td><td>Web</td><td>10</td></tr>"
                       "<tr><td>Mail</td><td>5</td></tr></table></body></html>")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    html = kb.get("plans-and-prices").html()
    assert "<th>Plan</th>\n<th></th>\n<th>Price</th>" in html
    assert "<td>Pro</td>\n<td>Web</td>\n<td>10</td>" in html
    assert "<td>Pro</td>\n<td>Mail</td>\n<td>5</td>" in html


def test_questions_and_answers_become_sections_headed_by_the_question(tmp_path):
    # An FAQ written "Q: … A: …": each question heads the section of its answer, so the
    # guide has a table of contents and search quotes the answer under its question.
    article = tmp_path / "faq.txt"
    article.write_text("Frequently asked questions about invoices\n\n"
                       "Q: Where do I find my invoices?\n"
                       "A: In the Manager, open Billing, then Invoices.\n\n"
                       "Q: Can I change the address on an invoice?\n"
                       "A: Yes, as long as it is not paid: open it and choose Edit address.\n")
    done, failed, kb = imported(tmp_path, article)
    assert failed == []
    guide = kb.get("frequently-asked-questions-about-invoices")
    assert [h.title for h in guide.headings] == ["Where do I find my invoices?",
                                                 "Can I change the address on an invoice?"]
    assert "Q:" not in guide.body and "A:" not in guide.body
    # No introduction: the summary is the title, not the first answer; the page then
    # says the title once.
    assert guide.meta.summary == "Frequently asked questions about invoices"
    page = page_of(tmp_path, "frequently-asked-questions-about-invoices")
    assert page.count("Frequently asked questions about invoices</") == 1
    assert any('questions of a list of questions and answers became sections' in note
               for note in done[0].notes), done[0].notes


def test_plain_text_steps_with_a_dash_and_questions_on_lines_of_their_own(tmp_path):
    # "Step 1 - Go to …" is short like a heading, but a step; an FAQ of plain question
    # lines, each with its answer under it, is sections headed by the question.
    article = tmp_path / "cancel.txt"
    article.write_text("Cancel your subscription\n\n"
                       "Step 1 - Go to Settings > Billing\n"
                       "Step 2 - Click Cancel subscription\n"
                       "Step 3 - Tell us why you are leaving and confirm\n\n"
                       "Your plan stays active until the end of the paid period.\n\n"
                       "FAQ\n\nCan I get a refund?\n"
                       "Refunds are possible within 14 days of a payment.\n\n"
                       "Will I lose my data?\nYour data is kept for 30 days.\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    guide = kb.get("cancel-your-subscription")
    assert [(h.title, h.level) for h in guide.headings] == [
        ("FAQ", 2), ("Can I get a refund?", 3), ("Will I lose my data?", 3)]
    assert "1. Go to Settings \\> Billing\n2. Click Cancel subscription\n3. Tell us" in \
        guide.body
    # One question alone is a sentence of the text, not a section.
    single = tmp_path / "one.txt"
    single.write_text("Renew a domain\n\nWhy renew early?\nA domain renewed late may be "
                      "taken by someone else.\n")
    _, failed, kb = imported(tmp_path, single)
    assert failed == [] and kb.get("renew-a-domain").headings == []


def _headings_of_text(tmp_path: Path, text: str) -> list[str]:
    """The headings of the guide imported from a plain-text article."""
    tmp_path.mkdir()
    article = tmp_path / "article.txt"
    article.write_text(text)
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    (guide,) = list(kb)
    return [h.title for h in guide.headings]


def test_a_question_alone_between_headings_is_a_heading_too(tmp_path):
    # An article whose headings are short lines writes one of them as a question: it
    # heads the paragraphs under it, as the others do.
    assert _headings_of_text(tmp_path / "alone", (
        "Students who leave\n\n"
        "When a student leaves, you can archive or delete the account.\n\n"
        "Archive or delete?\n\n"
        "Archiving keeps the grades, but deleting removes them.\n\n"
        "Deleting is final after 30 days.\n\n"
        "How to delete an account\n\n"
        "1. Open People.\n2. Click Delete.\n")) == ["Archive or delete?",
                                                    "How to delete an account"]
    # A question in running text, with no blank line after it, stays a sentence.
    assert _headings_of_text(tmp_path / "inline", (
        "Renew a domain\n\nWhen to renew\n\nWhy renew early?\nA domain renewed late "
        "may be taken by someone else.\n")) == ["When to renew"]


def test_a_summary_taken_from_the_opening_sentence_is_not_said_twice(tmp_path):
    # An imported article's summary is its first sentence: the page says it once, in the
    # body, instead of as a lead and again right below it.
    article = tmp_path / "quota.txt"
    article.write_text("Mailbox size limits\n\nEach mailbox has a storage quota set by "
                       "your plan.\n\nWhen a mailbox is full, new messages are refused.\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    assert kb.get("mailbox-size-limits").meta.summary == ("Each mailbox has a storage "
                                                          "quota set by your plan.")
    page = page_of(tmp_path, "mailbox-size-limits")
    assert page.count("Each mailbox has a storage quota set by your plan.") == 1


def test_a_long_first_line_gives_a_short_title_and_says_so(tmp_path, capsys):
    source = MESSY / "storage-quota.txt"
    code = main(["import", str(source), str(MESSY / "webmail-forwarding.html"),
                 "--to", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 0
    kb = guides.load(tmp_path / "out")
    titles = sorted(g.title for g in kb)
    assert titles == ["Forward all the messages of a mailbox to another address",
                      "See what takes up space, free some of it"]
    storage = kb.get("see-what-takes-up-space-free-some-of-it")
    first_line = source.read_text().splitlines()[0]
    assert storage.body.lstrip().startswith(first_line), "the sentence is kept, not lost"
    assert (f"{source}: The title was too long, so it is now “See what takes up space, "
            "free some of it” and the full text opens the guide.") in err


def test_markdown_and_html_headings_keep_levels_and_empty_ones_merge(tmp_path):
    _, failed, kb = imported(tmp_path, MESSY / "mail-filters.md", MESSY / "webmail-forwarding.html")
    assert failed == [] and kb.problems == []
    filters = kb.get("sort-incoming-messages-automatically-with-filters")
    assert [(h.level, h.title) for h in filters.headings] == [
        (2, "Create a filter"), (3, "Prerequisites"), (3, "In the web app"),
        (4, "Conditions you can combine"), (2, "Import filters from another provider"),
        (3, "Sieve scripts")]
    assert filters.body.rstrip().endswith("Troubleshooting"), "a bare heading stays as text"
    forwarding = kb.get("forward-all-the-messages-of-a-mailbox-to-another-address")
    assert [(h.level, h.title) for h in forwarding.headings] == [
        (2, "Forward your messages"), (3, "From the Mail web app"), (3, "From the Manager"),
        (2, "Limits")]
    assert "<td>Premium</td>\n<td>10</td>" in forwarding.html()


def test_messages_name_the_guide_file_never_a_temporary_one(tmp_path):
    article = MESSY / "auto-reply-mail.txt"
    imported(tmp_path, article)
    done, failed = import_articles([article], tmp_path / "out", today=TODAY)
    assert done == []
    [failure] = failed
    assert failure.label == str(article)
    assert failure.reason.startswith("it would replace ")
    assert failure.reason.endswith("out/set-up-an-automatic-reply-in-mail.md (use --force to "
                                   "replace it)")


def test_an_articles_own_front_matter_is_kept_when_valid_and_replaced_when_not(tmp_path):
    article = tmp_path / "router.md"
    article.write_text("---\ntitle: Restart the router\nupdated: last week\nauthor: Sam\n"
                       "tags: [router, wifi]\n---\nUnplug it for ten seconds.\n")
    done, failed, kb = imported(tmp_path, article)
    assert failed == []
    notes = done[0].notes
    guide = kb.get("restart-the-router")
    assert guide.meta.tags == ("router", "wifi") and guide.meta.updated == TODAY
    # A guide from another knowledge base keeps its slug.
    shutil.copy(SEED_GUIDES / "manager-product-tags.md", tmp_path / "tags.md")
    done, failed = import_articles([tmp_path / "tags.md"], tmp_path / "out", today=TODAY)
    assert failed == [] and done[0].slug == "manager-product-tags"
    assert any("“updated” was not valid" in note for note in notes)
    assert any("“author” is not a guide key" in note for note in notes)


def test_markdown_in_plain_text_stays_literal(tmp_path):
    article = tmp_path / "odd.txt"
    article.write_text("Odd characters\nUse the *star* key and <b>bold</b> [brackets].\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    html = kb.get("odd-characters").html()
    assert "*star*" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "[brackets]" in html


def test_numbers_in_plain_text_show_as_written(tmp_path):
    # A price in a table cell or a sentence that opens with a number is no numbered
    # list: it reads as it was typed, without a stray backslash.
    article = tmp_path / "plans.txt"
    article.write_text("Hosting plans\nPlan | Storage | Price\nStarter | 10 GB | 5.00\n"
                       "Pro | 250 GB | 12.50\n\n2.5 GB of it holds the system files.\n\n"
                       "1. Then the plan renews.\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    html = kb.get("hosting-plans").html()
    assert "<td>5.00</td>" in html and "<td>12.50</td>" in html
    assert "<p>2.5 GB of it holds the system files.</p>" in html
    assert "\\" not in html


def test_a_folder_of_articles_imports_with_its_sub_folders_as_categories(tmp_path, capsys):
    source = tmp_path / "help-center"
    for folder, article in [("Email", MESSY / "auto-reply-mail.txt"),
                            ("Email", MESSY / "mail-filters.md"),
                            ("kDrive", MESSY / "storage-quota.txt"),
                            (".trash", MESSY / "webmail-forwarding.html"), ("", ARTICLES[0])]:
        (source / folder).mkdir(parents=True, exist_ok=True)
        (source / folder / article.name).write_bytes(article.read_bytes())
    (source / "kDrive" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    target = tmp_path / "guides"
    code = main(["import", str(source), "--to", str(target), "--by-category"])
    out, _ = capsys.readouterr()
    assert code == 0 and len(out.splitlines()) == 4
    kb = guides.load(target)
    assert kb.problems == []
    assert {g.slug: (g.path.parent.name, g.meta.category) for g in kb} == {
        "set-up-an-automatic-reply-in-mail": ("email", "Email"),
        "sort-incoming-messages-automatically-with-filters": ("email", "Email"),
        "see-what-takes-up-space-free-some-of-it": ("kdrive", "kDrive"),
        "add-a-user-to-your-organization-and-set-their-rights": ("general", "General"),
    }


def test_links_between_imported_files_become_links_between_their_guides(tmp_path):
    source = tmp_path / "docs"
    (source / "billing").mkdir(parents=True)
    (source / "billing" / "refunds.md").write_text(
        "# Ask for a refund\n\nRefunds are possible within 30 days.\n\n## How long it takes\n\n"
        "A refund arrives within five working days. To pay again later, see "
        "[payment methods](../payment.html#add-a-card \"Payment methods\").\n")
    (source / "payment.html").write_text(
        "<html><body><h1>Change the payment method</h1><p>Cards and transfers.</p>"
        "<h2>Add a card</h2><p>Open Billing. Refunds: <a href='billing/refunds.md#how-long-it-"
        "takes'>how long</a>. Old help: <a href='faq/old.html'>the FAQ</a>. Guide: "
        "<a href='existing-guide.md'>existing</a>. Site: <a href='https://example.com/x'>"
        "here</a>.</p></body></html>")
    target = tmp_path / "guides"
    target.mkdir()
    seed = (SEED_GUIDES / "payment-vs-ownership.md").read_text()
    (target / "existing-guide.md").write_text(seed.replace("payment-vs-ownership",
                                                           "existing-guide"))
    done, failed = import_articles([source], target, today=TODAY)
    assert failed == []
    kb = guides.load(target)
    assert kb.problems == []
    refund = kb.get("ask-for-a-refund").body
    assert '[payment methods](change-the-payment-method.md#add-a-card "Payment methods")' \
        in refund
    payment = kb.get("change-the-payment-method").body
    assert "[how long](ask-for-a-refund.md#how-long-it-takes)" in payment
    assert "[existing](existing-guide.md)" in payment
    assert "[here](https://example.com/x)" in payment
    assert "Old help: the FAQ." in payment, "a link to a page not imported keeps its words"
    notes = {item.slug: item.notes for item in done}
    assert any("One link leads to a page that is not part of this import" in n
               for n in notes["change-the-payment-method"])


def test_underlined_headings_and_separator_lines_in_plain_text(tmp_path):
    article = tmp_path / "reset.txt"
    article.write_text("Reset your password\n===================\n\n"
                       "If you forgot it, ask for a link by email.\n\n"
                       "What you need\n-------------\nAccess to your login email address\n\n"
                       "Steps\n-----\n1. Open the login page.\n2. Click Forgot password.\n\n"
                       "**********\n\nStill stuck? Write to us.\n")
    _, failed, kb = imported(tmp_path, article)
    assert failed == []
    guide = kb.get("reset-your-password")
    assert [(h.level, h.title) for h in guide.headings] == [(2, "What you need"), (2, "Steps")]
    assert "===" not in guide.body and "---" not in guide.body and "\\*\\*" not in guide.body
    assert guide.body.rstrip().endswith("Still stuck? Write to us.")


def test_a_text_file_holding_html_or_markdown_is_read_as_such(tmp_path):
    fragment = tmp_path / "fragment.txt"
    fragment.write_text("<h1>Empty the trash</h1><p>Files in the trash count towards your "
                        "quota.</p><h2>Empty it</h2><ol><li>Open the trash.</li></ol>")
    markdown = tmp_path / "notes.txt"
    markdown.write_text("# Restore a file\n\nDeleted files stay 30 days.\n\n## Restore it\n\n"
                        "1. Open the **trash**.\n2. Click Restore.\n")
    _, failed, kb = imported(tmp_path, fragment, markdown)
    assert failed == [] and kb.problems == []
    assert [h.title for h in kb.get("empty-the-trash").headings] == ["Empty it"]
    restore = kb.get("restore-a-file")
    assert [h.title for h in restore.headings] == ["Restore it"]
    assert "<strong>trash</strong>" in restore.html()


def test_titles_and_headings_in_capitals_read_in_sentence_case(tmp_path):
    # Capitals read as shouting on the page and in a chat reply's "(From …)"; a capital
    # line is a heading, even a question; words keep the capitals the text gives them.
    article = tmp_path / "plans.txt"
    article.write_text(
        "STORAGE PLANS AND PRICES\n\n"
        "Every workspace starts on the Free plan with 5 GB of storage.\n\n"
        "PLANS ON KSUITE\n"
        "- Team: 100 GB, CHF 8 per member per month, on kSuite\n\n"
        "HOW TO UPGRADE\n"
        "1. Open Billing, choose a plan and click Upgrade, or upgrade later.\n\n"
        "WHAT HAPPENS WHEN I RUN OUT OF SPACE?\n"
        "Uploads stop until you free up space. Existing files stay available.\n")
    done, failed, kb = imported(tmp_path, article)
    assert failed == []
    guide = kb.get(done[0].slug)
    assert guide.title == "Storage plans and prices"
    assert [h.title for h in guide.headings] == [
        "Plans on kSuite", "How to upgrade", "What happens when I run out of space?"]
    assert "5 GB" in guide.body and "CHF 8" in guide.body
    assert "The title and 3 headings, written in capitals, are now in sentence case." \
        in done[0].notes
    page = page_of(tmp_path, done[0].slug)
    assert "STORAGE" not in page and "RUN OUT" not in page


def test_a_greeting_is_no_summary_on_its_own(tmp_path):
    # The home page lists each guide with its summary: "Welcome to Kayako!" alone says
    # nothing of what the guide covers.
    source = tmp_path / "first-trip.txt"
    source.write_text("Your first kayak trip\n\nWelcome to Kayako! This guide walks you "
                      "through signing up, paying and taking your first trip. Most people "
                      "are on the water in ten minutes.\n\nSign up\n\n1. Download the app.\n",
                      encoding="utf-8")
    teaser = tmp_path / "pause.txt"
    teaser.write_text("Pause your season pass\n\nGoing abroad or just not paddling much "
                      "this autumn? You can pause your season pass for up to three months. "
                      "Here is how.\n\nPause it\n\n1. Open Passes.\n", encoding="utf-8")
    _, _, kb = imported(tmp_path, source, teaser)
    guide = kb.get("your-first-kayak-trip")
    assert guide.meta.summary == ("Welcome to Kayako! This guide walks you through signing "
                                  "up, paying and taking your first trip.")
    # The reader's own question, as the article opens, is no summary either.
    assert kb.get("pause-your-season-pass").meta.summary == (
        "Going abroad or just not paddling much this autumn? You can pause your season "
        "pass for up to three months.")
