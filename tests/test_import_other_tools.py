"""`kb import` of articles as other tools write them: Markdown of documentation sites
(Docusaurus, MkDocs, Hugo, GitHub, GitBook), whose extensions become guide Markdown and
never stray text on the page, and help-desk HTML (Intercom), whose opening states a fact
rather than what the article is about."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from kb.content import guides
from kb.content.dialects import plain_markdown
from kb.content.importer import import_articles
from kb.context import Context
from kb.settings import Settings
from procedures.compiler import compile_guide
from tests.conftest import FIXTURES, SEED_GUIDES
from webapp import create_app

TOOLS = FIXTURES / "articles-tools"
TODAY = dt.date(2026, 11, 28)


def imported(tmp_path: Path, name: str):
    done, failed = import_articles([TOOLS / name], tmp_path / "out", today=TODAY)
    assert failed == []
    kb = guides.load(tmp_path / "out")
    assert kb.problems == []
    return done[0], kb.get(done[0].slug)


def imported_page(tmp_path: Path, name: str, html: str):
    """An HTML page written here, imported alone: its import item and its guide."""
    page = tmp_path / name
    page.write_text(html, encoding="utf-8")
    done, failed = import_articles([page], tmp_path / "out", today=TODAY)
    assert failed == []
    return done[0], guides.load(tmp_path / "out").get(done[0].slug)


def page_text(tmp_path: Path, slug: str) -> str:
    """The words a reader sees on the guide's page (tags removed)."""
    settings = Settings(guides=tmp_path / "out", data=tmp_path / "data", secret_key="test")
    html = create_app(settings, testing=True).test_client().get(f"/guides/{slug}").get_data(
        as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_a_docusaurus_page_reads_as_a_guide(tmp_path):
    item, guide = imported(tmp_path, "export-workspace-data.md")
    # The title heading that repeats the front matter's title is not a section of its own.
    assert guide.title == "Export your workspace data"
    assert [h.title for h in guide.headings] == [
        "Request an export", "What is in the archive", "FAQ", "How often can I export?",
        "Can I export a single project?"]
    # The MDX import is code, not the summary; the admonition and the GitHub alert are
    # callouts a reader and the compiler know.
    assert guide.meta.summary == "You can download everything in your workspace as a ZIP archive."
    assert "> **Note:** Exports include files, comments and the member list" in guide.body
    assert "> **Important:** Only workspace owners can request an export." in guide.body
    text = page_text(tmp_path, guide.slug)
    for stray in (":::", "[!IMPORTANT]", "import Tabs", "@theme"):
        assert stray not in text
    assert "Note: Exports include files" in text
    assert any("2 admonitions" in note for note in item.notes), item.notes
    assert any("MDX" in note for note in item.notes), item.notes


def test_hugo_and_mkdocs_front_matter_and_admonitions(tmp_path):
    item, guide = imported(tmp_path, "connect-a-custom-domain.md")
    # Other tools' keys are taken as the guide's, and said so.
    assert guide.meta.summary == "Point your own domain at your site in three DNS records."
    assert guide.meta.category == "Domains"
    assert guide.meta.tags == ("domain", "dns", "cname")
    assert guide.meta.updated == dt.date(2025, 4, 2)
    assert any("“description” was taken as the guide's “summary”" in n for n in item.notes)
    # The MkDocs warning keeps its title and both its paragraphs; the heading id goes.
    assert guide.body.lstrip().startswith("> **Warning:** **Propagation.** DNS changes can "
                                         "take up to 48 hours")
    assert "> During that time some visitors still see the old site." in guide.body
    # A component's tab label names the case its text is for: a sub-section.
    assert [(h.title, h.level) for h in guide.headings] == [("Add the records", 2),
                                                             ("Cloudflare", 3)]
    assert "{#records}" not in guide.body
    assert "> **Info:** Registrars that do not allow a CNAME" in guide.body
    # The component's tags go.
    assert "<TabItem" not in guide.body
    text = page_text(tmp_path, guide.slug)
    assert "{% hint" not in text and "!!!" not in text and "<Tabs>" not in guide.body


def test_fenced_code_is_left_exactly_as_written():
    body = "Intro.\n\n```yaml\n:::note\nimport x from 'y'\n:::\n```\n\n:::tip\nA tip.\n:::\n"
    out, notes = plain_markdown(body)
    assert "```yaml\n:::note\nimport x from 'y'\n:::\n```" in out
    assert "> **Tip:** A tip." in out
    assert notes == ["One admonition of another documentation tool became a callout "
                     "(“> **Note:** …”)."]


def test_document360_callouts_become_callouts():
    # Document360 writes the kind and the title in brackets, the title often empty.
    out, notes = plain_markdown(":::(Warning) (Before you start)\nYou are signed out.\n:::\n"
                                "\nText.\n\n:::(Info) ()\nThe link expires in a day.\n:::\n")
    assert "> **Warning:** **Before you start.** You are signed out." in out
    assert "> **Info:** The link expires in a day." in out
    assert ":::" not in out
    assert notes == ["2 admonitions of another documentation tool became callouts "
                     "(“> **Note:** …”)."]


def test_an_unknown_kind_or_a_lone_fence_stays_text():
    # `:::` of a kind no tool uses for notes, and text that merely contains the marks,
    # are the author's words.
    body = ":::spoiler\nhidden\n:::\n\nUse `!!! note` in MkDocs.\n"
    out, notes = plain_markdown(body)
    assert out == body.rstrip("\n") and notes == []


def test_note_boxes_marked_only_by_their_class_become_callouts(tmp_path):
    # Help desks and wikis mark notes by a class; an <aside> note is not page chrome.
    article = tmp_path / "invite.html"
    article.write_text(
        '<html><body><article><h1>Invite a teammate</h1>'
        '<p>Teammates join your workspace by email invitation.</p>'
        '<div class="alert alert-warning" role="alert">Invitations expire after 7 days.</div>'
        '<aside class="callout callout--tip"><p>Invite several people at once.</p></aside>'
        '<aside class="related"><a href="/x">Related articles</a></aside>'
        '<h2>Send an invitation</h2><ol><li>Open <b>People</b>.</li></ol>'
        '<div class="note"><p><strong>Note:</strong> Guests do not count as seats.</p></div>'
        '<div class="note-list"><p>Just a list container.</p></div>'
        '<div class="confluence-information-macro confluence-information-macro-note">'
        '<span class="aui-icon"></span><div class="confluence-information-macro-body">'
        '<p>Seats are counted each night.</p></div></div>'
        '<div class="warningBox">Removing a seat cannot be undone.</div>'
        # Help Scout names its callouts by colour; Intercom's callout names no kind.
        '<div class="callout-yellow"><p>Backups run at night.</p></div>'
        '<div class="callout-green"><p>Name your backups.</p></div>'
        '<div class="intercom-interblocks-callout"><p>Plans differ.</p></div>'
        '<div class="panel"><p>Just a panel.</p></div>'
        '</article></body></html>')
    done, failed = import_articles([article], tmp_path / "out", today=TODAY)
    assert failed == []
    body = guides.load(tmp_path / "out").get(done[0].slug).body
    assert "> **Warning:** Invitations expire after 7 days." in body
    assert "> **Tip:** Invite several people at once." in body
    assert "> **Note:** Guests do not count as seats." in body  # labelled once, not twice
    assert "Related articles" not in body
    assert "\nJust a list container." in body  # a class that only contains "note"
    assert "> **Note:** Seats are counted each night." in body  # a Confluence panel
    assert "> **Warning:** Removing a seat cannot be undone." in body
    assert "> **Warning:** Backups run at night." in body
    assert "> **Tip:** Name your backups." in body
    assert "> **Note:** Plans differ." in body
    assert "\nJust a panel." in body  # a panel is no note by itself


@pytest.fixture(scope="module")
def help_center(tmp_path_factory) -> Context:
    """The seed guides with these articles imported beside them."""
    root = tmp_path_factory.mktemp("tools")
    shutil.copytree(SEED_GUIDES, root / "guides")
    done, failed = import_articles(sorted(TOOLS.iterdir()), root / "guides", today=TODAY)
    assert failed == [] and len(done) == len(list(TOOLS.iterdir()))
    return Context(Settings(guides=root / "guides", data=root / "data"))


ANSWERS = [
    # The MkDocs warning opening "Connect a custom domain" answers "how long": every
    # sentence of a note is part of the note, not the guide's opening line.
    ("how long until dns changes work", "connect-a-custom-domain",
     "DNS changes can take up to 48 hours"),
    # An Intercom article opens with who may do it, not with what it is about: that
    # sentence answers "who can", not the steps after it.
    ("who can add users to the team", "how-do-i-add-a-user-to-my-team",
     "Only team admins can add users."),
    # People search for the message they see; the article shows it as code, then says
    # what it means.
    ("what does error 4012 mean", "reset-two-factor-authentication",
     "Error 4012: reset not allowed\nThis error means your plan's daily limit is reached."),
    # "What is in the archive" heads a table: the table answers "what's in the export
    # archive", not the step that mentions the archive.
    ("what's in the export archive", "data-export",
     "Folder | Contents\nfiles/ | Every uploaded file\nmembers.csv | Names, emails and roles"),
    # Customers say "yearly", articles "annual".
    ("refund of a yearly plan", "cancel-your-subscription",
     "annual plans cancelled within 14 days are refunded in full"),
]


@pytest.mark.parametrize(("question", "slug", "said"), ANSWERS)
def test_answers_on_articles_of_other_tools(help_center, question, slug, said):
    response = help_center.search.searcher().search(question, limit=3)
    assert response.confident, question
    assert response.results[0].slug == slug
    passage = response.results[0].passage
    assert said in passage
    # The fact is what the answer opens with, not something further down.
    assert passage.index(said) < 40, passage


def test_a_message_shown_as_code_is_searched_for(help_center):
    # People type the message they see, and the article shows it as a block of code:
    # the code's words are the guide's words, and the search page's snippet holds them.
    response = help_center.search.searcher().search("error 4012", limit=3)
    assert response.confident
    assert response.results[0].slug == "reset-two-factor-authentication"
    assert "<mark>4012</mark>" in response.results[0].snippet





def test_a_note_is_drawn_calmer_than_a_warning(tmp_path):
    # The page tells a note from a warning by its label, as the compiler does.
    _, guide = imported(tmp_path, "export-workspace-data.md")
    settings = Settings(guides=tmp_path / "out", data=tmp_path / "data", secret_key="test")
    html = create_app(settings, testing=True).test_client().get(
        f"/guides/{guide.slug}").get_data(as_text=True)
    assert re.search(r'<blockquote class="callout callout-note">\s*<p><strong>Note:</strong> '
                     r"Exports include", html)
    assert re.search(r'<blockquote class="callout callout-warning">\s*<p><strong>Important:'
                     r"</strong> Only workspace owners", html)
    css = (Path(__file__).parents[1] / "webapp" / "static" / "site.css").read_text()
    assert "blockquote.callout-note" in css


def test_every_admonition_kind_becomes_a_label_the_product_knows():
    from kb.content.dialects import LABELS
    from procedures.source.callouts import callout_kind
    assert all(callout_kind(label) is not None for label in LABELS.values())



def test_a_page_saved_by_word_keeps_its_lists_and_says_its_title_once(tmp_path):
    # Word writes lists as paragraphs whose numbers hide in conditional comments, and the
    # title as a paragraph: the guide has real lists, nested as in the document.
    _, guide = imported(tmp_path, "set-up-your-printer.htm")
    assert guide.title == "Set up your printer"
    assert guide.meta.summary == ("Follow these steps to connect the office printer to your "
                                  "laptop.")
    assert "1. Open **Settings** > **Printers**.\n2. Click **Add a printer**.\n" \
           "   - On a Mac, click **+** instead.\n3. Choose *Office-2F*" in guide.body
    assert "- Check that you are on the office Wi-Fi.\n- Restart the printer." in guide.body
    assert "supportLists" not in guide.body and "endif" not in guide.body
    assert guide.body.count("Set up your printer") == 0
    steps = [s.text for s in compile_guide((tmp_path / "out" / f"{guide.slug}.md").read_text(),
                                           "x.md").steps if s.kind == "instruction"]
    assert steps[:2] == ["Open Settings > Printers.", "Click Add a printer."]


def test_an_empty_admonition_is_left_out_and_a_shouted_sentence_stays_a_sentence(tmp_path):
    out, notes = plain_markdown("!!! note\n\nText after.\n\n:::tip\n:::\n\n> [!WARNING]\n")
    assert out.strip() == "Text after."
    assert notes == ["3 empty admonitions left out."]
    article = tmp_path / "caps.txt"
    article.write_text("ALL CAPS ONLY\n\nBODY IN CAPS TOO.\n\nSECTION\nSome text.\n")
    done, failed = import_articles([article], tmp_path / "out", today=TODAY)
    assert failed == []
    guide = guides.load(tmp_path / "out").get(done[0].slug)
    assert [h.title for h in guide.headings] == ["Section"]
    assert "BODY IN CAPS TOO." in guide.body


def test_a_google_docs_export_keeps_its_title_bold_and_note(tmp_path):
    # Google Docs writes bold as a class of its stylesheet and the title as a paragraph.
    _, guide = imported(tmp_path, "change-your-billing-address.html")
    assert guide.title == "Change your billing address"
    assert "1. Open **Billing**.\n2. Click **Edit address**, change it and save." in guide.body
    assert "> **Note:** invoices already issued keep the old address." in guide.body
    assert guide.body.count("Change your billing address") == 0


def test_a_page_without_any_title_takes_its_first_heading_or_line(tmp_path):
    pages = {"fragment.html": "<div><p>Reset the router</p><p>Hold the button for ten "
                              "seconds.</p></div>",
             "headed.html": "<section><h3>Pair a keyboard</h3><p>Turn it on.</p></section>"}
    for name, html in pages.items():
        (tmp_path / name).write_text(html)
    done, failed = import_articles([tmp_path / n for n in pages], tmp_path / "out", today=TODAY)
    assert failed == []
    kb = guides.load(tmp_path / "out")
    first, second = (kb.get(d.slug) for d in done)
    assert (first.title, first.body.strip()) == ("Reset the router",
                                                 "Hold the button for ten seconds.")
    assert (second.title, second.body.strip()) == ("Pair a keyboard", "Turn it on.")
    assert "The page has no <h1> or <title>: its first line is the title." in done[0].notes
    assert "The page has no <h1> or <title>: its first heading is the title." in done[1].notes


def test_a_help_center_page_saved_from_the_browser(tmp_path):
    # A Zendesk page: the title in the article's own <header>, the site's name after it
    # in <title>, the category in the breadcrumbs, the date in <time>; votes, share
    # buttons and related articles are the old site's, not the article.
    item, guide = imported(tmp_path, "reset-your-password.html")
    assert guide.title == "Reset your password"
    assert guide.meta.category == "Account"
    assert guide.meta.updated == dt.date(2025, 9, 1)
    for chrome in ("Was this article helpful", "Related articles", "Submit a request",
                   "Share", "1 year ago"):
        assert chrome not in guide.body
    assert "3. Open the link in the email within 1 hour." in guide.body
    assert "> **Tip:** check your spam folder" in guide.body
    assert item.slug == "reset-your-password"


def test_html_written_inside_markdown_becomes_markdown_or_text(tmp_path):
    # A guide never renders raw HTML: <kbd>, <br>, <details>, <img> and <p> were shown
    # as written on the page.
    item, guide = imported(tmp_path, "use-keyboard-shortcuts.md")
    assert "Press `Ctrl` + `K` to open the command bar." in guide.body
    # A collapsible block's summary names what it holds: a sub-section.
    assert "## More shortcuts\n\n### Shortcuts for editing\n\n- `Ctrl` + `B`: bold" in \
        guide.body
    assert "> **Tip:** press `?` to see them all." in guide.body
    text = page_text(tmp_path, guide.slug)
    assert "<" not in text and "&lt;" not in text
    assert any("HTML inside the Markdown" in note for note in item.notes)


def test_html_in_code_is_left_as_written():
    out, _ = plain_markdown("Write `<br>` for a line break.\n\n```html\n<kbd>x</kbd>\n```\n")
    assert "Write `<br>` for a line break." in out and "<kbd>x</kbd>" in out


def test_a_note_written_with_a_sign_is_a_callout():
    # Notion and many docs mark a note by its sign rather than a word.
    out, _ = plain_markdown("> 💡 Press ? for help.\n\n⚠️ Deleting a workspace cannot be "
                            "undone.\n\n- ⚠️ an item stays an item\n\nText ⚠️ inside.\n")
    assert "> **Tip:** Press ? for help." in out
    assert "> **Warning:** Deleting a workspace cannot be undone." in out
    assert "- ⚠️ an item stays an item" in out and "Text ⚠️ inside." in out


def test_a_notion_page_keeps_its_callouts_by_their_icon(tmp_path):
    # Notion exports a callout as a box whose icon says its kind.
    _, guide = imported(tmp_path, "invite-guests.html")
    assert "> **Warning:** Guests cannot be made admins." in guide.body
    assert "> **Note:** Guests are free." in guide.body  # an icon of no known kind
    assert "⚠️" not in guide.body and "1. Click **Share**." in guide.body


def test_a_notion_markdown_export_reads_its_properties_and_aside(tmp_path):
    # Notion writes the page's properties under its title and a callout as an <aside>
    # opening with its icon; the file name ends with the page's id.
    item, guide = imported(tmp_path, "Share a page with guests "
                                     "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md")
    assert item.slug == "share-a-page-with-guests"
    assert guide.meta.tags == ("Sharing", "Guests")
    assert guide.meta.updated == dt.date(2023, 11, 1)
    assert guide.body.lstrip().startswith("Guests can see the pages you share with them.")
    assert "Created:" not in guide.body and "<aside>" not in guide.body
    assert "> **Tip:** Guests are free and do not count as members." in guide.body
    assert any("page properties (Notion)" in note for note in item.notes)


def test_a_body_that_opens_with_a_note_is_not_taken_for_properties():
    from kb.content.dialects import page_properties
    lines = ["Note: prices are in CHF.", "Type: monthly or yearly.", "", "Text."]
    assert page_properties(lines) == ({}, lines, [])


def test_pictures_and_videos_left_out_are_said(tmp_path):
    # A guide is text: what it cannot show is named, so the author can add the words a
    # screenshot stood for.
    article = tmp_path / "video.html"
    article.write_text('<article><h1>Record a meeting</h1><p>Click Record.</p>'
                       '<img src="a.png" alt="The record button"><img src="b.png">'
                       '<iframe src="https://www.youtube.com/embed/x"></iframe></article>')
    done, failed = import_articles([article], tmp_path / "out", today=TODAY)
    assert failed == []
    assert "2 pictures left out: a guide shows text only." in done[0].notes
    assert "One embedded video left out: a guide shows text only." in done[0].notes


def test_only_a_sites_name_is_cut_from_a_page_title(tmp_path):
    # Without an <h1> the <title> is the title: the site's name after it goes, a part of
    # the title itself stays.
    pages = {"a.html": "<title>Step 1 - Install the app</title><p>Download it.</p>",
             "b.html": '<head><title>Configure mail | Cloudpeak</title><meta property='
                       '"og:site_name" content="Cloudpeak"></head><p>Open settings.</p>',
             "c.html": "<title>Reset a key – Cloudpeak Help Center</title><p>Open keys.</p>"}
    for name, html in pages.items():
        (tmp_path / name).write_text(html)
    done, failed = import_articles([tmp_path / n for n in pages], tmp_path / "out",
                                   today=TODAY)
    assert failed == []
    kb = guides.load(tmp_path / "out")
    assert [kb.get(d.slug).title for d in done] == [
        "Step 1 - Install the app", "Configure mail", "Reset a key"]


def test_a_confluence_export_reads_as_its_page(tmp_path):
    # Confluence titles a page "Space : Page" and wraps it in breadcrumbs, a "Created
    # by …" line and a generated-by footer.
    item, guide = imported(tmp_path, "reset-a-users-password.html")
    assert guide.title == "Reset a user's password"
    assert guide.meta.category == "Accounts"
    assert guide.meta.updated == dt.date(2023, 11, 1)
    assert guide.meta.summary == ("Admins can reset the password of any user of their "
                                  "organization.")
    for chrome in ("Created by", "Document generated by Confluence", "1. Support"):
        assert chrome not in guide.body
    assert "> **Warning:** The user is signed out everywhere." in guide.body
    assert item.slug == "reset-a-user-s-password"


SAVED_PAGE = """<!doctype html><html lang="en"><head><title>Share access – Example Support</title>
</head><body><header><nav>Home · Devices · Account</nav></header><main><article>
<h1>Share access to your home</h1>
<div class="article-meta">Updated 3 weeks ago</div>
<p class="byline">Written by Ana · 4 min read</p>
<p>Everyone who lives with you can control the heating from their own phone.</p>
<h2>Invite a guest</h2>
<ol><li>Tap <b>Settings</b> &gt; <b>People</b>.</li><li>Tap <b>Invite guest</b>.</li></ol>
<aside class="note"><strong>Good to know:</strong> Guests never see the energy reports.</aside>
<p>Last updated by the support team, your friends.</p>
</article></main><footer>Was this article helpful?</footer></body></html>"""


def test_a_saved_pages_byline_is_left_out_and_its_own_note_label_kept(tmp_path):
    # "Updated 3 weeks ago" and "Written by Ana · 4 min read" are about the page: they
    # were the guide's summary and first line. A box labelled "Good to know:" is a note
    # under that label, not "Note: Good to know: …".
    source = tmp_path / "share-access.html"
    source.write_text(SAVED_PAGE, encoding="utf-8")
    done, failed = import_articles([source], tmp_path / "out", today=TODAY)
    assert failed == []
    guide = guides.load(tmp_path / "out").get(done[0].slug)
    assert guide.meta.summary == ("Everyone who lives with you can control the heating from "
                                  "their own phone.")
    assert "Updated 3 weeks ago" not in guide.body and "4 min read" not in guide.body
    assert "> **Good to know:** Guests never see the energy reports." in guide.body
    assert "**Note:**" not in guide.body
    # A sentence of the article that happens to begin alike stays.
    assert "Last updated by the support team, your friends." in guide.body
    procedure = compile_guide((tmp_path / "out" / f"{done[0].slug}.md").read_text(), "g")
    # A note of the walk, said along the way (not a warning to acknowledge).
    assert any(s.kind == "note" and s.text == "Guests never see the energy reports."
               for s in procedure.steps)


def test_bold_lines_standing_alone_become_the_sections_they_name(tmp_path):
    # Word and many help desks mark a section with a short line in bold, not a heading
    # style: it becomes a heading, so prerequisites are a section of their own and the
    # page has a table of contents. A note's label, a sentence in bold and a bold line
    # inside a paragraph stay as written.
    item, guide = imported_page(
        tmp_path, "reset.htm",
        "<html><head><title>Reset your router</title></head><body>"
        "<p>How to bring the router back to its factory settings.</p>"
        "<p><b>Before you start</b></p><p>You need the admin password from the sticker.</p>"
        "<p><b>Steps:</b></p><ol><li>Open the router's page.</li><li>Click Reset.</li></ol>"
        "<p><b>Note:</b></p><p>The Wi-Fi name goes back to the one on the sticker.</p>"
        "<p><b>Do not unplug the router during the reset.</b></p>"
        "<p>Lights blink while it restarts.<br><b>Then</b><br>it is ready.</p>"
        "</body></html>")
    assert "2 lines in bold standing alone above their text became headings." in item.notes
    # Sections side by side, both under the title: the second label is not made a
    # sub-section of the first.
    assert [(h.title, h.level) for h in guide.headings] == [("Before you start", 2),
                                                           ("Steps", 2)]
    assert "**Note:**" in guide.body and "**Do not unplug the router during the reset.**" \
        in guide.body
    procedure = compile_guide((tmp_path / "out" / f"{guide.slug}.md").read_text(), "x.md")
    steps = [s.text for s in procedure.steps if s.kind == "instruction"]
    assert steps[:2] == ["Open the router's page.", "Click Reset."]


def test_a_google_docs_link_leads_where_it_points(tmp_path):
    # The export sends every link through Google's redirect; a reader of the help center
    # goes straight to the page (a redirect of another site's stays as written).
    _, guide = imported_page(
        tmp_path, "reset.html",
        '<html><head><style>.c1{font-weight:700}</style></head><body class="doc-content">'
        '<p class="c3 title"><span>Reset your router</span></p><p class="c0"><span>Open '
        '</span><a href="https://www.google.com/url?q=https://status.example.net/router'
        '&amp;sa=D&amp;source=editors&amp;ust=1">the status page</a><span> and check the '
        'lights. Or see </span><a href="https://example.org/url?q=https://elsewhere.test">'
        'this one</a><span>.</span></p></body></html>')
    assert "[the status page](https://status.example.net/router)" in guide.body
    assert "(https://example.org/url?q=https://elsewhere.test)" in guide.body
    assert "google.com" not in guide.body


def test_a_note_laid_out_in_a_table_and_the_old_vote_prompt(tmp_path):
    # Help desks draw a tip as a table (an icon in one cell, the text in the other) and
    # end each article with their own "Was this article helpful?": the tip is a callout,
    # not an empty-headed table; the prompt and its tally go. A real table stays one.
    _, guide = imported_page(
        tmp_path, "store.html",
        "<html><head><title>Set up your store | Shoply Help Center</title></head><body>"
        "<h1>Set up your store</h1><p>It takes ten minutes.</p>"
        "<h2>Connect payments</h2><p>Open <b>Settings &gt; Payments</b>.</p>"
        "<table><tr><td><img src='tip.png'></td><td><p><strong>Tip:</strong> test "
        "payments in test mode first.</p></td></tr></table>"
        "<table><tr><th>Provider</th><th>Fee</th></tr><tr><td>Stripe</td><td>1.4%</td></tr>"
        "<tr><td>PayPal</td><td></td></tr></table>"
        "<h2>Was this article helpful?</h2><button>Yes</button><button>No</button>"
        "<p>12 out of 15 found this helpful</p></body></html>")
    assert "> **Tip:** test payments in test mode first." in guide.body
    assert "| Provider | Fee |" in guide.body and "| Stripe | 1.4% |" in guide.body
    assert "| --- | --- |\n|  |" not in guide.body
    assert "helpful" not in guide.body
    assert [h.title for h in guide.headings] == ["Connect payments"]


RELATIVES_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Export your data</title></head>
<body><main><article class="article"><h1>Export your data</h1>
<div class="text"><p>Download everything your team wrote as one archive.</p>
<ol><li>Open Settings and click Export.</li><li>Click Download archive.</li></ol>
<h2>See also</h2>
<ul><li><a href="/hc/articles/9">Import data</a> explains how to bring the archive back.</li>
</ul></div>
<div class="article-relatives">
<section class="related-articles"><h3>Related articles</h3>
<ul><li><a href="/hc/articles/2">Cancel your subscription</a></li>
<li><a href="/hc/articles/3">Change the billing address</a></li></ul></section>
<section class="recent-articles"><h3>Recently viewed articles</h3>
<ul><li><a href="/hc/articles/4">Delete your workspace</a></li></ul></section>
</div></article></main></body></html>
"""


def test_the_old_sites_lists_of_other_articles_are_left_out(tmp_path):
    # Help centers' themes put "Related articles" and "Recently viewed articles" inside
    # the article, after its text: their titles are other pages' ("Cancel your
    # subscription"), and kept they would make this guide an answer to those questions.
    # An author's "See also" says something and stays.
    item, guide = imported_page(tmp_path, "export-your-data.html", RELATIVES_PAGE)
    for other in ("Related articles", "Cancel your subscription", "Recently viewed",
                  "Delete your workspace"):
        assert other not in guide.body
    assert "## See also" in guide.body
    assert "explains how to bring the archive back" in guide.body
    assert ("2 lists of other pages (“Related articles”, “Recently viewed articles”) left "
            "out: the guide's page shows its own related guides.") in item.notes


def test_a_tables_bold_first_row_is_its_header(tmp_path):
    # Help desks' editors write a header as a first row of bold cells, not <th>: as the
    # header, its names head the columns (and answers say them) instead of an empty
    # header over a row of bold text.
    _, guide = imported_page(
        tmp_path, "refunds.html",
        "<html><head><title>Refund policy</title></head><body><article>"
        "<h1>Refund policy</h1><p>Annual plans are refunded within 14 days.</p><table>"
        "<tr><td><strong>Plan</strong></td><td><b>Refund window</b></td></tr>"
        "<tr><td>Monthly</td><td>None</td></tr><tr><td>Annual</td><td><b>14 days</b></td>"
        "</tr></table><table><tr><td>Support hours</td><td>9:00 to 17:00</td></tr></table>"
        "</article></body></html>")
    assert "| Plan | Refund window |\n| --- | --- |\n| Monthly | None |\n| Annual | " \
        "**14 days** |" in guide.body
    # A table whose first row is not bold keeps it as a row.
    assert "| Support hours | 9:00 to 17:00 |" in guide.body


def test_a_pages_last_change_is_read_from_its_footer(tmp_path):
    # Help Scout writes "Last updated on May 3, 2024" in a <time> under the article.
    _, guide = imported_page(
        tmp_path, "refunds.html",
        "<html><head><title>Refund policy</title></head><body><article>"
        "<h1>Refund policy</h1><p>Annual plans are refunded within 14 days.</p></article>"
        '<section class="articleFoot"><time class="lu" datetime="2024-05-03">Last updated '
        "on May 3, 2024</time></section></body></html>")
    assert guide.meta.updated == dt.date(2024, 5, 3)


FRESHDESK_PAGE = """<html><head><title>Set up two-step verification : Acme Support</title>
</head><body><div class="breadcrumb"><a href="/support/home">Solution home</a>
<a href="/support/solutions/1">Security</a> <a href="/support/solutions/folders/2">Account
safety</a></div><section class="article-list"><div class="fw-content">
<h2 class="heading">Set up two-step verification</h2>
<p class="help-text">Modified on: Tue, 12 Mar, 2024 at 10:15 AM</p>
<div class="article-body" id="article-body">
<p>Two-step verification asks for a code from your phone when you sign in.</p>
<p>1. Open <strong>Profile</strong> &gt; <strong>Security</strong>.</p>
<p>2. Click <strong>Enable two-step verification</strong>.</p></div>
<p>Did you find it helpful? <a>Yes</a> <a>No</a></p><p>Send feedback</p>
</div></section></body></html>
"""


def test_a_page_without_article_markup_is_read_from_its_articles_text(tmp_path):
    # Freshdesk's page has no <article>: its breadcrumbs, its title as a second-level
    # heading, its "Modified on" line and its feedback buttons stand beside the element
    # marked as the article's text. The guide is that text, titled without the site's
    # name, dated by that line.
    item, guide = imported_page(tmp_path, "two-step.html", FRESHDESK_PAGE)
    assert guide.title == "Set up two-step verification"
    assert item.slug == "set-up-two-step-verification"
    assert guide.meta.summary == ("Two-step verification asks for a code from your phone "
                                  "when you sign in.")
    assert guide.meta.category == "Account safety"
    assert guide.meta.updated == dt.date(2024, 3, 12)
    for chrome in ("Solution home", "Modified on", "helpful", "Send feedback"):
        assert chrome not in guide.body
    assert guide.headings == []
    assert "2. Click **Enable two-step verification**." in guide.body


CLIPPED_PAGE = """---
created: 2026-11-20T10:11:12 (UTC +01:00)
source: https://help.acme.example/hc/en-us/articles/360001-Export-your-contacts
---

# Export your contacts – Acme Help Center

> ## Excerpt
> Download every contact as a CSV file.

---
[Skip to main content](#main-content)

[Acme Help Center](https://help.acme.example/hc/en-us)

-   [Submit a request](https://help.acme.example/hc/en-us/requests/new)
-   [Sign in](https://help.acme.example/hc/en-us/signin)

1.  [Acme Help Center](https://help.acme.example/hc/en-us)
2.  [Contacts](https://help.acme.example/hc/en-us/categories/1)

## Export your contacts

Updated 2 months ago

Download every contact as a CSV file.

1. Open **Contacts**.
2. Click **Export** and choose CSV.

## Related articles

-   [Import contacts from a CSV file](https://help.acme.example/hc/en-us/articles/2)
-   [Merge duplicate contacts](https://help.acme.example/hc/en-us/articles/3)
"""


def test_a_page_clipped_as_markdown_keeps_only_its_article(tmp_path):
    # A browser extension's "save as Markdown": the site's name after the title, its
    # skip link, menu and breadcrumbs down to the article's heading, a byline, and the
    # related articles as a list of links. The guide is the article.
    item, guide = imported_page(tmp_path, "export.md", CLIPPED_PAGE)
    assert guide.title == "Export your contacts"
    assert guide.body.strip() == ("Download every contact as a CSV file.\n\n1. Open "
                                  "**Contacts**.\n2. Click **Export** and choose CSV.")
    assert guide.headings == []
    assert ("The site's links above the article (menu, breadcrumbs) left out, down to the "
            "article's own heading.") in item.notes


def test_an_articles_own_text_before_a_heading_like_its_title_stays(tmp_path):
    # Only the site's links go before a heading that repeats the title; an article that
    # says something first keeps it.
    source = tmp_path / "export.md"
    source.write_text("# Export your contacts\n\nKeep a copy of your address book.\n\n"
                      "## Export your contacts\n\n1. Open Contacts.\n2. Click Export.\n",
                      encoding="utf-8")
    done, _ = import_articles([source], tmp_path / "out", today=TODAY)
    guide = guides.load(tmp_path / "out").get(done[0].slug)
    assert guide.body.strip().startswith("Keep a copy of your address book.")
    assert [h.title for h in guide.headings] == ["Export your contacts"]


def test_a_pages_heading_that_repeats_its_title_is_the_title(tmp_path):
    # No <h1>: the title is the page's <title> without the site's name, and the <h2>
    # saying it again is that title, shown once, not a section of the guide.
    item, guide = imported_page(
        tmp_path, "pause.html",
        "<html><head><title>Pause your membership | FitClub Support</title></head><body>"
        "<div class='content'><h2>Pause your membership</h2><p>You can pause for up to 3 "
        "months a year.</p><h3>How to pause</h3><ol><li>Open the app.</li><li>Tap "
        "Membership &gt; Pause.</li></ol></div></body></html>")
    assert guide.title == "Pause your membership"
    assert [(h.title, h.level) for h in guide.headings] == [("How to pause", 2)]
    assert not any("site's links" in note for note in item.notes)


def test_a_definition_list_becomes_questions_and_terms_without_stray_colons(tmp_path):
    # Markdown has no definition lists: written as ":   answer", every answer showed a
    # colon on the page and in the chat. A question is a section with its answer, a
    # term is said with its definition.
    _, guide = imported_page(
        tmp_path, "billing.html",
        "<html><head><title>Billing FAQ</title></head><body><article><h1>Billing FAQ</h1>"
        "<p>Questions we hear most.</p><dl><dt>When am I charged?</dt><dd>On the first "
        "day of each billing period.</dd><dt>Can I pay by bank transfer?</dt><dd>Yes, on "
        "annual plans.</dd></dl><h2>Roles</h2><dl><dt>Admin</dt><dd>Manages users and "
        "<b>billing</b>.</dd><dt>Editor</dt><dd>Edits all pages.</dd></dl>"
        "</article></body></html>")
    assert ":   " not in guide.body
    assert [h.title for h in guide.headings] == ["When am I charged?",
                                                 "Can I pay by bank transfer?", "Roles"]
    assert "## When am I charged?\n\nOn the first day of each billing period." in guide.body
    assert "**Admin:** Manages users and **billing**.\n\n**Editor:** Edits all pages." in \
        guide.body


TABBED_PAGE = """<html><head><title>Install the desktop app</title></head><body><article>
<h1>Install the desktop app</h1><p>The app runs on Windows and macOS.</p>
<div class="tabs"><ul role="tablist"><li><a role="tab" href="#win">Windows</a></li>
<li><button role="tab" aria-controls="mac">macOS</button></li></ul>
<div role="tabpanel" id="win"><ol><li>Download the installer (.exe).</li>
<li>Run it and follow the steps.</li></ol></div>
<div role="tabpanel" id="mac"><ol><li>Download the disk image (.dmg).</li>
<li>Drag the app to Applications.</li></ol></div></div></article></body></html>
"""


def test_tabbed_panels_become_sections_headed_by_their_tabs(tmp_path):
    # Read as the page reads, the two lists of steps followed each other with nothing to
    # tell which is for Windows, under a row of links to the panels; the guided
    # procedure walked both.
    item, guide = imported_page(tmp_path, "install.html", TABBED_PAGE)
    # Right under the title, each panel is the guide's task done one way.
    assert [(h.title, h.level) for h in guide.headings] == [
        ("Install the desktop app (Windows)", 2), ("Install the desktop app (macOS)", 2)]
    assert "(#win)" not in guide.body and "- macOS" not in guide.body
    assert "## Install the desktop app (macOS)\n\n1. Download the disk image (.dmg)." in \
        guide.body
    assert "2 tabbed panels became sub-sections headed by their tabs." in item.notes
    # The guided procedure asks which one, and walks that one's steps.
    procedure = compile_guide((tmp_path / "out" / f"{guide.slug}.md").read_text(), "x.md")
    choice = next(s for s in procedure.steps if s.kind == "choice")
    assert len(choice.options) == 2 and "macOS" in choice.options[1].label
