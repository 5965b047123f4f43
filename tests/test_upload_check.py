"""A picture over the upload limit is refused in the browser, before it is sent, by the
widget and by the wizard page, in a sentence that gives the limit in MB; the step stays
where it was. The limit comes from the server: this site sets a small request limit
(`max_request_bytes`), and the sentences give the limits that follow from it, which
differ between the wizard (a form upload) and the chat (the picture travels as base64
inside a JSON message).

Screenshots at 1280 and 390 px: tests/artifacts/screenshots/upload-check-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser_support import DEMO_SLUG, LiveServer, build_app, make_site, png
from tests.test_site_browser import _to_the_picture
from tests.test_widget_browser import (  # noqa: F401
    PASSWORD,
    W,
    ask,
    bot_count,
    choose,
    chromium_page,
    shot,
    wait_answer,
)

pytestmark = pytest.mark.browser
REQUEST_LIMIT = 1_520_000
CHAT_SAYS = ("This file is too large: pictures up to 1.1 MB can be uploaded. Please choose "
             "a smaller one.")
WIZARD_SAYS = "This file is too large: pictures up to 1.5 MB can be uploaded."
# Over each limit: 1.1 MB in the chat, 1.5 MB in the wizard.
BIG = {"name": "holiday.png", "mimeType": "image/png", "buffer": b"\x89PNG" + b"0" * 1_200_000}
BIGGER = {**BIG, "buffer": b"\x89PNG" + b"0" * 1_600_000}
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = make_site(tmp_path_factory.mktemp("upload-check"))
    settings = settings.model_copy(update={"max_request_bytes": REQUEST_LIMIT})
    live = LiveServer(build_app(settings, testing=False))
    yield live
    live.stop()


def posts(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def to_the_picture_in_the_chat(page, server) -> None:
    page.goto(f"{server.url}/guides/{DEMO_SLUG}")
    page.click(f"{W} .launcher")
    page.locator(f"{W} #kbw-input").wait_for()
    page.evaluate(f"KBWidget.startProcedure('{DEMO_SLUG}')")
    page.locator(f"{W} .choice", has_text="Change it for me").wait_for()
    choose(page, "Change it for me")
    for value in ("Ada", "Lovelace", PASSWORD):
        ask(page, value)
    for label in ("Confirm", "Yes, upload a picture", "Confirm"):
        choose(page, label)
    page.locator(f"{W} #kbw-file").wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_widget_refuses_a_picture_over_the_limit_before_sending_it(chromium_page,  # noqa: F811
                                                                      server, width):
    page = chromium_page(viewport={"width": width, "height": 900}).page
    to_the_picture_in_the_chat(page, server)
    assert page.inner_text(f"{W} #kbw-help").endswith("Pictures up to 1.1 MB."), \
        "the limit is stated first"
    step = page.locator(f"{W} .msg-step").last.inner_text()
    replies = bot_count(page)
    sent = posts(page)

    page.set_input_files(f"{W} #kbw-file", files=[BIG])
    check = page.locator(f"{W} #kbw-check")
    assert check.inner_text() == CHAT_SAYS, "said as soon as the file is chosen"
    assert page.get_attribute(f"{W} #kbw-file", "aria-invalid") == "true"
    assert "kbw-check" in page.get_attribute(f"{W} #kbw-file", "aria-describedby")
    page.get_by_role("button", name="Send picture").click()
    assert check.is_visible() and sent == [], "nothing was uploaded"
    assert bot_count(page) == replies and page.locator(f"{W} .msg-step").last.inner_text() == step
    assert page.locator(f"{W} #kbw-file").is_visible(), "the step is still asking for it"
    shot(page, f"upload-check-{width}")

    # A picture within the limit goes through, and the sentence goes away.
    page.set_input_files(f"{W} #kbw-file", files=[{"name": "me.png", "mimeType": "image/png",
                                                   "buffer": png()}])
    assert check.is_hidden()
    page.get_by_role("button", name="Send picture").click()
    wait_answer(page, replies)
    assert "Your profile picture is set" in page.inner_text(f"{W} .log")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_wizard_page_refuses_a_picture_over_the_limit_before_sending_it(chromium, server,
                                                                           width):
    context = chromium.new_context(base_url=server.url,
                                   viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _to_the_picture(page)
        step_url, heading = page.url, page.inner_text("h1")
        assert "up to 1.5 MB" in page.inner_text("form.step"), "the limit is stated first"
        sent = posts(page)
        page.set_input_files("#value", files=[BIGGER])
        assert page.inner_text("#value-check") == WIZARD_SAYS
        page.get_by_role("button", name="Continue").click()
        assert sent == [] and page.url == step_url and page.inner_text("h1") == heading
        assert page.locator("#value-check").is_visible()
        page.screenshot(path=str(_shots() / f"upload-check-wizard-{width}.png"), full_page=True)
    finally:
        context.close()


def _shots():
    from tests.browser_support import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
