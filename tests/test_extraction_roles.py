"""A question naming who asks ("as an employee") is answered by the steps written for
that role, under a heading that continues its parent's ("… as a collaborator"), rather
than by a sentence that merely mentions rights."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import Context
from tests.conftest import first_passage, help_center_of

REPORTS_GUIDE = """\
This guide explains how to read the sales reports of a shop.

## Prerequisites

- Only the owners of the shop are allowed to delete reports.

## Open the shop's reports

The reports show the access rights that each person was given when they opened them.

### ... as the owner of the shop

1. Log in to the dashboard.
2. Click on Reports in the sidebar.

### ... as a collaborator of the shop

1. Log in to the dashboard.
2. Click on the shop switcher at the top of the sidebar.
3. Click on Shared reports.
"""


@pytest.fixture
def search(tmp_path: Path) -> Context:
    return help_center_of(tmp_path, ("shop-reports", "Read the sales reports", REPORTS_GUIDE,
                                     "Where the sales reports are and who sees them."))


def test_the_steps_for_the_role_named_answer(search: Context) -> None:
    passage = first_passage(search, "who can open the reports as an employee")
    assert "3. Click on Shared reports." in passage
    # Said whole: whose steps these are, then the steps.
    assert passage.startswith("Open the shop's reports as a collaborator of the shop:")


def test_who_may_without_a_role_still_gets_the_rule(search: Context) -> None:
    passage = first_passage(search, "who is allowed to delete reports")
    assert "Only the owners of the shop are allowed to delete reports." in passage


def test_without_being_asks_who_may_and_a_lone_rule_reads_as_a_sentence(
        search: Context) -> None:
    question = "can i delete a report without being the owner"
    passage = first_passage(search, question)
    # The rule, as a sentence: a list of one item is not shown as a lone bullet.
    assert passage == "Only the owners of the shop are allowed to delete reports."


MEMBERS_GUIDE = """\
This guide explains how to manage the members of a club.

## Add a member

1. Log in to the club dashboard.
2. Click the blue Add button at the top right of the member list.
3. Enter the name of the new member and confirm.

## Member rights

A new member can book courts and see the calendar; only the board can change fees.
"""


def test_a_place_on_the_page_is_not_a_right(tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("club-members", "Manage the club members",
                                        MEMBERS_GUIDE, "Add members and know what they may do."))
    passage = first_passage(context, "what rights does a new member get")
    assert "book courts" in passage
    assert "top right" not in passage


INVITE_GUIDE = """\
This guide explains how to invite a new member to the club.

## Prerequisites

- Be an administrator of the club.
- Know the email address of the person to invite.

## Invite a member

1. Log in to the club dashboard.
2. Click on Members in the sidebar.
3. Enter the email address of the person to invite.
4. Choose the role of the new member (see below).
5. Click on Send the invitation.

## Roles

- Player: books courts.
- Captain: books courts and manages a team.
"""


def test_who_can_is_answered_by_who_not_by_a_step_mentioning_a_role(
        tmp_path: Path) -> None:
    context = help_center_of(tmp_path, ("club-invite", "Invite a new member", INVITE_GUIDE,
                                        "Invite someone to the club."))
    passage = first_passage(context, "who can invite members")
    assert "Be an administrator of the club." in passage
    assert "Click on Send the invitation" not in passage


QUIZ_GUIDE = """\
Teachers build quizzes that grade themselves.

## Results

If Show results is set to After due date, students see their score only once the due
date has passed.

## Give a student another try

To let a student try again, open Submissions, click the student's name and click Allow
another attempt.
"""


def test_only_a_time_is_no_restriction_to_a_role(tmp_path: Path) -> None:
    # "can a student …" asks whether a student may: "only once the due date has passed"
    # restricts when, not who, and is no rule of who may.
    context = help_center_of(tmp_path, ("quizzes", "Quizzes", QUIZ_GUIDE, "Quizzes."))
    passage = first_passage(context, "can a student redo a quiz")
    assert "Allow another attempt" in passage, passage
    assert "only once" not in passage
