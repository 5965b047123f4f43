"""A question naming who asks ("as an employee") is answered by the steps written for
that role, under a heading that continues its parent's ("… as a collaborator"), rather
than by a sentence that merely mentions rights."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.context import Context
from kb.settings import Settings
from tests.conftest import write_guide

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
    guides = tmp_path / "guides"
    guides.mkdir()
    write_guide(guides, "shop-reports", REPORTS_GUIDE, title="Read the sales reports",
                summary="Where the sales reports are and who sees them.")
    return Context(Settings(guides=guides, data=tmp_path / "data"))


def test_the_steps_for_the_role_named_answer(search: Context) -> None:
    passage = search.search.search("who can open the reports as an employee").results[0].passage
    assert "3. Click on Shared reports." in passage
    # Said whole: whose steps these are, then the steps.
    assert passage.startswith("Open the shop's reports as a collaborator of the shop:")


def test_who_may_without_a_role_still_gets_the_rule(search: Context) -> None:
    passage = search.search.search("who is allowed to delete reports").results[0].passage
    assert "Only the owners of the shop are allowed to delete reports." in passage


def test_without_being_asks_who_may_and_a_lone_rule_reads_as_a_sentence(
        search: Context) -> None:
    question = "can i delete a report without being the owner"
    passage = search.search.search(question).results[0].passage
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
    guides = tmp_path / "guides"
    guides.mkdir()
    write_guide(guides, "club-members", MEMBERS_GUIDE, title="Manage the club members",
                summary="Add members and know what they may do.")
    context = Context(Settings(guides=guides, data=tmp_path / "data"))
    passage = context.search.search("what rights does a new member get").results[0].passage
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
    guides = tmp_path / "guides"
    guides.mkdir()
    write_guide(guides, "club-invite", INVITE_GUIDE, title="Invite a new member",
                summary="Invite someone to the club.")
    context = Context(Settings(guides=guides, data=tmp_path / "data"))
    passage = context.search.search("who can invite members").results[0].passage
    assert "Be an administrator of the club." in passage
    assert "Click on Send the invitation" not in passage
