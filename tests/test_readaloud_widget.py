"""The chat's answers as a customer sees them in the widget, in a real Chromium at desktop
and phone width: the choices a step offers sit inside that step, and where the answer
comes from reads as words; a web address written in a step is a link, an email address
is not."""

from __future__ import annotations

import pytest

from tests.test_widget_browser import (  # noqa: F401
    answer_on_demo,
    chromium_page,
    shot,
    site,
)
from tests.widget_support import site_fixture

pytestmark = pytest.mark.browser
# The answer quotes step 3, "When asked for additional authentication, click on the
# alternative methods:", and its two choices (emergency codes, or asking for help).
LOST_PHONE = "i lost my phone with the authenticator app"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_choices_of_a_step_are_shown_inside_that_step(chromium_page, site,  # noqa: F811
                                                          width):
    page, answer = answer_on_demo(chromium_page, site, LOST_PHONE, width)
    step = answer.locator("ol > li", has_text="alternative methods")
    assert step.count() == 1
    choices = step.locator("ul li")
    assert choices.count() == 2 and "emergency codes" in choices.first.inner_text()
    # Indented under the step's own text, not a list of their own beside the steps.
    step_box = step.bounding_box()
    choice_box = choices.first.bounding_box()
    assert step_box and choice_box and choice_box["x"] > step_box["x"]
    source = answer.locator("a.guide-link")
    assert "›" in source.inner_text() and '"' not in source.inner_text()
    answer.scroll_into_view_if_needed()
    shot(page, f"readaloud-choices-{width}")


def test_a_web_address_written_in_a_step_can_be_clicked(chromium_page, site):  # noqa: F811
    # "Go to the connection security management page: manager.infomaniak.com/2fa": the
    # guide writes the address out; the customer should not have to copy it.
    page, answer = answer_on_demo(chromium_page, site, "how do i delete my kauth account")
    address = answer.locator("a.passage-link", has_text="manager.infomaniak.com/2fa")
    assert address.count() == 1
    assert address.get_attribute("href") == "https://manager.infomaniak.com/2fa"
    # The sentence around it keeps its words: "(manager.infomaniak.com) from a web browser".
    assert "(manager.infomaniak.com) from a web browser" in answer.inner_text()
    address.scroll_into_view_if_needed()
    shot(page, "readaloud-address-390")


# A guide of its own, where a step gives both a support address to write to and a page.
MAIL_GUIDE = ("lantern-support", "Reach the lantern repair desk",
              "## Send a lantern for repair\n\n"
              "1. Write to repairs@desk.lantern-example.com with the serial number.\n"
              "2. Print the label from desk.lantern-example.com/labels and post the lantern.\n")


mail_site = site_fixture("mail-widget", MAIL_GUIDE)


def test_an_email_address_is_not_made_a_web_link(chromium_page, mail_site):  # noqa: F811
    page, answer = answer_on_demo(chromium_page, mail_site,
                                  "how do i send my lantern for repair")
    # The page is a link; the domain of the email address is not a page to open.
    links = answer.locator("a.passage-link")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://desk.lantern-example.com/labels"
    assert "Write to repairs@desk.lantern-example.com with the serial number." in (
        answer.inner_text())
    answer.scroll_into_view_if_needed()
    shot(page, "readaloud-email-390")
