"""The kind of answer a question asks for, as a customer words it, and the answer's
shape: "which menu has …" asks where, so the way there (the steps) answers, not the
sentence that names the thing; a fact stated in a guide's opening comes without the
sentence saying what the guide is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import Context
from tests.conftest import first_passage, help_center_of

NEWSLETTER_GUIDE = """\
This guide explains how to choose which newsletters reach your mailbox.

Newsletters are sent on the first Monday of each month.

## Newsletter settings

To reach the newsletter settings:

1. Log in to the dashboard.
2. Click on Preferences in the sidebar.
3. Click on Letters and news.

On this page, tick or untick the box "Send me the monthly newsletter".
"""


@pytest.fixture
def search(tmp_path: Path) -> Context:
    return help_center_of(tmp_path, ("newsletter-settings", "Choose your newsletters",
                                     NEWSLETTER_GUIDE, "Receive only the letters you want."))


@pytest.mark.parametrize("question", ["which menu has the monthly newsletter box",
                                      "what page shows the newsletter checkbox"])
def test_which_menu_gets_the_way_there(search: Context, question: str) -> None:
    passage = first_passage(search, question)
    assert "2. Click on Preferences in the sidebar." in passage


def test_a_fact_of_the_opening_comes_without_what_the_guide_is_about(
        search: Context) -> None:
    passage = first_passage(search, "how often are newsletters sent")
    assert passage == "Newsletters are sent on the first Monday of each month."


PLANS_GUIDE = """\
This guide explains the plans of a tennis club and how to change them.

## Member plans

- Basic plan: one court booking a week.
- Premium plan: a court booking every day and two guests a month.

## Change a member's plan

1. Log in to the club dashboard.
2. Click on the name of the member.
3. Select Change plan, choose the new plan and save.
"""


def test_a_what_question_gets_the_facts_said_under_their_heading(tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("club-invite", "Invite members to the club",
                                        PLANS_GUIDE, "The plans and how to change them."))
    passage = first_passage(context, "what plans can a member get")
    # The options, not the steps; the list says what it lists.
    assert passage.startswith("Member plans:\n- Basic plan: one court booking a week.")
    assert "Select Change plan" not in passage


RESET_GUIDE = """\
This guide explains how to choose a new password for your club account.

## Ask for a new password

To reset the password of your club account:

1. Open the sign-in page of the club.
2. Click on Forgot password?
3. Click on the link received by email (valid for 30 minutes).
4. Enter the new password twice and save.

## The email does not come

If the reset link has not arrived after a few minutes:

1. Look in the spam folder.
2. Ask for a new link.
"""


def test_how_long_gets_the_stated_duration_not_the_time_of_a_case(tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("club-password", "Reset your club password",
                                        RESET_GUIDE, "Choose a new password."))
    passage = first_passage(context, "how long does the reset link last")
    assert "(valid for 30 minutes)" in passage


BAKERY_GUIDE = """\
This guide explains how to order a cake from the bakery and pick it up.

## Order a cake

1. Open the order form on the bakery's website.
2. Choose the size and the flavour of the cake.
3. Click on Send the order.

Orders are answered by the baker within a day. Cakes are decorated in chocolate,
vanilla, strawberry or lemon cream.

## Pick up the cake

Come to the shop with the confirmation email; the cake waits in the fridge.
"""


@pytest.mark.parametrize("question", ["which creams are available",
                                      "what cake flavours can i get"])
def test_which_things_gets_the_sentence_that_names_them(tmp_path: Path,
                                                         question: str) -> None:
    # The answer names the members one after the other; the steps also say "flavour"
    # and "cake", but name none.
    context = help_center_of(tmp_path, ("order-a-cake", "Order a cake", BAKERY_GUIDE,
                                        "Order a cake and pick it up."))
    passage = first_passage(context, question)
    assert "chocolate, vanilla, strawberry or lemon cream" in passage.replace("\n", " ")


LOCKER_GUIDE = """\
This guide explains how to book a locker at the station for your luggage.

## Book a locker

1. Open the booking page of the station.
2. Choose the size of the locker.
3. Pay with a card.

A reminder is sent to you 2 hours before the booked locker opens.

## Booking ahead

Booking a locker ahead is free for members. You can book a locker up to 30 days in advance.
"""


@pytest.mark.parametrize("question", ["how early can i book a locker",
                                      "what is the maximum time ahead to book a locker"])
def test_a_question_for_a_limit_gets_the_limit_not_one_value(tmp_path: Path,
                                                             question: str) -> None:
    # Both sentences state a time about booking a locker; only one says how far the
    # booking can go ("up to"), which is what "how early" and "the maximum" ask.
    context = help_center_of(tmp_path, ("book-a-locker", "Book a locker", LOCKER_GUIDE,
                                        "Keep your luggage at the station."))
    passage = first_passage(context, question)
    assert "up to 30 days in advance" in passage
    assert "2 hours" not in passage


LEAVE_GUIDE = """\
This guide explains how employees ask for days off and how managers answer.

## Send a request (mobile app)

1. Open the app and tap Me.
2. Tap Time off, then New request.
3. Choose the type: Holiday, Sick or Unpaid.
4. Select the first and the last day.
5. Tap Send request.

## Send a request (web app)

1. Click your name and select Time off.
2. Fill in the type and the days.
3. Click Send request.

Note: holiday requests must be sent at least 7 days before the first day off. Sick
requests can be sent at any time, even on the same day.

## Swap a shift

You can cancel a swap request until a coworker accepts it. Open the shift and tap Cancel
swap.

Swaps must be requested at least 48 hours before the shift starts.
"""


@pytest.mark.parametrize(("question", "fact"), [
    ("can i request sick leave the same day", "even on the same day"),
    ("can employees ask for a holiday the day before", "at least 7 days before"),
    ("when is the latest i can request a swap", "at least 48 hours before"),
])
def test_a_question_of_whether_or_until_when_gets_the_time_allowed(tmp_path: Path,
                                                                   question: str,
                                                                   fact: str) -> None:
    # "can i … the same day" asks whether it may be done then, not for the steps; "the
    # latest" asks for the limit, not for any sentence with a time in it ("until").
    context = help_center_of(tmp_path, ("days-off", "Ask for days off", LEAVE_GUIDE,
                                        "Days off and swaps."))
    assert fact in first_passage(context, question)


SHOP_PLANS_GUIDE = """\
This guide compares the plans of the shop app and their prices.

## Compare the plans

The plans differ in what they include:

| | Free | Team | Business |
|---|---|---|---|
| Price | 0 USD | 4 USD per user | 7 USD per user |
| Employees | Up to 10 | Unlimited | Unlimited |
| Locations | 1 | Up to 5 | Unlimited |
| Time clock | No | Yes | Yes |
| Payroll export | No | Yes | Yes |
| Support | Email | Email and chat | Phone |

## Free trial

Every new company gets a 14-day free trial of the Business plan.
"""


def test_a_column_the_question_names_is_the_answer(tmp_path: Path) -> None:
    # The question names a plan, a column: the answer is what that plan includes, row by
    # row. (Introduced by a sentence ending with a colon, the table came out as its bare
    # first row, " | Free | Team | Business".)
    context = help_center_of(tmp_path, ("plans", "Plans and prices", SHOP_PLANS_GUIDE,
                                        "What each plan includes."))
    passage = first_passage(context, "what does the business plan include")
    assert "Business:\n- Price: 7 USD per user\n- Employees: Unlimited\n- Locations: Unlimited" \
        in passage
    assert "| Free" not in passage and "Team" not in passage


@pytest.mark.parametrize(("question", "cell"), [
    ("how many locations can i have on the team plan", "Locations — Team: Up to 5"),
    ("how much does the business plan cost", "Price — Business: 7 USD per user"),
    ("is the time clock included in the free plan", "Time clock — Free: No")])
def test_the_cell_where_the_named_row_and_column_meet_is_the_answer(
        tmp_path: Path, question: str, cell: str) -> None:
    # The question names a row ("locations", or "how much" for "Price") and a column
    # ("team"): the answer is the cell where they meet, said with both names; it was the
    # rows around the named one, each with every plan.
    context = help_center_of(tmp_path, ("plans", "Plans and prices", SHOP_PLANS_GUIDE,
                                        "What each plan includes."))
    passage = first_passage(context, question)
    assert passage.endswith(cell), passage
    assert "Unlimited" not in passage


SITE_BACKUP_GUIDE = """\
Every site is backed up each night, files and database.

## Restore a backup

Only the owner of the site can restore a backup.

1. Open Backups and choose the night to go back to.
2. Tick Files, Database or both: only what is ticked is restored.
3. Click Restore.
"""
REDIRECTION_GUIDE = """\
An address can deliver its messages elsewhere in two ways.

## Alias and redirection compared

- An alias is a second address that delivers into the same mailbox.
- A redirection forwards each message to another address, which can be hosted elsewhere
  (Gmail, Outlook.com, etc.).

## Set up a redirection

To forward the messages to another address:

1. Open the address and click the Redirections tab.
2. Click Add a redirection and enter the destination address.
3. Click Save.
"""
CAMPAIGN_GUIDE = """\
Newsletters reach the contacts who subscribed to them.

## Who can send newsletters

Only administrators of the account can send a newsletter.

## Send a newsletter

1. Open Newsletters and click New campaign.
2. Choose the list of contacts and write the message.
3. Click Send.
"""
# A guide whose steps answer a request, and another passage of it that words of the
# request once pulled the answer to: the question, the last step, what must not be said.
STEPS_NOT_ASIDES = [
    pytest.param(
        SITE_BACKUP_GUIDE,
        "the staff member's database got wiped yesterday, is there a way to get it back",
        "3. Click Restore.", "Only the owner",
        # Read as a question of who may (it names staff), it got the owner sentence.
        id="a role named in a long question is whose thing it is"),
    pytest.param(
        REDIRECTION_GUIDE, "forward my emails to gmail",
        "2. Click Add a redirection and enter the destination address.", "An alias is",
        # The comparison names Gmail and forwarding, but not how to forward.
        id="a comparison does not answer how to do one of the things"),
    pytest.param(
        CAMPAIGN_GUIDE, "send a newsletter to customers who signed up last month",
        "3. Click Send.", "Only administrators",
        # "customers who signed up" says which customers; it does not ask who may.
        id="who after the people it is about does not ask who"),
]


@pytest.mark.parametrize(("guide", "question", "step", "aside"), STEPS_NOT_ASIDES)
def test_the_steps_answer_a_request(tmp_path: Path, guide: str, question: str, step: str,
                                    aside: str) -> None:
    context = help_center_of(tmp_path, ("the-guide", "The guide", guide, "What it does."))
    passage = first_passage(context, question)
    assert step in passage and aside not in passage


PAYING_GUIDE = """\
Invoices can be paid in several ways.

## Can I pay by card or by bank transfer?

Yes: at checkout, choose Bank transfer and send the amount with the reference shown.

## Pay an invoice

1. Open Invoices.
2. Click Pay next to the invoice.
"""


RIDE_PRICES_GUIDE = """\
All prices include VAT.

## Price overview

| | Pay as you go | Day pass | Monthly pass |
|---|---|---|---|
| Price | Free | 9 EUR | 24 EUR every 30 days |
| Unlock fee | 1 EUR per ride | Included | Included |
| Classic bike | 0.20 EUR per minute | First 45 min included | First 45 min included |
| E-bike | 0.35 EUR per minute | 0.15 EUR per minute | 0.10 EUR per minute |
| Valid for | Each ride | 24 hours from purchase | 30 days |
"""


def test_a_column_is_said_whole_when_a_row_of_its_table_answers(tmp_path: Path) -> None:
    # The rows that hold most of the question are about bikes; the question asks for
    # a whole day, which only the column "Day pass" names: its price is the answer.
    context = help_center_of(tmp_path, ("ride-prices", "Ride prices", RIDE_PRICES_GUIDE,
                                        "What rides and passes cost."))
    passage = first_passage(context, "how much is it to use the bikes for a whole day")
    assert passage.startswith("Day pass:\n- Price: 9 EUR\n- Unlock fee: Included")
    assert "24 hours from purchase" in passage and "Pay as you go" not in passage


def test_a_table_row_answers_through_its_column_names_and_says_them(tmp_path: Path) -> None:
    # "Free" is only the name of a column: the row "Employees" answers through it, and
    # is said with the column's name, since a cell alone does not say what it is. (Both
    # named, the cell where they meet is the answer: the other plans are not asked.)
    context = help_center_of(tmp_path, ("plans", "Plans and prices", SHOP_PLANS_GUIDE,
                                        "What each plan includes."))
    passage = first_passage(context, "how many employees can i have on the free plan")
    assert passage.endswith("Employees — Free: Up to 10"), passage
    assert "14-day" not in passage
    # Only the row named, the row is said whole, with every column's name.
    assert "Employees — Free: Up to 10; Team: Unlimited; Business: Unlimited" in \
        first_passage(context, "how many employees can i add")


FAQ_GUIDE = """\
This page answers the questions people ask most about reminders.

## Can I get reminders by text message?

Yes, on the Gold plan only. Owners turn on SMS in Settings > Reminders > SMS, and each
member adds a mobile number to their profile. Each member can receive up to 50 texts a
month.

## Can I stop reminders at night?

Yes. Each member can set quiet hours in their profile.
"""


@pytest.mark.parametrize(("guide", "question", "opening"), [
    # The sentence that matches the question best is the second; the answer to the
    # heading's question ("Yes, on the Gold plan only.") is its first.
    pytest.param(FAQ_GUIDE, "can i get reminders by sms",
                 "Yes, on the Gold plan only. Owners turn on SMS", id="from its first words"),
    # "Can I pay by card or by bank transfer?" asks how, as the customer does: only a
    # heading made of the things weighed ("Pause or cancel?") compares.
    pytest.param(PAYING_GUIDE, "how do i pay by bank transfer",
                 "Yes: at checkout, choose Bank transfer", id="a heading with or asks too"),
])
def test_an_faq_answer_is_quoted(tmp_path: Path, guide: str, question: str,
                                 opening: str) -> None:
    context = help_center_of(tmp_path, ("the-faq", "The FAQ", guide, "Questions."))
    assert first_passage(context, question).startswith(opening)


BILLING_GUIDE = """\
This article explains how to change your plan, update your card and download invoices.

Only the account owner can view and change billing. Managers don't see the Billing page.

## Change your plan

1. Go to Settings > Billing.
2. Click Change plan.
"""


def test_what_the_guide_explains_is_not_quoted_with_a_fact_beside_it(tmp_path: Path) -> None:
    # The opening sentence holds "change" and "plan", but says what the article is
    # about: the answer is the fact after it, alone.
    context = help_center_of(tmp_path, ("billing", "Manage your subscription and billing",
                                        BILLING_GUIDE,
                                        "Plans, cards and invoices."))
    passage = first_passage(context, "who can change the subscription plan")
    assert passage.startswith("Only the account owner can view and change billing.")


def test_a_row_far_down_a_table_is_said_first_without_a_dangling_mark(tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("plans", "Plans and prices", SHOP_PLANS_GUIDE,
                                        "What each plan includes."))
    passage = first_passage(context, "is payroll export included")
    assert "Payroll export — Free: No; Team: Yes; Business: Yes" in passage
    # The rows before it are left out, and no mark says so where the names of the
    # columns (said with each row) would have been.
    assert "…\n" not in passage and not passage.startswith("…")


REFUNDS_GUIDE = """\
This article explains how to cancel the school's plan and get a refund.

## Who can cancel

Only school admins can cancel a plan or request a refund.

## Cancel the plan

1. Go to Admin > Billing > Subscription.
2. Click Cancel plan.

You receive a confirmation email right away. To undo a cancellation before the plan
ends, go to Admin > Billing > Subscription and click Resume plan.
"""


def test_a_menu_named_like_a_role_does_not_answer_who_can(tmp_path: Path) -> None:
    # "Admin > Billing > Subscription" is the way to a page: the sentence naming the
    # role answers "who can", not the one that goes through the Admin menu.
    context = help_center_of(tmp_path, ("refunds", "Cancel the plan and get a refund",
                                        REFUNDS_GUIDE, "Cancel and get a refund."))
    passage = first_passage(context, "who can cancel our subscription")
    assert passage.startswith("Only school admins can cancel a plan")



ENROL_GUIDE = """\
This article explains how a teacher creates a course and fills it with students.

## Create a course

Teachers create courses. Students can't create courses; they can only join courses
their teachers share with them.

## Enrol students

There are two ways to get students into a course:

- Class code: open the course and click People > Class code. Students enter the code
  under Join a course.
- Invite by email: click People > Invite students and enter their addresses.
"""


def test_how_do_i_gets_the_instruction_not_the_rule_with_the_same_words(
        tmp_path: Path) -> None:
    # Both say "students", "join" and "course"; a customer asking how gets told what
    # to do, even when the way to do it is one of a bulleted list of ways.
    context = help_center_of(tmp_path, ("create-a-course", "Create a course", ENROL_GUIDE,
                                        "Courses and the students in them."))
    passage = first_passage(context, "how do students join my course")
    assert "open the course and click People > Class code" in passage
    assert "they can only join" not in passage


VIDEO_GUIDE = """\
This article explains how to add videos to a lesson.

## Upload a video

- Upload MP4 or WebM files of up to 2 GB per video.
- After uploading, each video is converted for streaming.

Tip: If a video is bigger than 2 GB, split it into shorter videos. Shorter videos are
also easier to watch on a phone.
"""


@pytest.mark.parametrize("question", ["is there a cap on the videos i upload",
                                      "are uploaded videos limited in size"])
def test_a_question_of_a_cap_gets_the_limit(tmp_path: Path, question: str) -> None:
    # "a cap", "limited": the question asks for the limit, which "up to" states; the tip
    # saying what to do above it, with "videos" twice, is not that.
    context = help_center_of(tmp_path, ("add-videos", "Add videos to a lesson", VIDEO_GUIDE,
                                        "Videos in lessons."))
    assert "up to 2 GB per video" in first_passage(context, question)


SWAP_GUIDE = """\
Can't make it to a shift? Offer it to a coworker instead of calling around.

## Request a swap

1. Tap Schedule and open the shift you want to give away.
2. Tap Swap shift.
3. Select one or more coworkers and tap Send.

## Cancel a swap

You can cancel a swap request until a coworker accepts it. Open the shift and tap Cancel
swap.
"""


def test_an_instruction_for_another_task_does_not_answer_how(tmp_path: Path) -> None:
    # "Open the shift and tap Cancel swap" is an instruction with both words of the
    # question, under a heading that names another task ("Cancel a swap"): the steps of
    # the swap answer "how do I swap a shift".
    context = help_center_of(tmp_path, ("swap-a-shift", "How do I swap a shift?", SWAP_GUIDE,
                                        "Give a shift to a coworker."))
    passage = first_passage(context, "how do i swap a shift")
    assert "2. Tap Swap shift." in passage
    assert "Cancel swap" not in passage
    # Asked for, the other task is still found.
    assert "tap Cancel swap" in first_passage(context, "how do i cancel a swap")


REFUND_TABLE_GUIDE = """\
How long you have to ask for your money back depends on what you bought.

## Refund windows

| Product | Refund window |
| --- | --- |
| Annual plan | 14 days |
| Two-year plan | 30 days |
| Domain name | 5 days |
| Add-on storage | 14 days |
| Email pack | 7 days |
| Setup service | 3 days |
| Gift card | 10 days |
| Monthly plan | None, cancel any time |
"""


def test_the_row_the_question_names_answers_not_a_row_with_the_kind(tmp_path):
    # "on the monthly plan" names a row; the rows with a number of days carry the kind
    # of answer "how long" asks for, but they are other products' windows.
    context = help_center_of(tmp_path, ("refund-windows", "Refund windows",
                                        REFUND_TABLE_GUIDE, "When refunds are possible."))
    passage = first_passage(context, "how long is the refund window on the monthly plan")
    assert "Monthly plan | None, cancel any time" in passage, passage


FAMILY_GUIDE = """\
A family shares one album and one bill.

## Leave a family

Members can leave at any time from Settings > Family > Leave. Their photos stay theirs.

## Delete the family account (organisers only)

Only the organiser can delete the family account. Members can't.

1. Download the photos you want to keep.
2. Open Settings > Family.
3. Click Delete family at the bottom of the page.
4. Type the family name and click Delete permanently.
"""


def test_the_steps_under_the_task_answer_how_after_a_word_of_who_may(tmp_path):
    # The sentence of who may delete it says "delete the family account" word for word;
    # the steps under the heading that names the task are how to do it.
    context = help_center_of(tmp_path, ("family", "Family accounts", FAMILY_GUIDE,
                                        "One album and one bill."))
    passage = first_passage(context, "how do i delete my account")
    assert "3. Click Delete family at the bottom of the page." in passage, passage


LABEL_GUIDE = """\
Labels help you find things.

## Add a label to a photo

To do this:

1. Open the photo.
2. Tap Label and pick a colour.

## Rename a label

Here's how:

1. Open Labels.
2. Tap the label, then Rename.
"""


def test_steps_introduced_by_to_do_this_are_led_by_their_heading(tmp_path):
    # "To do this:" says what the steps do only through the heading above it, which the
    # answer does not show: read alone, "To do this: 1. Open the photo." says nothing.
    context = help_center_of(tmp_path, ("labels", "Labels", LABEL_GUIDE, "Label photos."))
    assert first_passage(context, "how do i add a label to a photo").startswith(
        "Add a label to a photo:\n1. Open the photo.")
    assert first_passage(context, "how do i rename a label").startswith(
        "Rename a label:\n1. Open Labels.")


REPORTS_GUIDE = """\
Download the revenue of your shop as a spreadsheet.

## Who can export revenue

- **Owners** can export the report of every shop.
- **Staff** can export the report of the shop they work in.
- Customers cannot export reports. They see their own spending under My revenue.

## Export the report of one shop (staff)

1. Open the shop and click Reports.
2. Click Export in the top-right corner.
3. Choose Excel or CSV and click Download.
"""


def test_how_do_i_gets_the_steps_not_who_may_do_it(tmp_path):
    # "Who can export revenue" says the question's words in every item; the steps under
    # "Export the report of one shop" are how to do it. Asked who may, the rights answer.
    context = help_center_of(tmp_path, ("export-revenue", "Export your revenue",
                                        REPORTS_GUIDE, "Revenue as a spreadsheet."))
    passage = first_passage(context, "how do i export revenue")
    assert "2. Click Export in the top-right corner." in passage, passage
    assert "Owners" in first_passage(context, "who can export revenue")


ADDRESS_GUIDE = """\
Save the places you ship to, so checkout takes one tap.

## Add an address

1. Open Account and tap Addresses.
2. Tap New address and fill in the street, city and postcode.
3. Tap Save address.

## Manage your addresses

1. Open Account and tap Addresses.
2. Tap the address, then Edit to correct it or Remove to forget it.
3. Drag an address to the top to make it the default.
"""


def test_a_heading_that_manages_is_a_task_of_its_own(tmp_path: Path) -> None:
    # "Manage your addresses" names a task as "Add an address" does: asked for, its
    # steps answer; the steps that add one do another task with the same words.
    context = help_center_of(tmp_path, ("saved-addresses", "Saved addresses", ADDRESS_GUIDE,
                                        "Addresses you ship to."))
    passage = first_passage(context, "how do i manage my saved addresses")
    assert "Drag an address to the top" in passage, passage
    assert "Tap New address" not in passage, passage
    assert "Tap New address" in first_passage(context, "how do i add an address")


PARENTS_GUIDE = """\
Parents follow their child's progress with their own account.

## What parents can see and do

Parents can:

- see grades and teacher feedback for all of their child's courses
- see upcoming assignments and late work
- download their child's certificates

Parents can't submit work, change grades, see other students or take part in class
discussions.
"""


def test_a_list_item_is_read_with_the_short_sentence_it_completes(tmp_path: Path) -> None:
    # "see grades …" completes "Parents can:": it says all the question asks, as the
    # sentence of what parents cannot do ("change grades, see other students") does
    # word for word, but that one says something else.
    context = help_center_of(tmp_path, ("parent-accounts", "Parent accounts", PARENTS_GUIDE,
                                        "Accounts for parents."))
    passage = first_passage(context, "can parents see grades")
    assert passage.startswith("Parents can:\n- see grades and teacher feedback"), passage


CLOCK_GUIDE = """\
Employees record their hours with a PIN on the shop's tablet.

## Clock in with a PIN

1. On the tablet, tap your name.
2. Enter your 4-digit PIN and tap Clock in.

## Clock out and breaks

Tap Start break and End break during your shift, then tap Clock out when you leave.
"""


def test_what_to_do_around_the_task_does_not_answer_how(tmp_path: Path) -> None:
    # A paragraph that says what to do later ("then tap Clock out when you leave") is
    # no answer to "how do I clock in"; the steps of clocking in are.
    context = help_center_of(tmp_path, ("clock-in", "Clock in and out", CLOCK_GUIDE,
                                        "Record your hours."))
    passage = first_passage(context, "how do i clock in")
    assert "Enter your 4-digit PIN and tap Clock in" in passage
    assert "Start break" not in passage


CANCEL_GUIDE = """\
This article explains how to cancel the school's plan.

## How to cancel

1. Go to Admin > Billing > Subscription.
2. Click Cancel plan.
3. Click Confirm cancellation.

You receive a confirmation email right away. To undo a cancellation before the plan ends,
go to Admin > Billing > Subscription and click Resume plan.
"""


def test_a_sentence_for_another_purpose_does_not_answer_how(tmp_path: Path) -> None:
    # "To undo a cancellation, go to … Subscription" holds both words of "cancel my
    # subscription" in one sentence, but says how to undo it: the steps answer.
    context = help_center_of(tmp_path, ("cancel-the-plan", "Cancel the plan", CANCEL_GUIDE,
                                        "Cancel the school's plan."))
    passage = first_passage(context, "cancel my subscription")
    assert "2. Click Cancel plan." in passage
    assert "Resume plan" in first_passage(context, "how do i undo a cancellation")


REFUND_GUIDE = """\
This article explains when you get your money back and how to ask for it.

## 30-day refund period

If you cancel within 30 days of buying the plan, you get a full refund of that payment.
After 30 days, we don't refund the current billing year. Extra charges can also be
refunded within 30 days.

## How to request a refund

1. Go to Admin > Billing > Subscription.
2. Click Cancel plan and tick Request a refund.
3. Archive the students you no longer need.

## How long refunds take

Refunds are processed within 5 to 10 business days and are paid back to the original
payment method.

## Deadlines

Requests for a refund must reach us at least 7 days before the renewal date. A request
shows as Pending until our billing team answers it.
"""


@pytest.mark.parametrize("question", ["my refund hasn't arrived",
                                      "still haven't received the refund",
                                      "why is my refund taking so long"])
def test_waiting_for_something_gets_the_time_it_takes(tmp_path: Path, question: str) -> None:
    # Someone waiting asks how long it takes: "processed within 5 to 10 business days",
    # not the time of a condition ("if you cancel within 30 days"), a point in time
    # ("after 30 days", "7 days before the renewal date") or the steps of asking again.
    context = help_center_of(
        tmp_path, ("refunds", "Refunds", REFUND_GUIDE, "Getting your money back."),
        ("invoices", "Invoices", "## Invoices\n\nYou receive an invoice by email every "
         "month. Download it from Admin > Billing.\n", "Invoices."),
        ("courses", "Courses", "## Create a course\n\n1. Click Courses > New course.\n"
         "2. Click Save.\n", "Courses."))
    passage = first_passage(context, question)
    assert passage.startswith("Refunds are processed within 5 to 10 business days"), passage
    # "arrived", "received": the customer's everyday words for it, no unknown topic.
    assert context.search.search(question).confident is True


TIME_OFF_GUIDE = """\
Employees ask for days off from the app; their manager approves or declines them.

## Send a request

Vacation requests must be sent at least 7 days before the first day off.

Your request shows as Pending until a manager responds. You get a notification when it is
approved or declined.
"""


def test_waiting_without_a_time_taken_is_not_answered_by_a_deadline(tmp_path: Path) -> None:
    # "7 days before the first day off" is a time counted from an event, not how long
    # the wait is: what "Pending" means answers.
    context = help_center_of(tmp_path, ("time-off", "Request time off", TIME_OFF_GUIDE,
                                        "Days off."))
    passage = first_passage(context, "my time off request is still pending")
    assert passage.startswith("Your request shows as Pending until a manager responds"), passage
