"""The passage a customer reads holds what they asked: small help centers written here,
a question as a customer would type it, and the fact the answer must contain."""

from __future__ import annotations

import json
from pathlib import Path

from kb.content.guides import parse_guide
from kb.context import Context
from kb.search import answers, index, passages, questions
from kb.search.index import Alternative, Concept
from kb.search.text import words
from kb.settings import Settings
from tests.conftest import write_guide


def ask(tmp_path: Path, guides: dict[str, str], question: str) -> str:
    """The answer shown for a question, from a help center holding these guides."""
    folder = tmp_path / "guides"
    folder.mkdir(exist_ok=True)
    for slug, body in guides.items():
        write_guide(folder, slug, body, title=slug.replace("-", " ").capitalize())
    search = Context(Settings(guides=folder, data=tmp_path / "data")).search
    response = search.search(question)
    assert response.results, question
    text = response.results[0].passage
    assert text and not text.rstrip().endswith(":"), text
    return text


INVITATIONS = """This guide explains how to invite colleagues to your team.

## Invite a colleague

1. Open the Team page.
2. Click on Invite and enter the email address of your colleague.

Once the invitation is sent, your colleague appears in the member list with the status
Pending until they accept.

A pending request expires after 14 days; you can then repeat it from the member list.
"""


def test_a_sentence_comes_with_its_neighbour(tmp_path):
    # One sentence rarely answers: what follows it says what happens next.
    text = ask(tmp_path, {"invite-colleagues": INVITATIONS},
               "what happens once the invitation is sent")
    assert "status Pending" in text and "expires after 14 days" in text


def _extract(tmp_path: Path, body: str, question: str,
             concepts: list[tuple[Concept, float]], title: str = "A guide") -> str:
    """The answer of one guide to a question whose concepts the test states, so that the
    rule is checked apart from the synonym table."""
    path = write_guide(tmp_path, "guide", body, title=title)
    guide, problems = parse_guide(path.read_text(encoding="utf-8"), path)
    assert guide is not None, problems
    prepared = answers.prepare(json.dumps(passages.dump(passages.sections(guide))))
    answer = answers.extract(prepared, concepts, questions.question_type(words(question)))
    assert answer is not None
    return answer.text


def concept(text: str, *alternatives: tuple[str, float]) -> Concept:
    return Concept(text, (Alternative(tuple(index.stems(text)), 1.0),
                          *(Alternative(tuple(index.stems(a)), w) for a, w in alternatives)))


PRICES = """This guide explains the prices for resellers.

## Cashback

Cashback is the difference between the public price and the preferential price of a
reseller.

## Reseller discount

Resellers pay 20% less than the public rate on every order.
"""


def test_a_word_of_the_passage_answers_one_word_of_the_question(tmp_path):
    # "preferential price" is a way of saying "cheaper", and "price" one of saying "how
    # much": the same "price" must not answer both.
    cheaper = concept("cheaper", ("preferential price", 0.8), ("less", 0.8))
    how_much = concept("how much", ("price", 0.8), ("rate", 0.8))
    reseller = concept("resellers")
    text = _extract(tmp_path, PRICES, "how much cheaper is it for resellers",
                    [(how_much, 2.4), (cheaper, 2.4), (reseller, 1.8)])
    assert "20%" in text


RIGHTS = """This guide explains how clients grant access to their account.

## Open a client's account

1. Click on Clients in the menu.
2. Click on the arrow to the right of the client.
3. Click on Access to open their account.

## What the client decides

The client chooses which access rights to grant when they accept the invitation.
"""


def test_a_phrase_is_not_pieced_together_from_two_steps(tmp_path):
    # "access" in one step and "to the right" in another are not "access rights".
    rights = concept("access rights")
    client = concept("client")
    refused = concept("refused")
    text = _extract(tmp_path, RIGHTS, "the client refused some access rights",
                    [(client, 1.5), (refused, 2.4), (rights, 2.4)])
    assert "which access rights to grant" in text


AUTHENTICATOR = """This guide explains how to sign in with a code.

## Sign in with a code

If the authenticator app is still installed on your phone, sign in with its code:

1. Open the authenticator app.
2. Type the six-digit code on the sign-in page.

If you kept the emergency codes printed when two-step sign-in was turned on, sign in with
one of them:

1. Click on Use an emergency code on the sign-in page.
2. Type one of the printed codes.
"""


def test_someone_who_lost_the_phone_gets_the_case_without_it(tmp_path):
    text = ask(tmp_path, {"sign-in-code": AUTHENTICATOR},
               "i lost my phone, how do i sign in")
    assert "emergency code" in text and "six-digit" not in text


APP_ACCOUNTS = """This guide explains what to do when the sign-in app changes phones.

## After changing phones

If your account is still shown in the app on the new phone:

1. Open the account in the app.
2. Type the code it displays on the sign-in page.

If no account is displayed in the app anymore:

1. Sign in with one of your emergency codes.
2. Add the account to the app again.
"""


def test_an_app_that_shows_nothing_gets_the_case_where_nothing_is_shown(tmp_path):
    for question in ("i changed phones and now the app shows nothing",
                     "new phone, the app lists no accounts"):
        text = ask(tmp_path, {"app-accounts": APP_ACCOUNTS}, question)
        assert "emergency codes" in text and "Type the code" not in text, question


SIGNATURE = """This guide explains how to add a signature.

## Prerequisites

- Only the owner of the organization can create a shared signature.

Open the settings of the webmail:

1. Log in to the webmail from a web browser.
2. Click on the gear icon at the top right.

## Add a signature

1. Click on Signatures in the settings menu.
2. Click on New signature, type your text and click on Save.
"""


def test_the_way_to_the_page_gives_way_to_the_task(tmp_path):
    # The prerequisites' steps lead to the page; the task is in the guide's body.
    task = ask(tmp_path, {"webmail-signature": SIGNATURE},
               "my webmail messages should end with my name")
    assert "New signature" in task
    # A condition stated in the prerequisites still answers.
    condition = ask(tmp_path, {"webmail-signature": SIGNATURE},
                    "shared signature for the whole organization")
    assert "Only the owner of the organization" in condition


NOTICES = """This guide explains the notices we send about renewals.

## Turn the notices on

On the Notices page, turn on the option "Send me a notice before each renewal". The
option is off for new accounts.

## Notices you can receive

- Notice of renewal (30 days before the date)
- Receipt after payment
"""


def test_how_long_gets_the_stated_time(tmp_path):
    text = ask(tmp_path, {"renewal-notices": NOTICES},
               "how long before renewal do i get the notice")
    assert "30 days" in text


DISCOUNT = """This guide explains the member discount.

## Member discount

Members get a discount of 10% on every order.

## When the discount applies

The discount is applied only when the order is paid with the member card.
"""


def test_a_problem_gets_the_case_not_an_amount(tmp_path):
    # The customer names the discount but asks why it did not apply, not how much it is.
    text = ask(tmp_path, {"member-discount": DISCOUNT}, "discount not applied to my order")
    assert "paid with the member card" in text


CONSOLE = """This guide explains what to do after a break-in and who can use the console.

## After a break-in

If someone signed in to the console, change your password at once.

## Who can sign in

Only administrators are allowed to sign in to the console.
"""


def test_without_permission_reports_a_break_in(tmp_path):
    text = ask(tmp_path, {"console-access": CONSOLE},
               "someone signed in to my console without permission")
    assert "change your password" in text


TEAMS = """This guide explains how to add a team to your workspace.

## Prerequisites

- Only the owners of the workspace are allowed to add teams.
- The workspace must be on the Business plan.

## Add a team

1. Open **Settings** > **Teams**.
2. Click **Add a team** and enter its name.
3. Click **Save**.
"""


def test_what_stops_someone_is_what_the_task_needs_first(tmp_path):
    # "Why can't I" is asked by someone who tried: the steps are what they did; what
    # they lack (a role, a plan) is what answers.
    for question in ("why can't i add a team", "it won't let me add a team",
                     "i am unable to add a team"):
        text = ask(tmp_path, {"add-a-team": TEAMS}, question)
        assert "Only the owners" in text, question
        assert "Click **Save**" not in text and "Click Save" not in text, question
    # Asked how, the steps answer.
    assert "Add a team" in ask(tmp_path, {"add-a-team": TEAMS}, "how do i add a team")


MAILBOXES = """This guide explains how to create a mailbox.

## Prerequisites

- Have a mail plan linked to your domain.
- Check that the maximum number of addresses of your offer has not been reached.

## Create the mailbox

1. Open **Mail**.
2. Click **Create a mailbox** and type its name.
3. Click **Save**.
"""


def test_what_stops_someone_is_the_prerequisites_even_in_other_words(tmp_path):
    # The prerequisites share no word with the question: they are still what the task
    # needs first, and the guide is the task's.
    text = ask(tmp_path, {"create-a-mailbox": MAILBOXES}, "why can't i create a new mailbox")
    assert "maximum number of addresses" in text and "Click Save" not in text


ARCHIVES = """This guide explains how to delete an archived project.

Archived projects stay readable until they are deleted.

## Archive or delete?

Deleting a project removes the project and all its files for good. Archiving a project
keeps its files.

## Who can delete a project

Only workspace owners can delete projects. Members can archive their own projects.

## Delete a project

1. Open **Projects** > **Archived**.
2. Tick the project and click **Delete**.
3. Type DELETE and click **Confirm**.
"""


def test_what_stops_someone_is_who_may_do_it(tmp_path):
    # A section headed "Who can …" says what stops the others, as prerequisites do.
    text = ask(tmp_path, {"delete-a-project": ARCHIVES}, "why can't i delete a project")
    assert "Only workspace owners" in text and "Confirm" not in text


LEAVERS = """Knowing the difference between archiving a student and deleting a student
helps you choose what to do when a student leaves your school.

## Archive a student

Archiving keeps grades and certificates, whereas deleting removes them for good.

1. Open **People** and click the student's name.
2. Click **Archive**.
"""


def test_the_difference_between_two_things_is_where_one_is_set_against_the_other(
        tmp_path):
    text = ask(tmp_path, {"students-who-leave": LEAVERS},
               "what's the difference between archiving and deleting a student")
    assert "whereas deleting removes them" in text


SWAPS = """This guide explains how to swap a shift.

## Swap from the app

1. Open the shift.
2. Tap **Swap shift**.
3. Choose how:
   - **Trade**: take one of a coworker's shifts in exchange.
   - **Give away**: offer the shift without taking one back.

## Swap from the web

1. Open the shift and click **Swap shift**.
2. Choose **Trade** or **Give away**, then click **Send**.
"""


def test_the_difference_between_two_options_is_where_each_is_said(tmp_path):
    # Both lists name both options; the one that says what sets them apart answers.
    text = ask(tmp_path, {"swap-a-shift": SWAPS},
               "what's the difference between trade and give away")
    assert "without taking one back" in text and "Send" not in text


LABELS = """This guide explains labels, which are useful to find your files quickly.

## Add a label

1. Select a file.
2. Click on Label and choose a name.
"""


def test_what_a_thing_is_for_is_said_where_it_is_defined(tmp_path):
    text = ask(tmp_path, {"file-labels": LABELS}, "do labels help me find files")
    assert "useful to find your files quickly" in text


STORAGE = """This guide explains the storage of each offer.

## Storage of each offer

Each offer comes with its own storage, shared by its users.

| Offer | Storage |
| --- | --- |
| Solo | 2 TB |
| Team | 3 TB per user |
| Pro | 6 TB |
"""


def test_a_table_row_comes_with_its_table(tmp_path):
    # A row alone ("Team | 3 TB per user") does not say what its cells are.
    text = ask(tmp_path, {"drive-storage": STORAGE},
               "how much storage does the team offer have")
    assert "Offer | Storage" in text and "Team | 3 TB per user" in text


OWNERSHIP = """This guide explains who owns a domain.

## Paying does not make you the owner

Paying the invoices does not give you ownership rights over it.

The ownership of a domain goes to the person named in its contact details.

## In case of a dispute

In case of a dispute about a domain, first contact the registrar.
"""


def test_the_rare_word_of_the_question_decides(tmp_path):
    # "over" relates the words, and "domain" is in every sentence: "dispute" is the
    # word that tells which passage answers.
    text = ask(tmp_path, {"domain-ownership": OWNERSHIP}, "dispute over domain ownership")
    assert "first contact the registrar" in text


MEMBER_DISCOUNT = """This guide explains the member discount.

## The discount

Members save 10% on every order placed from the shop.

## Conditions

The discount applies only when the order is paid by card.
"""


def test_applies_when_asks_for_the_condition(tmp_path):
    text = ask(tmp_path, {"member-discount": MEMBER_DISCOUNT}, "member discount applies when")
    assert "paid by card" in text


JUNK = """This guide explains the junk folder.

## Junk folder

Messages in the junk folder are deleted after 30 days.

## Moving a message

Note: if you move a message out of the junk folder, it is kept like any other message.
"""


def test_how_long_wants_a_duration_not_a_condition(tmp_path):
    text = ask(tmp_path, {"junk-folder": JUNK}, "how long are junk messages kept")
    assert "30 days" in text


EXPIRY = """This guide explains how to keep a domain.

## Registration

The domain is active within 5 minutes.

## Grace period

It can still be renewed during a grace period of 30 days.
"""


def test_a_word_of_the_question_is_kept_for_itself(tmp_path):
    # "renew" is also a weak way of saying "expired"; it is the question's own word for
    # renewing, and must not be spent on "expired" first.
    expired = concept("expired", ("expiry", 0.8), ("renew", 0.5))
    renew = concept("renew")
    domain = concept("domain")
    text = _extract(tmp_path, EXPIRY, "how long can i still renew an expired domain",
                    [(expired, 2.2), (renew, 1.76), (domain, 1.55)])
    assert "30 days" in text


NOTIFICATIONS = """This guide explains how to choose which notifications you receive.

## Prerequisites

Open the notification settings:

1. Log in to the Dashboard from a web browser.
2. Click on your initials at the top right.
3. Select Settings.

## Turn off the weekly digest

To stop the digest:

1. Click on Notifications in the left menu.
2. Untick Weekly digest.
3. Click on Save.
"""

SELF_CONTAINED = """This guide explains how to export your invoices.

## Prerequisites

1. Log in to the Dashboard from a web browser.
2. Click on Billing.

## Export the invoices

1. Log in to the Dashboard from a web browser.
2. Click on Billing, then on Export.
"""


def test_steps_that_start_somewhere_say_first_how_to_get_there(tmp_path):
    # "Click on Notifications" alone leaves the reader asking where that is: the steps
    # that lead there (a list under "Prerequisites") come first, said in one sentence,
    # and never push the steps asked for out of the answer.
    text = ask(tmp_path, {"notification-settings": NOTIFICATIONS},
               "how do i stop the weekly digest email")
    lines = text.split("\n")
    assert lines[0] == ("First, open the notification settings: log in to the Dashboard "
                        "from a web browser, click on your initials at the top right, then "
                        "select Settings.")
    assert "2. Untick Weekly digest." in lines and "3. Click on Save." in lines


def test_steps_that_already_start_from_the_beginning_are_not_led_in(tmp_path):
    text = ask(tmp_path, {"invoice-export": SELF_CONTAINED}, "how do i export my invoices")
    assert not text.startswith("First,")
    assert "2. Click on Billing, then on Export." in text


RECEIPTS = """This guide explains how to scan receipts and send them to your accountant.

## Scan a receipt

1. Open the app and tap **Scan**.
2. Hold the phone above the receipt until it is framed.
3. Tap **Send** to forward the receipt to your accountant.

## Troubleshooting

### The receipt is blank in the accountant's inbox

- **The photo was taken in the dark.** Scans below the brightness limit are sent empty;
  scan again near a window or a lamp.
- **The upload was interrupted.** Open **Sent** and tap **Send again**.
"""


def test_a_problem_gets_the_case_under_troubleshooting(tmp_path):
    # The case's own heading does not say "problem"; the heading it sits under does.
    # Someone whose receipt arrived blank has followed the steps already.
    text = ask(tmp_path, {"scan-receipts": RECEIPTS},
               "the scanned receipt doesn't show anything")
    assert "brightness limit" in text and "Hold the phone" not in text


FORWARDING = """This guide explains how to forward the messages of a mailbox.

## Set up forwarding

1. Open **Settings** > **Forwarding**.
2. Click **Add a forwarding address** and enter the address.
3. Click **Save**.

The address you entered receives a message with a link; forwarding only starts once
that link has been opened.
"""


def test_a_problem_gets_what_it_takes_to_work(tmp_path):
    # "not working": the condition for it to work is the likely cause, not the steps
    # the person has already followed.
    text = ask(tmp_path, {"forward-messages": FORWARDING}, "my forwarding is not working")
    assert "only starts once" in text and "Click Save" not in text.replace("**", "")


PLAN = """This guide explains how to cancel your plan and what happens afterwards.

## How to cancel

1. Open **Account** > **Billing** > **Subscription**.
2. Click **Cancel plan**.
3. Pick a reason and click **Confirm**.

You get an email right away. To undo a cancellation before the plan ends, open
**Account** > **Billing** > **Subscription** and click **Resume**.
"""


def test_a_wish_asks_for_the_steps(tmp_path):
    # "I want to cancel" asks for what "cancel my subscription" asks for: the steps, not
    # the sentence that happens to say "cancellation".
    text = ask(tmp_path, {"cancel-your-plan": PLAN}, "i want to cancel my subscription")
    assert "Confirm" in text and "Cancel plan" in text


SECURE_SITE = """This guide explains how to serve your site over HTTPS with a free certificate.

## Before you start

- The site must already open over HTTP.
- The domain must point to your hosting.

## Turn on HTTPS

1. Open **Hosting** > **Sites** and pick the site.
2. Click **Certificates** > **Add a free certificate**.
3. Tick **Redirect HTTP to HTTPS** and click **Save**.
"""


def test_a_wish_for_a_result_asks_for_the_steps(tmp_path):
    # "I want my site to open with https" asks for the task that gets it there, as "I
    # want to …" does: the steps, not what must be true first.
    text = ask(tmp_path, {"secure-your-site": SECURE_SITE}, "i want my site to open with https")
    assert "Add a free certificate" in text.replace("**", "")


AWAY_MESSAGE = """This guide explains how to answer emails automatically while you are away.

## Turn on the away message

1. Open **Mail** > **Settings**.
2. Click **Away message** and write the text.
3. Turn on the toggle and click **Save**.

## For a colleague who is already away

An administrator can set the message for a colleague who forgot to before leaving:

1. Open **Admin** > **Mailboxes** and pick the colleague's address.
2. Click **Away message**, write the text and click **Save**.
"""


def test_being_on_leave_is_an_absence_not_leaving(tmp_path):
    # "on leave" says the person is away, as "on holiday" does: their own steps answer,
    # not the ones for a colleague who forgot "before leaving".
    text = ask(tmp_path, {"away-message": AWAY_MESSAGE}, "reply automatically while i'm on leave")
    assert "Turn on the toggle" in text.replace("**", "")


DAYS_OFF = """Staff ask for days off from the app, and their manager approves them.

## Send a request

1. Tap **Time off** > **New request**.
2. Pick the days and tap **Send**.

> **Note:** requests must be sent at least 14 days before the first day off.
"""
PLAN_PRICES = """Every plan lets staff ask for a day off. The Team plan costs 4 USD per user per
month, and the Business plan 7 USD.
"""


def test_how_much_notice_asks_how_long_before_not_a_price(tmp_path):
    text = ask(tmp_path, {"request-days-off": DAYS_OFF, "plans-and-prices": PLAN_PRICES},
               "how much notice do i need to give for a day off")
    assert "14 days before" in text


PROJECT_LABELS = """Labels help you find your projects.

## Add a label

1. Open the project and click **+** in the **Label** column.
2. Type the label's name.
3. Choose a label colour and click **Create**.

## Manage labels

To see all the labels of the team, rename them, or delete them:

1. Open **Settings** > **Labels**.
2. Click **⋮** next to a label to rename or delete it.
"""


def test_tasks_listed_in_a_row_are_no_names_of_what_is_asked(tmp_path):
    # "see …, rename them, or delete them" lists things to do, not the colours a
    # "what colours" question asks to be named.
    text = ask(tmp_path, {"project-labels": PROJECT_LABELS}, "what colours can labels have")
    assert "Choose a label colour" in text.replace("**", "")


SENSOR_BATTERIES = """Each door sensor runs on two AAA batteries, which last about 18 months.

## When the batteries are low

The sensor beeps twice every hour. Press the sensor button to mute it for 12 hours, and
replace the batteries soon.
"""


def test_how_long_something_lasts_is_asked_by_its_verb(tmp_path):
    # "last" is the verb the question asks about, not a "last" of a list: the sentence
    # saying how long the battery lasts answers, not another that merely says "12 hours".
    text = ask(tmp_path, {"sensor-batteries": SENSOR_BATTERIES},
               "how long do the sensor batteries last")
    assert "18 months" in text


ROUTER = """A restart fixes most problems. A factory reset erases everything, for when you sell
or give away the router.

## Restart the router

1. Hold the power button for 5 seconds.
2. Wait for the light to turn green.

## On the router itself

1. Hold the reset button for 20 seconds.
2. Wait until the light flashes white.
"""


def test_steps_for_another_task_do_not_answer_what_to_do_when_selling(tmp_path):
    # "Restart the router" is another task than the one a seller needs: the steps that
    # erase the router are the ones for them.
    text = ask(tmp_path, {"router-reset": ROUTER},
               "i'm selling my flat, what do i do with the router")
    assert "Hold the reset button" in text


SPEAKER_RETURNS = """All our speakers come with a 2-year warranty, and orders from our shop can be
returned within 30 days.

## Make a warranty claim

If your speaker fails, ask for a replacement: we send the new speaker first, and you
return the old one within 14 days.

## Return an order within 30 days

1. Sign in and open **Orders**.
2. Select the order and click **Return items**.
3. Print the return label.
"""


def test_the_section_written_for_the_task_answers_how_to_do_it(tmp_path):
    # "Return an order" is where returning is explained; a sentence of the warranty
    # claim says "return" and "speaker" too, but is about a replacement.
    others = {"pair-your-speaker": "Hold the speaker's button until it beeps, then choose "
                                   "the speaker on your phone.\n",
              "charge-your-speaker": "Plug the speaker in: a full charge takes 3 hours.\n",
              "update-your-speaker": "The speaker updates itself at night.\n"}
    text = ask(tmp_path, {"warranty-and-returns": SPEAKER_RETURNS, **others},
               "can i return the speaker")
    assert "Return items" in text.replace("**", "")


PAUSE_OR_CANCEL = """You can pause your monthly pass or cancel it.

## Pause or cancel?

| | Pause | Cancel |
|---|---|---|
| Available for | Monthly passes | Monthly and annual passes |
| Restarts | Automatically at the end of the pause | You buy a new pass |

## How to pause your pass

1. Go to **Account** > **Passes**.
2. Tap **Pause pass** and choose 1, 2 or 3 months.
"""


def test_a_heading_weighing_two_tasks_is_not_the_section_of_either(tmp_path):
    # "Pause or cancel?" compares; "How to pause your pass" does it.
    text = ask(tmp_path, {"pause-your-pass": PAUSE_OR_CANCEL}, "how do i pause my pass")
    assert "Tap Pause pass" in text.replace("**", "")


CALENDAR = """With calendar sync, your bookings appear in the calendar you already use.
Calendar sync is part of the Pro plan.

## Before you start

- You use **Google Calendar** or **Outlook**.
- Your calendar administrator allows apps to read and write events.

## Connect your calendar

1. Open **Settings** > **Calendar**.
2. Click **Connect** and sign in.

## Troubleshooting

- **Bookings appear twice**: calendar sync was connected twice. Disconnect one.
"""


def test_what_is_needed_for_the_guides_subject_is_its_prerequisites(tmp_path):
    # The question names only what the whole guide is about; its "Before you start"
    # says what is needed, though it never repeats the words.
    text = ask(tmp_path, {"calendar-sync": CALENDAR}, "what do i need for calendar sync")
    assert "Google Calendar" in text and "allows apps" in text


REBATE = """This guide explains the rebate members get.

## Rebate

Members get a rebate on every order. The rebate applies in the following case:

- the order is paid with the member card, in one payment

## Example

For an order of 200 EUR, the member rebate of 10% is applied first: 180 EUR.
"""


def test_a_problem_gets_the_condition_announced_for_it(tmp_path):
    # "wasn't applied": the condition announced ("applies in the following case") is why,
    # not the worked example that says "applied" too.
    text = ask(tmp_path, {"member-rebate": REBATE}, "the member rebate wasn't applied")
    assert "member card" in text


TRIAL = """This guide explains the free trial.

## Start a trial

Start a trial from the pricing page. If something happens to your payment card during
the trial, nothing is charged.

## What happens after the trial

Your workspace moves to the free plan. Projects beyond the third one become read-only.
"""


def test_what_happens_gets_the_section_asking_it(tmp_path):
    # "happens" only frames the question; the heading that asks the same thing answers.
    text = ask(tmp_path, {"free-trial": TRIAL}, "what happens to my projects when the trial ends")
    assert "read-only" in text


STORAGE_FULL = """This guide explains storage space.

## Storage space

Each workspace has a storage limit of 5 GB on the free plan and 100 GB on the Pro plan.

## Full storage

Once the storage limit is reached, new uploads are no longer accepted. Files already
stored stay available.
"""


def test_what_happens_at_a_limit_is_a_consequence_not_an_amount(tmp_path):
    # "limit" names an amount, but the question asks what follows from reaching it.
    text = ask(tmp_path, {"storage-space": STORAGE_FULL},
               "what happens when the storage limit is reached")
    assert "no longer accepted" in text


ALERTS_FAQ = """Answers to common questions about alerts.

## Can I stop emails but keep push alerts?

Yes. In your alert settings, turn off the Email column and leave Push on.
"""


def test_a_bare_yes_answers_only_a_yes_or_no_question(tmp_path):
    # "Yes." answers the heading's question; to "how do i" it is a non sequitur.
    how = ask(tmp_path, {"alerts-faq": ALERTS_FAQ}, "how do i turn off email alerts")
    assert how.startswith("In your alert settings, turn off the Email column")
    (tmp_path / "again").mkdir()
    can = ask(tmp_path / "again", {"alerts-faq": ALERTS_FAQ}, "can i turn off email alerts")
    assert can.startswith("Yes. In your alert settings")


MEMBERS = """This guide explains what to do when someone leaves your club.

## Pause, suspend or close?

Pausing a membership stops the monthly fee for up to three months. The member keeps
their locker.

Suspending a member blocks their badge at the door, but keeps their history and their
bookings.

Closing a membership removes the member and all their bookings for good.

## Who can close a membership

Only club managers can close a membership.
"""


def test_a_difference_gets_each_side_from_the_section_comparing_them(tmp_path):
    # "difference" only frames the question; the section headed with both things says
    # each, one sentence apiece, and nothing about the third.
    text = ask(tmp_path, {"members-leaving": MEMBERS}, "difference between pause and close")
    assert "monthly fee" in text and "removes the member" in text
    assert "blocks their badge" not in text


CAR_TROUBLE = """This guide covers damaged cars and collisions.

## Check the car before you drive

A quick walk around the car avoids surprises. Look at the tyres and the lights.

## Report a collision

1. Stop somewhere safe and switch on the hazard lights.
2. Exchange names and insurance details with the other driver.
3. Open **Help** > **Report a collision** within 24 hours.
"""
FUEL = """This guide explains fuel. Drive back with a full tank: we refuel a car returned
with less for a fee. Electric cars are returned with 50% charge or more, so that the next
person can drive away.
"""
TOLLS = """This guide explains tolls. If you drive through a toll, the toll is billed to the
card of the rental a week later.
"""


def test_a_crash_told_in_words_gets_the_steps_for_it(tmp_path):
    # "crashed" is the guide's collision (an accident): without that reading the fuel
    # guide, which says "drive" twice, came first. (The steps for "what should i do"
    # and the light word in a heading are checked with the bike guide below.)
    text = ask(tmp_path, {"car-damage": CAR_TROUBLE, "fuel": FUEL, "tolls": TOLLS},
               "i crashed while driving, what should i do")
    assert "hazard lights" in text and "Report a collision" in text


RENTING = """This guide explains who can rent a car.

## Requirements

- A driving licence held for at least two years.
- A credit card in the name of the person who rents.

## Young drivers

Drivers aged 18 to 20 can only take small cars, with a young driver fee.
"""


def test_an_age_said_as_people_say_it_finds_the_age_rule(tmp_path):
    text = ask(tmp_path, {"who-can-rent": RENTING}, "how old do you have to be to rent")
    assert "aged 18 to 20" in text
    (tmp_path / "again").mkdir()
    text = ask(tmp_path / "again", {"who-can-rent": RENTING}, "can my 19 year old son rent")
    assert "aged 18 to 20" in text


SCOOTER_DAMAGE = """This guide covers damaged scooters and accidents.

## Check the scooter before you ride

A short check saves trouble. Squeeze both brakes and look at the tyres.

## Reporting an accident

Accidents happen. Here is what to do:

1. If someone is hurt, call the emergency number first.
2. Take photos of the scene and of the scooter.
3. Open **Help** > **Report an accident** within 24 hours.
"""
SCOOTER_RIDES = """This guide explains rides. A ride starts when you unlock a scooter and ends when
you park it in a zone. Each ride is billed per minute.
"""
SCOOTER_ZONES = """This guide explains zones. Ride in the green zone; you can't end a ride in a red
zone.
"""


def test_a_light_word_in_a_heading_does_not_make_it_the_answer(tmp_path):
    # "riding" is in the heading of the checks, but it is a light word (every guide
    # says "ride"); the accident ("hit by a car") is what the question is about, and
    # "what should i do" asks for the steps, all of them.
    text = ask(tmp_path, {"damage-and-accidents": SCOOTER_DAMAGE, "rides": SCOOTER_RIDES,
                          "zones": SCOOTER_ZONES},
               "i got hit by a car while riding, what should i do")
    assert "emergency number" in text and "Report an accident" in text


BIKE_DAMAGE = """This guide covers damaged bikes and accidents.

## Check the bike before you ride

A short check saves trouble. Squeeze both brakes and look at the tyres.

## Reporting an accident

1. If someone is hurt, call the emergency number first.
2. Take photos of the scene and of the bike.
3. Open **Help** > **Report an accident** within 24 hours.

Every ride is insured. Our insurers contact you within 2 business days.
"""


def test_a_light_word_of_a_heading_does_not_make_its_section_the_answer(tmp_path):
    # The accident is what the question is about (the guide's title says it: being hit
    # by a car is one, a weaker word for it); "riding",
    # a light word, is in the heading of the checks, which do not answer. "What should i
    # do" asks for the steps.
    text = _extract(tmp_path, BIKE_DAMAGE, "i got hit by a car while riding, what should i do",
                    [(concept("hit by a car", ("accident", 0.5)), 1.5),
                     (concept("riding"), 0.7)],
                    title="Damaged bikes and accidents")
    assert "emergency number" in text and "Report an accident" in text
    (tmp_path / "told").mkdir()
    told = _extract(tmp_path / "told", BIKE_DAMAGE, "i got hit by a car while riding",
                    [(concept("hit by a car", ("accident", 0.5)), 1.5),
                     (concept("riding"), 0.7)],
                    title="Damaged bikes and accidents")
    assert "brakes" not in told and "trouble" not in told


CHARGES = """This guide explains charges and refunds.

## Request a refund

1. Open **Activity** and select the ride.
2. Tap **Problem with this charge** and choose a reason: Charged twice, Ride didn't end.
3. Tap **Send**.

## I was charged twice for one ride. Why?

In most cases one of the two amounts is a temporary hold, which disappears within 5
business days.
"""


def test_a_heading_that_says_the_question_better_than_the_title_answers(tmp_path):
    # The title says "refunds", a weaker word for being charged twice; the FAQ heading
    # says "charged twice", the heaviest part of the question ("ride" is in every
    # guide): its answer comes first, not the steps that mention it.
    text = ask(tmp_path, {"charges-and-refunds": CHARGES, "rides": SCOOTER_RIDES,
                          "zones": SCOOTER_ZONES}, "charged twice for one ride")
    assert text.startswith("In most cases one of the two amounts is a temporary hold")



SCOOTER_DOCKING = """This guide explains how to end a ride at a charging dock.

## What the dock lights say

Green: the scooter is locked and your ride is over.

Red: the dock is faulty. Use another one.

Dark: the dock is switched off or has lost power.

## Returning a scooter

1. Push the scooter into a free dock until it clicks.
2. Wait for the green light.

## Troubleshooting

### My phone died during the ride

You can dock the scooter as usual. The ride is over once the dock locks it, whatever
your phone says. The receipt appears in your history the next time you open the app.
"""


def test_a_loss_of_something_else_does_not_answer_a_loss(tmp_path):
    # "died" is the customer's word for a loss; the dock that "has lost power" is not
    # what they lost: the passage written for their case answers.
    text = ask(tmp_path, {"ending-a-ride": SCOOTER_DOCKING},
               "my phone battery died in the middle of a ride, how do i end it")
    assert "dock the scooter as usual" in text, text


KAYAK_PRICES = """This guide lists the prices of kayak rentals.

## Prices

| | Hourly ticket | Day ticket | Season pass |
|---|---|---|---|
| Launch fee | €2 per trip | Included in the ticket | Included in the pass |
| Single kayak | €6 per hour | First 30 min of a trip included | First 30 min of a trip included |
| Double kayak | €9 per hour | First 30 min of a trip included | First 30 min of a trip included |
| Paddleboard | €5 per hour | First 30 min of a trip included | First 30 min of a trip included |
| Life jacket | Included with every kayak | Included with every kayak | Included with every kayak |
| Dry bag | €3 per trip, back at the jetty | €3 per day, back at the jetty | Included in the pass |
| Extra time | – | €2 per 10 min after 30 min | €2 per 10 min after 30 min |

## How trip time is counted

The clock starts when the kayak leaves the jetty. Bring it back to any jetty before your
30 minutes are up and take it out again: the new trip starts with a fresh 30 minutes.
"""


def test_going_over_a_limit_finds_the_extra_time_written_short(tmp_path):
    # "go over" is exceeding the limit; "min" after a number is minutes.
    text = ask(tmp_path, {"kayak-prices": KAYAK_PRICES},
               "what if i go over 30 minutes with my season pass")
    assert "€2 per 10 min" in text, text


E_SCOOTERS = """This guide explains how to ride an electric scooter.

## Battery and range

- A full battery lasts about 40 km.
- Scooters charge while they're parked at a charging hub, and the app shows each
  scooter's charge before you unlock it.
- Scooters with less than 10% charge are hidden from the map.

## What it costs

A 20-minute ride costs €5 on pay as you go and €1 with a monthly pass.

## Troubleshooting

### The battery ran out during my trip

You can push the scooter to the nearest hub. If the battery showed 10% or more when you
unlocked it and ran out within 20 minutes, report it in Help > Battery. We'll refund the
difference between the electric price and the kick scooter price for that trip.
"""


def test_a_battery_that_died_is_one_that_ran_out(tmp_path):
    text = ask(tmp_path, {"electric-scooters": E_SCOOTERS},
               "battery died halfway through my trip, do i still pay the price")
    assert "refund the difference" in text, text


COURT_BILLING = """This guide explains how bookings of tennis courts are paid.

## Payment methods

We accept credit and debit cards, and PayPal. Cash is accepted at the front desk only.

## Balances due

If a payment fails (for example, your card expired or was declined), the amount becomes
a balance due. You can't book a court until it's settled. Go to Account > Billing, check
your card, and tap Settle now. Balances left unpaid for 90 days close the account.
"""


def test_what_stops_the_person_comes_with_what_to_do_about_it(tmp_path):
    text = ask(tmp_path, {"paying-for-courts": COURT_BILLING},
               "my card got declined and now the app won't let me book anything")
    assert "You can't book a court" in text and "tap Settle now" in text, text


SIGNING_UP = """This guide explains how to open a library account.

## Step 1: Sign up

1. Download the library app.
2. Tap Sign up and enter your mobile number.
3. Enter the code we text you. If it doesn't arrive within a minute, tap Send again.

## Step 2: Link your card

1. Go to Account > Card.
2. Enter the number printed on your library card and its security code.
3. Confirm with the PIN of your phone.

## Step 3: Return a book

A loan only ends when the book is scanned at the desk. Leaving a book on a shelf or in
the drop box at night does not end your loan.
"""


def test_something_that_never_came_is_what_did_not_arrive(tmp_path):
    text = ask(tmp_path, {"library-account": SIGNING_UP},
               "the verifcation code never came to my phone")
    assert "tap Send again" in text, text


CLUB_ROLES = """This guide explains the roles in a rowing club account.

## Roles and permissions

| What you can do | Captain | Member |
|---|---|---|
| Book a boat | Yes | Yes |
| Add or remove members | Yes | No |
| Leave the club | No (must close it) | Yes, any time |

Only the captain can add members, change the payment method or close the club.
"""


def test_a_sentence_after_a_table_is_not_read_with_its_last_row(tmp_path):
    text = ask(tmp_path, {"club-roles": CLUB_ROLES}, "who can add people to our club")
    assert "Only the captain can add members" in text
    assert "Leave the club" not in text, text


GYM_CANCELLATION = """This guide explains how to cancel a gym membership.

## Cancel your membership

1. Open Account > Membership.
2. Click Cancel membership and confirm.

## What happens after cancellation

When your membership ends, your account moves to the free plan. Nothing is deleted.

- The free plan allows 2 classes a month. Bookings beyond that are cancelled and refunded.
- Your locker is emptied a week after the end date; belongings are kept at the desk.
"""


def test_a_list_nothing_introduces_is_shown_under_its_heading(tmp_path):
    text = ask(tmp_path, {"gym-cancellation": GYM_CANCELLATION},
               "what happens to my class bookings if i cancel")
    assert "2 classes a month" in text
    # Not a bare "- …" standing for a sentence: the heading says what the list is.
    assert text.startswith("What happens after cancellation:"), text


BOAT_PAYMENTS = """This guide explains how paying for boat rentals works.

## Accepted payment methods

| Method | Day tickets | Pay per hour | Notes |
|---|---|---|---|
| Credit or debit card | Yes | Yes | Recommended |
| PayPal | Yes | Yes | Not for group accounts |
| Prepaid cards | Yes | No | We can't place the €5 hold on them |

## When you're charged

- **The €5 hold.** When you take a boat on pay per hour, we place a temporary hold of €5
  on your card. It isn't a charge. It's released as soon as the boat is back.
- **Hourly rentals** are charged when the boat is back at the jetty.
"""


def test_a_tie_between_a_table_row_and_a_sentence_goes_to_the_sentence(tmp_path):
    # Both say "€5 hold" and "card"; "why" asks for what explains it, which the row
    # only names.
    text = ask(tmp_path, {"boat-payments": BOAT_PAYMENTS},
               "why is there a 5 euro hold on my card when I already paid")
    assert "It isn't a charge" in text, text
