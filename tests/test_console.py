"""The owner's console at /admin, through the real app: sign-in, every page, filters,
CSV exports, the gap export, a ticket's status, and what it refuses."""

from __future__ import annotations

import re
import time

import pytest

from kb.console.owners import Owners
from procedures.run import Event
from tests.browser_support import FormClient, audit_page
from tests.sql_support import sql

PASSWORD = "a-long-owner-password"


@pytest.fixture
def owner(app):
    context = app.extensions["kb.context"]
    Owners(context.database, app.extensions["kb.settings"].resolved_secret()).add(
        "alice", PASSWORD)
    return "alice"


def sign_in(web: FormClient, name: str = "alice", password: str = PASSWORD,
            status: int = 200) -> str:
    web.get("/admin/login")
    return web.submit("/admin/login", status=status, username=name, password=password)


@pytest.fixture
def activity(app):
    """A few customers: questions answered and not, a vote, a procedure run, a hand-off."""
    context = app.extensions["kb.context"]
    context.support.background = False
    chat = context.chat
    conv_id, token = chat.create("legal-rep")
    chat.post(conv_id, token, "how do I add a managed client?")
    chat.post(conv_id, token, "how do I delete my mailbox forever?")
    chat.post(conv_id, token, "talk to a person")
    chat.post(conv_id, token, "ana@example.com")
    other, other_token = chat.create("legal-rep")
    chat.post(other, other_token, "delete mailbox forever please")
    context.search.search("two factor app lost phone")
    context.popularity.record_feedback("kauth-remove-account", False)
    state = context.guided.start("kauth-remove-account", "kauth-only")
    context.guided.send(state.id, state.token, __import__(
        "procedures.run", fromlist=["Event"]).Event(type="cancel", revision=state.run.revision))
    context.questions.record_click("lost phone", "kauth-regain-access", 1)
    return conv_id


def test_nothing_is_reachable_without_signing_in(web, owner):
    for path in ("/admin/", "/admin/gaps", "/admin/searches", "/admin/guides",
                 "/admin/procedures", "/admin/conversations", "/admin/tickets"):
        response = web.client.get(path)
        assert response.status_code == 302 and "/admin/login" in response.location, path
    page = web.get("/admin/login")
    assert "Sign in to the console" in page
    audit_page(page)


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(web, owner):
    page = sign_in(web, password="wrong-password-1", status=401)
    assert "do not match" in page
    for n in range(4):
        sign_in(web, password=f"wrong-password-{n}", status=401)
    page = sign_in(web, status=429)  # even the right password waits now
    assert "Too many failed sign-ins" in page


def test_a_login_without_the_csrf_token_is_refused(web, owner):
    response = web.client.post("/admin/login", data={"username": "alice",
                                                     "password": PASSWORD})
    assert response.status_code == 400
    assert web.client.get("/admin/").status_code == 302


def test_every_page_shows_the_figures_with_charts_tables_and_csv(web, owner, activity, app):
    page = sign_in(web)
    assert "Overview" in page and "questions asked" in page
    assert "<svg" in page and "Download as CSV" in page
    audit_page(page)
    tiles = re.findall(r'class="tile-value">([^<]+)<', page)
    assert tiles[0].strip() == "4"  # three chat questions and one search
    assert tiles[3].strip() == "1"  # one hand-off

    page = web.get("/admin/gaps")
    audit_page(page)
    assert "delete mailbox forever" in page and "Export as a guide skeleton" in page

    page = web.get("/admin/searches")
    audit_page(page)
    assert "how do I add a managed client?" in page and "kauth-regain-access" in page

    page = web.get("/admin/guides")
    audit_page(page)
    assert "Remove an account from the kAuth app" in page or "kAuth" in page

    # A run that reaches a step whose text the run fills in ("protected by: SMS").
    guided = app.extensions["kb.context"].guided
    state = guided.start("kauth-remove-account", "kauth-sms")
    guided.send(state.id, state.token, Event(type="answer", value="do",
                                             revision=state.run.revision))
    page = web.get("/admin/procedures")
    audit_page(page)
    assert "kauth-remove-account" in page and "Cancelled" in page
    # The funnel names steps as an owner reads them, never with a run's placeholders.
    assert "{results." not in page and "{answers." not in page
    assert "Besides kAuth, your account is protected by: … It stays" in page
    # Runs done are some of the runs started: their bars stand side by side, each at
    # its own height in the row, not stacked into one bar of their sum.
    heights = re.findall(r'<rect x="[\d.]+" y="(\d+)"[^>]*><title>kauth-remove-account: '
                         r'(?:Started|Done) ', page)
    assert len(heights) == 2 and heights[0] != heights[1], heights

    page = web.get("/admin/conversations?show=handed-off")
    audit_page(page)
    assert page.count("handed off</span>") == 1
    link = re.search(r'href="(/admin/conversations/[0-9a-f]+)"', page).group(1)
    page = web.get(link)
    audit_page(page)
    assert "how do I delete my mailbox forever?" in page and "T-" in page

    csv = web.client.get("/admin/?csv=daily").get_data(as_text=True)
    assert csv.splitlines()[0] == "Day,Answered,Not answered,Hand-offs,Helpful,Not helpful"


def test_a_gap_group_exports_as_a_guide_skeleton(web, owner, activity):
    sign_in(web)
    page = web.get("/admin/gaps")
    href = re.search(r'href="\?([^"]*export=[^"]+)"', page).group(1).replace("&amp;", "&")
    response = web.client.get(f"/admin/gaps?{href}")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/markdown"
    assert text.startswith("---\ntitle: ") and "## Prerequisites" in text
    assert "delete" in text and "mailbox" in text


def test_a_bad_date_answers_with_a_message_not_an_error(web, owner):
    sign_in(web)
    for path in ("/admin/?from=yesterday", "/admin/searches?to=2026-13-45",
                 "/admin/tickets?from=2026-11-20&to=2026-11-01",
                 "/admin/conversations?from=%00"):
        response = web.client.get(path)
        assert response.status_code == 400, path
        assert "Showing the last 30 days instead" in response.get_data(as_text=True)


def test_a_ticket_is_closed_with_a_note(web, owner, activity):
    sign_in(web)
    page = web.get("/admin/tickets")
    reference = re.search(r"T-\d{5}", page).group()
    page = web.get(f"/admin/tickets/{reference}")
    audit_page(page)
    assert "ana@example.com" in page and "talk to a person" in page
    action = f"/admin/tickets/{reference}"
    fields = web.form(action, "note")["fields"]
    response = web.client.post(action, data={**fields, "status": "closed",
                                             "note": "Answered by phone."},
                               follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "closed</span>" in page
    assert "Answered by phone." in page and f"Ticket {reference} saved." in page
    assert reference not in web.get("/admin/tickets?status=open")
    assert reference in web.get("/admin/tickets?status=closed")


def test_signing_out_ends_the_session(web, owner):
    sign_in(web)
    web.get("/admin/")
    fields = web.form("/admin/logout")["fields"]
    page = web.client.post("/admin/logout", data=fields, follow_redirects=True)
    assert "You are signed out." in page.get_data(as_text=True)
    assert web.client.get("/admin/").status_code == 302


def test_a_session_left_idle_too_long_signs_in_again(web, owner):
    sign_in(web)
    assert web.client.get("/admin/").status_code == 200
    with web.client.session_transaction() as session:
        session["owner_seen"] -= 31 * 60
    response = web.client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.location


def test_what_was_missing_comments_show_on_guides_and_gaps(web, owner, app):
    # The site stores the comment of a "No" vote in the feedback table (column `comment`).
    context = app.extensions["kb.context"]
    context.popularity.feedback("kauth-remove-account")  # the table exists
    sql(context.database, "INSERT INTO guide_feedback(slug, helpful, created_at, comment) "
        "VALUES ('kauth-remove-account', 0, ?, "
        "'nothing about removing the app from a lost phone')", time.time())
    sign_in(web)
    assert "nothing about removing the app from a lost phone" in web.get("/admin/guides")
    page = web.get("/admin/gaps")
    assert "1 badly answered" in page and "kauth-remove-account" in page


def gaps_page_after(web: FormClient, app, question: str) -> str:
    """The content-gaps page once `question` went unanswered."""
    context = app.extensions["kb.context"]
    assert not context.search.search(question).confident
    context.gaps.flush()
    sign_in(web)
    return web.get("/admin/gaps")


def test_a_gap_names_the_words_no_guide_uses_and_where_to_teach_them(web, owner, app):
    # "pupils" and "transcripts": no guide of this help center uses them. The owner
    # learns which words those are, and where to say what they mean here.
    page = gaps_page_after(web, app, "my pupils cannot see their transcripts")
    assert "Words no guide uses: <strong>pupils, transcripts</strong>" in page
    assert "<code>synonyms.yaml</code>" in page


def test_everyday_words_are_not_offered_to_teach(web, owner, app):
    # "for good" means for ever: "good" is an everyday word, not a word of the trade.
    page = gaps_page_after(web, app, "how do i remove my pupils for good")
    assert "Words no guide uses: <strong>pupils</strong>" in page
