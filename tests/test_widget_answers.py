"""The chat's answers in the widget, in a real Chromium at phone width: the passage as a
list of steps, its links as links, where it comes from, and "Did that help?"."""

from __future__ import annotations

import pytest

from tests.test_widget_browser import (  # noqa: F401
    W,
    answer_on_demo,
    choose,
    chromium_page,
    shot,
    site,
)

pytestmark = pytest.mark.browser


def test_an_answer_reads_as_steps_with_its_source(chromium_page, site):  # noqa: F811
    page, answer = answer_on_demo(chromium_page, site, "how do i add a client as a reseller")
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
    page, answer = answer_on_demo(chromium_page, site,
                                  "what must I do before changing my phone with kauth")
    link = answer.locator("a.passage-link")
    assert link.count() == 1 and link.inner_text() == "this guide"
    assert link.get_attribute("href").endswith("/guides/kauth-remove-account")
    shot(page, "answer-link-390")
    choose(page, "No")
    last = page.locator(f"{W} .msg-bot").last
    assert "Maybe one of these guides" in last.inner_text()
    assert page.locator(f"{W} .choice", has_text="Talk to a person").last.is_visible()
    shot(page, "answer-no-390")
