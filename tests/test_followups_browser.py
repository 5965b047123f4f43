"""Follow-up suggestions in the widget, in a real Chromium: under "Did that help?" the
widget offers other questions the answering guide answers, as labelled buttons reachable
with the keyboard; pressing one asks it, and the guide answers it.

Screenshots at 1280 and 390 px: tests/artifacts/screenshots/widget-followups-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser_support import LiveServer, build_app, make_site
from tests.test_followups import sharing_guide
from tests.test_widget_browser import W, ask, bot_count, chromium_page, shot, wait_answer  # noqa: F401

pytestmark = pytest.mark.browser
QUESTION = "how can I give someone a link to my kdrive folder"
MORE = "You might also ask:"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = make_site(tmp_path_factory.mktemp("followups-browser"))
    sharing_guide(settings.guides)
    live = LiveServer(build_app(settings, testing=False))
    yield live
    live.stop()


def open_chat(page, server) -> None:
    """The chat on one of the help center's own pages."""
    page.goto(server.url + "/guides/kdrive-share-folder")
    page.click(f"{W} .launcher")
    page.locator(f"{W} #kbw-input").wait_for()


@pytest.mark.parametrize("width", [1280, 390])
def test_suggestions_show_under_did_that_help_and_pressing_one_asks_it(chromium_page,  # noqa: F811
                                                                      server, width):
    page = chromium_page(viewport={"width": width, "height": 900}).page
    open_chat(page, server)
    ask(page, QUESTION)
    feedback = page.locator(f"{W} .msg-feedback")
    assert "Did that help?" in feedback.inner_text()
    group = page.get_by_role("group", name=MORE)
    # Under "Did that help?": in the same message, after its Yes / No.
    assert feedback.locator(".suggestions").count() == 1
    offered = group.get_by_role("button")
    assert 2 <= offered.count() <= 3
    questions = offered.all_inner_texts()
    assert all(q.endswith("?") for q in questions), questions
    below = group.bounding_box()
    no = feedback.locator(".choice", has_text="No").bounding_box()
    assert below is not None and no is not None and below["y"] > no["y"]
    shot(page, f"followups-{width}")

    # The keyboard reaches them like any button, and Enter asks the question.
    pressed = questions[0]
    offered.first.focus()
    before = bot_count(page)
    page.keyboard.press("Enter")
    wait_answer(page, before)
    mine = page.locator(f"{W} .msg-user").last
    assert mine.inner_text().endswith(pressed)
    answer = page.locator(f"{W} .msg-answer").last
    source = answer.locator("a.guide-link")
    assert "/guides/kdrive-share-folder#" in source.get_attribute("href")
    assert "I don't know" not in answer.inner_text()
    # The answer brings its own suggestions; the question just asked is not one of them.
    assert pressed not in page.get_by_role("group", name=MORE).get_by_role("button") \
        .all_inner_texts()
    assert page.locator(f"{W} .suggestions").count() == 1, "earlier suggestions go away"
    shot(page, f"followups-pressed-{width}")
