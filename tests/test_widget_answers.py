"""The chat's answers in the widget, in a real Chromium at phone width: the passage as a
list of steps, its links as links, where it comes from, and "Did that help?"."""

from __future__ import annotations

import pytest

from tests.test_widget_browser import (  # noqa: F401
    W,
    ask,
    choose,
    chromium_page,
    load_demo,
    open_panel,
    shot,
    site,
)

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}}


def test_an_answer_reads_as_steps_with_its_source(chromium_page, site):  # noqa: F811
    page = chromium_page(**PHONE).page
    load_demo(page, site)
    open_panel(page)
    ask(page, "how do i add a client as a reseller")
    answer = page.locator(f"{W} .msg-answer")
    steps = answer.locator("ol li")
    assert steps.count() >= 4 and "Reseller Space" in answer.inner_text()
    source = answer.get_by_role("link", name="Add a managed client to your Partner account",
                                exact=False)
    assert source.get_attribute("href").endswith("/guides/partner-add-managed-client"
                                                 "#add-a-managed-client")
    assert "Did that help?" in page.locator(f"{W} .msg-feedback").inner_text()
    shot(page, "answer-steps-390")


def test_a_link_in_the_passage_is_a_link_and_no_offers_another_guide(chromium_page,  # noqa: F811
                                                                     site):  # noqa: F811
    page = chromium_page(**PHONE).page
    load_demo(page, site)
    open_panel(page)
    ask(page, "what must I do before changing my phone with kauth")
    answer = page.locator(f"{W} .msg-answer")
    link = answer.locator("a.passage-link")
    assert link.count() == 1 and link.inner_text() == "this guide"
    assert link.get_attribute("href").endswith("/guides/kauth-remove-account")
    shot(page, "answer-link-390")
    choose(page, "No")
    last = page.locator(f"{W} .msg-bot").last
    assert "Maybe one of these guides" in last.inner_text()
    assert page.locator(f"{W} .choice", has_text="Talk to a person").last.is_visible()
    shot(page, "answer-no-390")
