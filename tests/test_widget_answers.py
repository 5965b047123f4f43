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
from tests.widget_support import site_fixture

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
    # One other guide comes close: it is named as one, not as "one of these".
    assert "Maybe this guide answers your question." in last.inner_text()
    assert page.locator(f"{W} .choice", has_text="Talk to a person").last.is_visible()
    shot(page, "answer-no-390")


PLANS = """This guide compares the zorblax hosting plans.

## Zorblax plans

| Plan | Storage | Websites | Price per month |
| --- | --- | --- | --- |
| Starter | 10 GB | 1 | 5.00 |
| Professional | 250 GB | 20 | 12.00 |
| Business | 1 TB | unlimited | 25.00 |
"""


plans_site = site_fixture("plans", ("zorblax-plans", "Zorblax hosting plans", PLANS))


def test_a_table_in_an_answer_is_a_table_on_a_phone(chromium_page, plans_site):  # noqa: F811
    # Rows read as "Starter | 10 GB | 1 | 5.00" say nothing about what "1" is: the
    # answer's table is a table, its first row naming the columns, and no word is broken
    # to fit a phone (a wide table scrolls instead).
    page, answer = answer_on_demo(chromium_page, plans_site,
                                  "how much storage do the zorblax plans have")
    table = answer.locator("table")
    assert table.count() == 1, answer.inner_text()
    headers = table.locator("th").all_inner_texts()
    assert headers == ["Plan", "Storage", "Websites", "Price per month"]
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tr").all()[1:]]
    assert ["Professional", "250 GB", "20", "12.00"] in rows
    assert " | " not in answer.inner_text()
    # Each word stays whole: a one-word cell ("Professional") is laid out on one line.
    broken = page.evaluate("""() => [...document.querySelector('kb-widget').shadowRoot
        .querySelectorAll('.msg-answer td, .msg-answer th')]
        .filter(c => !/\\s/.test(c.textContent.trim()))
        .filter(c => { const r = document.createRange(); r.selectNodeContents(c);
                       return r.getClientRects().length > 1; })
        .map(c => c.textContent)""")
    assert broken == []
    # A screen reader hears the rows as lists of cells, not "Starter bar 10 GB bar …".
    page.wait_for_function("""() => document.querySelector('kb-widget').shadowRoot
        .querySelector('[aria-live=polite]').textContent.includes('Professional, 250 GB')""")
    spoken = page.evaluate("""() => document.querySelector('kb-widget').shadowRoot
        .querySelector('[aria-live=polite]').textContent""")
    assert "|" not in spoken
    shot(page, "answer-table-390")
