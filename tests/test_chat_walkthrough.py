"""A guide without a do-it-for-me flow is still gone through step by step when the person
asks: "show me how" after its answer starts its steps, and "do it for me" says why not and
offers them. A guide of facts alone has no steps to offer."""

from __future__ import annotations

import shutil

import pytest

from kb.settings import Settings
from tests.conftest import SEED_GUIDES, write_guide
from tests.sql_support import sql
from tests.test_chat_replies import talker as chat_with
from webapp import create_app

STEPS = """Your correspondents learn that you are away, and whom to contact.

## Turn on the automatic reply

To turn on the out-of-office message:

1. Log in to the webmail with the address concerned.
2. Click on the gear icon at the top right to open the settings.
3. Click on Absence message, then turn on the switch.
4. Write the subject and the text of the message, then click on Save.

## Turn it on for a colleague

1. Open the Mail Service in the Manager.
2. Click on the colleague's address, then on the Automatic reply tab.
"""


INVOICES = """Every invoice of the Organization can be downloaded at any time.

## Prerequisites

- Have access to Accounting within the Organization.

## Find an invoice

1. Open Accounting in the Manager.
2. Click on Invoices in the secondary menu.

## Save the invoice as a PDF

1. Click on the action menu to the right of the invoice.
2. Select Download the invoice (PDF) to keep a copy of it.
"""


# A help desk's article: the steps of its task open it, before any heading; a section
# after them is another task, said in a paragraph.
OPENING_STEPS = """Only team admins can add users.

Go to Settings and follow these steps:

1. Click Team.
2. Click Add user and enter their email.

Each user you add is billed from the next invoice.

## Removing a user

Click the trash icon next to their name. Their files move to the admin who removed them.
"""


# Two ways to do one task (phone and computer), then another task.
TWO_WAYS = """Give a shift you cannot work to a coworker.

## Offer the shift (mobile app)

1. Tap Schedule and open the shift.
2. Tap Offer shift and choose the coworkers.

## Offer the shift (web app)

1. Click My schedule, then the shift.
2. Click Offer shift and choose the coworkers.

## Approve an offered shift

1. Open Schedule, then Offers.
2. Click Approve.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("walkthrough")
    guides = root / "guides"
    shutil.copytree(SEED_GUIDES, guides)
    write_guide(guides, "set-up-an-out-of-office-reply", body=STEPS,
                title="Set up an out-of-office reply", category="Email",
                summary="Answer every message automatically while you are away.",
                tags="[out of office, vacation, auto reply, absence]", products="[Mail]")
    write_guide(guides, "download-an-invoice-as-a-pdf", body=INVOICES,
                title="Download an invoice as a PDF", category="Billing",
                summary="Find an invoice and keep a copy.", tags="[invoice, pdf]",
                products="[Manager]")
    write_guide(guides, "add-a-user-to-your-team", body=OPENING_STEPS,
                title="Add a user to your team", category="Team",
                summary="Invite someone into your team.", tags="[team, user, invite]",
                products="[Team]")
    write_guide(guides, "offer-a-shift-to-a-coworker", body=TWO_WAYS,
                title="Offer a shift to a coworker", category="Schedule",
                summary="Give a shift you cannot work to a coworker.",
                tags="[shift, coworker]", products="[Schedule]")
    return create_app(Settings(guides=guides, data=root / "data", secret_key="test"),
                      testing=True)


def talker(app):
    return chat_with(app, "legal-rep")


QUESTION = "how do i set up an out of office reply while on vacation"


@pytest.mark.parametrize("typed", ["show me how", "walk me through it", "step by step"])
def test_show_me_how_after_an_answer_starts_the_guides_steps(app, typed):
    say = talker(app)
    answer = say(QUESTION)
    assert answer[0]["type"] == "answer" and answer[0]["guide"] == "set-up-an-out-of-office-reply"
    assert not [r for r in answer if r["type"] == "offer"], "no do-it-for-me flow, no offer"
    replies = say(typed)
    # The section that answered, not the guide from its first line.
    assert replies[0]["text"] == ("Let's go through “Turn on the automatic reply” from the "
                                  "guide “Set up an out-of-office reply” step by step. You "
                                  "can say back, cancel or restart at any time.")
    assert not [r for r in replies if "correspondents learn" in r["text"]]
    step = replies[-1]
    assert step["type"] == "step" and "Log in to the webmail" in step["text"]
    assert (step["progress"]["done"], step["progress"]["remaining"]) == (0, 4)
    assert "Click on the gear icon" in say("done")[-1]["text"]
    say("done")
    last = say("done")[-1]
    assert "click on Save" in last["text"] and last["progress"]["remaining"] == 1
    # Where the section ends, the walk ends: the next section is offered, not started.
    ended = say("done")
    assert [r["type"] for r in ended] == ["end"]
    assert ended[0]["text"].startswith("That was the last step of “Turn on the automatic "
                                       "reply”. The guide goes on with “Turn it on for a "
                                       "colleague”.")
    assert ended[0]["options"][0]["label"] == "Go on with “Turn it on for a colleague”"
    going = say(option=ended[0]["options"][0]["id"])
    assert "Open the Mail Service in the Manager" in going[-1]["text"]
    assert say("done")[-1]["text"].startswith("Click on the colleague's address")


def test_do_it_for_me_says_why_not_and_offers_the_steps(app):
    say = talker(app)
    say(QUESTION)
    offer = say("can you do it for me?")
    assert [r["type"] for r in offer] == ["offer"]
    assert offer[0]["text"] == ("I can't do this one for you, but I can take you through "
                                "“Turn on the automatic reply” one step at a time.")
    started = say("yes")
    assert started[0]["text"].startswith("Let's go through “Turn on the automatic reply” "
                                         "from the guide “Set up an out-of-office reply”")
    assert "Log in to the webmail" in started[-1]["text"]


def test_without_an_answer_before_it_show_me_how_is_not_a_walk_through(app):
    say = talker(app)
    # It used to list three guides that happen to say "show".
    replies = say("show me how")
    assert [r["type"] for r in replies] == ["help"]
    assert replies[0]["text"].startswith("Happy to. What would you like to do?")


@pytest.mark.parametrize("option", ["walk:set-up-an-out-of-office-reply:no-such-step",
                                    "walk:no-such-guide:intro", "walk:", "walk::"])
def test_a_made_up_walk_option_gets_a_clear_reply(app, option):
    say = talker(app)
    replies = say(option=option)
    assert replies and all(r["text"] for r in replies)
    if option.startswith("walk:set-up"):
        # An unknown step: the guide from its beginning.
        assert replies[0]["text"].startswith("Let's go through “Set up an out-of-office "
                                             "reply”")
    else:
        assert replies[0]["type"] == "error"


def test_a_walk_through_a_later_section_checks_the_prerequisites_first(app):
    # The guide asks for access to Accounting: a walk that starts at its second section
    # still asks that first, then goes on at the section that answered.
    say = talker(app)
    answer = say("how do i download the invoice pdf")[0]
    assert answer["guide"] == "download-an-invoice-as-a-pdf", answer
    replies = say("show me how")
    assert replies[0]["text"].startswith("Let's go through “Save the invoice as a PDF” from "
                                         "the guide “Download an invoice as a PDF”")
    assert replies[-1]["text"].startswith("Before you start: Have access to Accounting")
    walked = say("yes")
    assert "Click on the action menu to the right of the invoice" in walked[-1]["text"]
    assert not [r for r in walked if "Open Accounting in the Manager" in r["text"]]
    assert not [r for r in walked if r["text"].startswith("Let's go through")]
    assert "Select Download the invoice (PDF)" in say("done")[-1]["text"]
    # Without the access, the walk stops at the check, as the guide says.
    say2 = talker(app)
    say2("how do i download the invoice pdf")
    say2("show me how")
    stopped = say2("no")
    assert stopped[-1]["type"] == "end" and "You cannot continue" in stopped[-1]["text"]


def test_the_owner_sees_a_walk_through_one_section_as_completed(app):
    # A walk that ends where its section ends is done, not cancelled: the console's
    # funnel counts it with the runs people finished.
    context = app.extensions["kb.context"]
    say = talker(app)
    say(QUESTION)
    say("show me how")
    for _ in range(3):
        say("done")
    assert say("done")[0]["text"].startswith("That was the last step of")
    context.guided.store.funnel.flush()
    rows = sql(context.database, "SELECT run_id, type FROM funnel_events WHERE procedure = ? "
               "ORDER BY id", "set-up-an-out-of-office-reply")
    walk = rows[-1].run_id  # this test's walk, the last one
    kinds = [row.type for row in rows if row.run_id == walk]
    assert kinds[0] == "started" and kinds[-1] == "completed"
    assert "cancelled" not in kinds


def test_a_walk_through_steps_that_open_the_guide_stops_where_its_sections_start(app):
    # The answer quoted the steps before any heading: the walk goes through them, then
    # offers the next section, another task ("Removing a user"), instead of running on
    # into it; that section's "Click …" paragraph is a step to do, not a remark.
    say = talker(app)
    answer = say("how can I add a user to the team")
    assert answer[0]["guide"] == "add-a-user-to-your-team"
    replies = say("walk me through it")
    assert replies[0]["text"] == ("Let's go through “Add a user to your team” step by step. "
                                  "You can say back, cancel or restart at any time.")
    assert "Click Team." in replies[-1]["text"]
    say("done")
    ended = say("done")
    assert ended[-1]["type"] == "end"
    # Not "the last step of “Add a user to your team”": that is the whole guide's title.
    assert ended[-1]["text"].startswith("That was the last of the steps that open the "
                                        "guide. The guide goes on with “Removing a user”.")
    going = say(option=ended[-1]["options"][0]["id"])
    assert going[-1]["type"] == "step" and going[-1]["options"] == [
        {"id": "done", "label": "Done"}]
    assert going[-1]["text"].startswith("Click the trash icon next to their name.")


def test_a_question_during_the_steps_is_answered_from_the_guide_being_followed(app):
    # "will they be billed?" is about the guide the person is following: its answer is
    # said, and the step asked again where it was; search alone would answer from
    # another guide about billing.
    say = talker(app)
    say("how can I add a user to the team")
    say("walk me through it")
    asked = say("will they be billed?")
    assert [r["type"] for r in asked] == ["answer", "step"]
    assert asked[0]["text"].startswith("Each user you add is billed from the next invoice.")
    assert asked[0]["guide"] == "add-a-user-to-your-team"
    assert asked[0]["text"].endswith("(From “Add a user to your team”.)")
    assert asked[-1]["text"] == "Click Team."
    # The procedure did not move: "done" goes on to the next step.
    assert say("done")[-1]["text"] == "Click Add user and enter their email."


def test_a_question_nothing_answers_during_the_steps_is_not_taken_as_the_answer(app):
    say = talker(app)
    say("how can I add a user to the team")
    say("walk me through it")
    say("done")
    asked = say("is the weather nice in Lima today?")
    assert asked[0]["text"] == ("I couldn't find the answer to that in this guide or "
                                "elsewhere in the help center. Here is where we are:")
    assert asked[-1]["type"] == "step"
    assert asked[-1]["text"] == "Click Add user and enter their email."


def test_the_step_asked_again_after_a_refused_answer_is_its_question(app):
    # "done" does not answer a check ("Is this the case?"): the refusal says so. A
    # question asked next that nothing answers is followed by "Here is where we are:"
    # and the check's own question, not the refusal said again.
    say = talker(app)
    say("who is allowed to add clients")
    say("show me how")
    check = say("done")
    assert check[-1]["text"] == "Please choose “Yes” or “No”."
    asked = say("is the weather nice in Lima today?")
    assert asked[0]["text"].endswith("Here is where we are:")
    assert asked[-1]["type"] == "step"
    assert not asked[-1]["text"].startswith("Please choose")
    assert asked[-1]["text"].endswith("?")
    assert [o["label"] for o in asked[-1]["options"]] == ["Yes", "No"]


def test_a_walk_through_one_way_of_a_task_does_not_go_on_with_the_other_way(app):
    # Done on the phone, the person has no use for the same task on a computer: the
    # walk offers the next task of the guide instead.
    say = talker(app)
    answer = say("how do i offer my shift to a coworker on the mobile app")
    assert answer[0]["guide"] == "offer-a-shift-to-a-coworker"
    assert "Tap Schedule and open the shift." in answer[0]["text"]
    say("walk me through it")
    say("done")
    ended = say("done")
    assert ended[-1]["type"] == "end"
    assert ended[-1]["text"].startswith("That was the last step of “Offer the shift (mobile "
                                        "app)”. The guide goes on with “Approve an offered "
                                        "shift”.")
    going = say(option=ended[-1]["options"][0]["id"])
    assert going[-1]["text"].startswith("Open Schedule, then Offers.")


@pytest.mark.parametrize("typed", [
    "walk me through setting up an out of office reply",
    "set up an out of office reply while on vacation, step by step",
    "show me how to set up an out of office reply"])
def test_a_task_asked_step_by_step_starts_its_walk_at_once(app, typed):
    # A task and the way asked for it, in one message: the walk through the section
    # that does the task starts, without an answer to read first.
    replies = talker(app)(typed)
    assert replies[0]["text"].startswith("Let's go through “Turn on the automatic reply” "
                                         "from the guide “Set up an out-of-office reply”")
    assert replies[-1]["type"] == "step" and "Log in to the webmail" in replies[-1]["text"]


def test_a_task_nothing_answers_asked_step_by_step_is_a_question_like_any(app):
    # Nothing to walk through: the task is searched as a question, and not found.
    replies = talker(app)("walk me through baking a sourdough bread")
    assert [r["type"] for r in replies] == ["fallback"]
