"""A person when the bot cannot help: the chat's hand-off dialogue and the wizard's form,
against the real chat service, run store and app; what a ticket keeps and never keeps."""

from __future__ import annotations

import re

import pytest

from kb.support.handoff import wants_person
from tests.browser_support import FormClient
from tests.sql_support import sql

PASSWORD = "demo-Password-2026"


@pytest.mark.parametrize("text", [
    "human", "Agent", "a real person please", "talk to a person", "I want to talk to someone",
    "Can I speak with a human?", "connect me to an agent", "I need a human",
    "let me talk to somebody", "speak to support",
])
def test_plain_words_asking_for_a_person_are_understood(text):
    assert wants_person(text)


@pytest.mark.parametrize("text", [
    "how do I add an agent to my organization", "who is the legal representative?",
    "can a collaborator talk to the legal representative", "change the person's name",
    "human resources invoices", "",
])
def test_questions_that_mention_people_are_still_questions(text):
    assert not wants_person(text)


def ask(context, account="legal-rep"):
    chat = context.chat
    conv_id, token = chat.create(account)
    return lambda text="", option=None: chat.post(conv_id, token, text, option=option)


def test_the_chat_asks_for_an_email_keeps_asking_when_it_is_bad_then_hands_off(context):
    say = ask(context)
    say("how do I add a managed client?")
    replies = say("I want to talk to someone")
    assert [r.type for r in replies] == ["handoff-contact"]
    assert replies[0].field["type"] == "email"
    for bad in ("ana at example dot com", "ana@", "how do I add a client?"):
        again = say(bad)
        assert again[-1].type == "handoff-contact" and "does not look like" in again[-1].text
    done = say("ana@example.com")[-1]
    assert done.type == "handoff"
    reference = re.search(r"T-\d{5}", done.text).group()
    assert "no support team connected" in done.text  # nothing configured in this test
    assert "webhook" not in done.text and "e-mail or" not in done.text  # the owner's words
    ticket = context.support.tickets.get(reference)
    assert ticket.content.email == "ana@example.com"
    assert ticket.content.account == "legal-rep"
    assert ticket.content.guide == "partner-add-managed-client"
    said = [line.text for line in ticket.content.transcript if line.who == "customer"]
    assert said[0] == "how do I add a managed client?"


def test_the_story_told_right_after_the_hand_off_goes_to_the_request(context):
    # "They registered it in their name" used to be answered with the ownership guide:
    # right after the hand-off, a statement is for the person who will read the request.
    # A question is still answered, and a thank-you is talk.
    say = ask(context)
    say("my domain was stolen by my old web agency")
    say("I want to talk to someone")
    reference = re.search(r"T-\d{5}", say("ana@example.com")[-1].text).group()
    added = say("They registered it in their name last year")
    assert [r.type for r in added] == ["handoff"]
    assert added[0].text.startswith(f"I've added this to your request {reference}")
    assert say("and the agency no longer answers my e-mails")[0].type == "handoff"
    said = [line.text for line in context.support.tickets.get(reference).content.transcript
            if line.who == "customer"]
    assert said[-2:] == ["They registered it in their name last year",
                         "and the agency no longer answers my e-mails"]
    assert say("thanks a lot")[0].type == "thanks"
    asked = say("who owns a domain name, the one who pays?")
    assert asked[0].type == "answer" and asked[0].guide == "payment-vs-ownership"
    # Once the chat has answered something else, a statement is a question again.
    assert say("my domain name is registered in my agency's name")[0].type != "handoff"


def test_never_mind_sends_nothing(context):
    say = ask(context)
    say("human")
    replies = say(option="handoff-cancel")
    assert "nothing was sent" in replies[-1].text
    assert context.support.tickets.list(0, 2e10) == []


def test_the_button_works_in_the_middle_of_a_procedure_and_the_ticket_masks_secrets(context):
    say = ask(context, "compromised")
    say(option="start:account-secure-after-hack")
    say(option="do")
    say(option="confirm")  # the review before the password change
    say("wrong-password-1")  # a password typed into the collect step
    replies = say(option="handoff")
    assert replies[-1].type == "handoff-contact"
    ticket_text = say("sam@example.com")[-1].text
    reference = re.search(r"T-\d{5}", ticket_text).group()
    ticket = context.support.tickets.get(reference)
    assert ticket.content.procedure == "account-secure-after-hack"
    assert ticket.content.procedure_status == "active"
    stored = ticket.content.model_dump_json()
    assert "wrong-password-1" not in stored
    assert "[hidden]" in stored


def test_a_blocked_procedure_offers_a_person(context):
    say = ask(context, "collaborator")
    say(option="start:billing-renewal-reminder-emails")
    replies = say(option="do")
    end = [r for r in replies if r.type == "end"]
    assert end, [r.type for r in replies]
    assert {"id": "handoff", "label": "Talk to a person"} in end[-1].options
    assert say(option="handoff")[-1].type == "handoff-contact"
    assert say("kim@example.com")[-1].type == "handoff"
    ticket, = context.support.tickets.list(0, 2e10)
    assert ticket.content.procedure_status == "blocked"


def test_the_support_contact_reply_offers_a_person(context):
    say = ask(context)
    say("recipe for cheese fondue")
    support = say(option="support")[-1]
    assert {"id": "handoff", "label": "Talk to a person"} in support.options


def test_the_wizard_offers_a_person_at_a_blocked_outcome(web: FormClient, app):
    web.get("/account")
    web.submit("/account/switch", account="collaborator")
    web.get("/guides/billing-renewal-reminder-emails")
    web.submit("/runs", procedure="billing-renewal-reminder-emails")
    run_url = web.url
    web.submit(run_url, value="do")
    assert 'class="outcome outcome-blocked' in web.page
    assert "Talk to a person" in web.page
    assert "No support contact is configured for this help center yet" in web.page
    page = web.submit(f"{run_url}/handoff", email="not an email")
    assert "does not look like an e-mail address" in page
    page = web.submit(f"{run_url}/handoff", email="kim@example.com")
    assert re.search(r"reference (is )?T-\d{5}\.", page)
    assert 'id="talk-to-a-person"' not in page  # not offered twice
    context = app.extensions["kb.context"]
    ticket, = context.support.tickets.list(0, 2e10)
    assert ticket.content.source == "wizard"
    assert ticket.content.procedure == "billing-renewal-reminder-emails"


def test_the_wizard_hand_off_needs_the_run_of_this_browser(web: FormClient, app):
    response = web.client.post("/runs/0123456789abcdef/handoff", data={"email": "a@b.co"})
    assert response.status_code in (400, 404)  # no CSRF token, or not this browser's run


def test_search_result_clicks_are_counted_without_a_token(web: FormClient, app):
    response = web.client.post("/search/clicks", json={"q": "lost my phone",
                                                       "slug": "kauth-regain-access",
                                                       "rank": 2})
    assert response.status_code == 204
    bad = web.client.post("/search/clicks", json={"q": "x", "slug": "../etc", "rank": "a"})
    assert bad.status_code == 204
    rows = sql(app.extensions["kb.context"].database, "SELECT slug, rank FROM result_clicks")
    assert [tuple(r) for r in rows] == [("kauth-regain-access", 2)]


def test_a_person_is_offered_after_did_that_help_no(context):
    from kb.chat.conversations import Conversation, Reply, Turn

    engine = context.chat.engine
    asked = Reply(type="feedback", text="Did that help?",
                  options=[{"id": "helped-yes", "label": "Yes"},
                           {"id": "helped-no", "label": "No"}])
    for option, text in (("helped-no", "No"), (None, "no")):
        conv = Conversation(account="legal-rep",
                            turns=[Turn(text="how do I add a client?", replies=[asked])])
        replies = engine.respond(conv, text, option, None)
        assert {"id": "handoff", "label": "Talk to a person"} in replies[-1].options
    conv = Conversation(account="legal-rep", turns=[Turn(text="hi", replies=[asked])])
    replies = engine.respond(conv, "Yes", "helped-yes", None)
    assert not any(o["id"] == "handoff" for r in replies for o in r.options)


def test_the_support_contact_comes_from_the_settings(context):
    from kb.settings import Settings
    from kb.support.desk import SupportDesk

    settings = Settings(guides=context.settings.guides, data=context.settings.data,
                        support_email="help@example.com", support_phone="+41 22 000 00 00",
                        support_hours="Monday to Friday, 9:00 to 18:00")
    text = SupportDesk(settings, context.database).contact_text()
    assert text == ("Our support team answers by e-mail at help@example.com and by phone "
                    "on +41 22 000 00 00, Monday to Friday, 9:00 to 18:00.")
