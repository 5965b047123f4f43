"""The support widget in a real Chromium, embedded in a host page of another origin.

The demo host page is opened as http://localhost:PORT and the widget comes from
http://127.0.0.1:PORT (`tests/widget_support.py`), so every API call is a cross-origin
request under the host page's own Content-Security-Policy. Covered: a question answered
with a link to its guide, a guided procedure walked through with the buttons and kept
across a reload, the keyboard alone, no focus taken on load, a hostile host stylesheet,
a phone screen, a retry after a lost answer applied once, secret and picture fields, the
JavaScript API and its queue, and the widget on the site's own pages.

Screenshots are written to tests/artifacts/screenshots/widget-*.png for a person to look at.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser_support import DEMO_SLUG, SCREENSHOTS, png
from tests.widget_support import HostPage, WidgetSite, focused

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000
QUESTION = "how do I remove the kauth app"
PASSWORD = "demo-Password-2026"
W = "kb-widget"  # Playwright's CSS selectors go through the widget's (open) shadow root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    live = WidgetSite(tmp_path_factory.mktemp("widget"))
    yield live
    live.stop()


class Browser:
    """One browser context (its own storage) and its page, with what went wrong in it."""

    def __init__(self, chromium, **options):
        self.context = chromium.new_context(**{"viewport": {"width": 1280, "height": 900},
                                               **options})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console",
                     lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("request", lambda r: self.requests.append(f"{r.method} {r.url}"))


@pytest.fixture
def chromium_page(chromium):
    made: list[Browser] = []

    def make(**options) -> Browser:
        made.append(Browser(chromium, **options))
        return made[-1]

    yield make
    for browser in made:
        browser.context.close()
    # A Content-Security-Policy violation, a CORS refusal or a script error shows up here.
    assert [p for b in made for p in b.problems] == []


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{name}.png"))


def load_demo(page, site, query: str = "") -> None:
    page.goto(site.demo_url + query)
    page.locator(f"{W} .launcher").wait_for()


def open_panel(page) -> None:
    page.click(f"{W} .launcher")
    settle(page)


def settle(page) -> None:
    """Until the panel is shown and its opening animation is over."""
    page.locator(f"{W} .panel").wait_for()
    page.wait_for_function(f"""() => document.querySelector('{W}').shadowRoot
        .querySelector('.panel').getAnimations().length === 0""")


def wait_answer(page, before: int) -> None:
    """Until the replies to the last message are shown."""
    page.locator(f"{W} .typing").wait_for(state="detached")
    page.wait_for_function(f"""() => document.querySelector('{W}').shadowRoot
        .querySelectorAll('.msg-bot').length > {before}""")


def bot_count(page) -> int:
    return page.locator(f"{W} .msg-bot").count()


def ask(page, text: str) -> None:
    before = bot_count(page)
    page.fill(f"{W} #kbw-input", text)
    page.press(f"{W} #kbw-input", "Enter")
    wait_answer(page, before)


def answer_on_demo(chromium_page, site, question: str, width: int = 390):
    """The demo page at this width, its widget opened and asked a question: the page and
    the answer's bubble, as the answer-layout tests start."""
    page = chromium_page(viewport={"width": width, "height": 844}).page
    load_demo(page, site)
    open_panel(page)
    ask(page, question)
    return page, page.locator(f"{W} .msg-answer")


def choose(page, label: str) -> None:
    before = bot_count(page)
    page.locator(f"{W} .choice", has_text=label).click()
    wait_answer(page, before)


def bar_says(page, text: str) -> None:
    """Until the progress bar shows `text`."""
    page.wait_for_function(f"""() => document.querySelector('{W}').shadowRoot
        .querySelector('.progress').innerText.includes({json.dumps(text)})""")


def log_text(page) -> str:
    return page.inner_text(f"{W} .log")


def stored_conversation(page) -> dict:
    found = page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('kbw:'))
        .map(k => JSON.parse(localStorage.getItem(k)))""")
    assert len(found) == 1, found
    return found[0]


def test_a_question_is_answered_across_origins_with_a_link_to_the_guide(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    load_demo(page, site)
    assert page.url.startswith(site.page_origin) and site.page_origin != site.widget_origin
    # Until it is opened, the widget is the loader, its stylesheet and a button.
    assert not [r for r in browser.requests if "widget-app.js" in r or "/api/" in r]
    launcher = page.get_by_role("button", name="Help")
    assert launcher.get_attribute("aria-expanded") == "false"

    launcher.click()
    dialog = page.get_by_role("dialog", name="Help")
    dialog.wait_for()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert focused(page) == "input"
    ask(page, QUESTION)

    answer = page.locator(f"{W} .msg-answer")
    assert "trash can" in answer.inner_text()
    link = answer.get_by_role("link", name=re.compile("Remove an account from the kAuth app"))
    assert link.get_attribute("href") == (f"{site.widget_origin}/guides/kauth-remove-account"
                                          "#delete-an-account-on-kauth-ios-android")
    assert link.get_attribute("target") == "_blank"
    # The offer names its two ways in the flow's own words: one click picks one.
    assert page.locator(f"{W} .choice", has_text="Remove it for me").is_visible()
    assert page.locator(f"{W} .choice", has_text="Show me how to do it in the Manager").is_visible()
    page.wait_for_function(f"""() => document.querySelector('{W}').shadowRoot
        .querySelector('[aria-live=polite]').textContent.includes('trash can')""")

    api_calls = [r for r in browser.requests if "/api/" in r]
    assert api_calls and all(r.split(" ", 1)[1].startswith(site.widget_origin + "/api/v1/")
                             for r in api_calls)
    conversation = stored_conversation(page)
    assert set(conversation) == {"id", "token"}
    assert not [r for r in browser.requests if conversation["token"] in r], "token in a URL"
    shot(page, "answer")


def test_a_procedure_is_walked_through_with_buttons_and_kept_across_a_reload(chromium_page,
                                                                             site):
    page = chromium_page().page
    load_demo(page, site)
    open_panel(page)
    ask(page, QUESTION)
    choose(page, "Show me how to do it in the Manager")
    progress = page.locator(f"{W} .progress")
    # The bar counts the steps at once, and names the procedure once its title is
    # fetched (the first time, just after the step is shown). Past the choice of way,
    # one way leads to the end: the count is exact.
    bar_says(page, "Remove an account from the kAuth app · Step 2 of 6")
    assert progress.inner_text().startswith("Remove an account from the kAuth app")
    choose(page, "Done")
    bar_says(page, "Step 3 of 6")
    assert "connection security management page" in page.locator(f"{W} .msg-step").last.inner_text()
    shot(page, "procedure")
    for _ in range(4):
        choose(page, "Done")
    end = page.locator(f"{W} .msg-end")
    assert "You have followed every step" in end.inner_text()
    assert page.locator(f"{W} .msg-warning").count() == 1
    assert progress.is_hidden()
    assert page.locator(f"{W} .choice").count() == 0
    shot(page, "end")
    before = log_text(page)

    page.reload()
    # The panel was open: it opens again, with the conversation, but takes no focus.
    page.locator(f"{W} .msg-end").wait_for()
    settle(page)
    assert focused(page) == "BODY"
    assert log_text(page) == before
    shot(page, "reload")


def test_the_keyboard_alone_is_enough(chromium_page, site):
    page = chromium_page().page
    load_demo(page, site)
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page) == "launcher":
            break
    assert focused(page) == "launcher"
    page.keyboard.press("Enter")
    page.get_by_role("dialog", name="Help").wait_for()
    assert focused(page) == "input"
    before = bot_count(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    wait_answer(page, before)
    assert focused(page) == "input"  # typing on is possible at once

    # The choices are just above the input: "Did that help?" Yes / No, then the offer.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        assert focused(page) == "choice"
    assert page.evaluate(f"""() => document.querySelector('{W}').shadowRoot
        .activeElement.textContent""") == "Show me how to do it in the Manager"
    before = bot_count(page)
    page.keyboard.press("Enter")
    wait_answer(page, before)
    assert "Log in to the Infomaniak Manager" in page.locator(f"{W} .msg-step").last.inner_text()
    for _ in range(5):
        assert focused(page) == "choice"
        before = bot_count(page)
        page.keyboard.press("Enter")
        wait_answer(page, before)
    assert "You have followed every step" in page.locator(f"{W} .msg-end").inner_text()
    assert focused(page) == "input"
    shot(page, "keyboard")

    page.keyboard.press("Escape")
    page.locator(f"{W} .panel").wait_for(state="hidden")
    assert focused(page) == "launcher"


def test_the_focus_is_never_taken_without_the_user(chromium_page, site):
    page = chromium_page().page
    load_demo(page, site)
    page.wait_for_timeout(300)
    assert focused(page) == "BODY"
    # A host page that opens the widget by itself, as it loads, does not move the focus.
    # (Playwright's evaluate counts as a user gesture: the call is queued before loading.)
    page.context.add_init_script("""window.KBWidget = function () {
        (KBWidget.q = KBWidget.q || []).push(arguments); }; KBWidget('open');""")
    page.reload()
    page.locator(f"{W} .panel").wait_for()
    assert focused(page) == "BODY"


STYLE_JS = f"""(selector) => {{
  const node = document.querySelector('{W}').shadowRoot.querySelector(selector);
  const style = getComputedStyle(node);
  const box = node.getBoundingClientRect();
  return {{fontSize: style.fontSize, fontFamily: style.fontFamily, color: style.color,
          display: style.display, visibility: style.visibility, opacity: style.opacity,
          transform: style.transform,
          box: [box.x, box.y, box.width, box.height].map(Math.round)}};
}}"""


def looks(page, selector: str) -> dict:
    return page.evaluate(STYLE_JS, selector)


def test_a_hostile_host_stylesheet_changes_nothing_in_the_widget(chromium_page, site):
    plain = chromium_page().page
    load_demo(plain, site)
    hostile = chromium_page().page
    load_demo(hostile, site, "?hostile=1")
    # The hostile rules are in force on the host page itself...
    assert hostile.evaluate("getComputedStyle(document.querySelector('h1')).color") == \
        "rgb(255, 0, 0)"
    # ...and do not reach the widget.
    launcher = looks(hostile, ".launcher")
    assert launcher == looks(plain, ".launcher")
    assert launcher["fontSize"] == "16px" and launcher["display"] == "flex"
    assert launcher["visibility"] == "visible" and launcher["opacity"] == "1"
    assert launcher["box"][2] > 60 and launcher["box"][3] >= 48

    for page in (plain, hostile):
        open_panel(page)
        ask(page, QUESTION)
    for selector in (".panel", ".input", ".send", ".choice", ".msg-answer .bubble", ".title"):
        assert looks(hostile, selector) == looks(plain, selector), selector
    assert looks(hostile, ".input")["fontSize"] == "16px"
    choose(hostile, "Show me how")
    assert hostile.locator(f"{W} .choice", has_text="Done").is_visible()
    shot(hostile, "hostile")


def test_on_a_phone_the_chat_is_full_screen(chromium_page, site):
    size = {"width": 390, "height": 844}
    page = chromium_page(viewport=size, is_mobile=True, has_touch=True).page
    load_demo(page, site)
    # Closed, the chat is a round button that hides little of the page, still named.
    assert looks(page, ".launcher")["box"][2] <= 56
    assert page.get_by_role("button", name="Help").is_visible()
    shot(page, "phone-closed")
    page.tap(f"{W} .launcher")
    settle(page)
    panel = page.locator(f"{W} .panel")
    assert looks(page, ".panel")["box"] == [0, 0, size["width"], size["height"]]
    assert panel.get_attribute("aria-modal") == "true"
    assert page.locator(f"{W} .launcher").is_hidden()  # under the panel, out of the way
    ask(page, QUESTION)
    for selector in (".input", ".send"):
        assert float(looks(page, selector)["fontSize"][:-2]) >= 16
    assert looks(page, ".composer")["box"][1] + looks(page, ".composer")["box"][3] <= \
        size["height"]
    shot(page, "phone")
    # Full screen, the panel is modal: Tab goes round inside it.
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.tagName") == "KB-WIDGET", key
    page.get_by_role("button", name="Close").tap()
    panel.wait_for(state="hidden")
    assert page.locator(f"{W} .launcher").is_visible()


def test_a_lost_answer_is_retried_and_applied_once(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    load_demo(page, site)
    open_panel(page)
    ask(page, "hello")
    posts = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(json.loads(route.request.post_data))
        if len(posts) == 1:
            route.fetch()  # the server applies the message; its answer never arrives
            return route.abort("connectionreset")
        return route.continue_()

    page.route("**/api/v1/conversations/*/messages", lose_the_first_answer)
    page.fill(f"{W} #kbw-input", QUESTION)
    page.press(f"{W} #kbw-input", "Enter")
    failure = page.locator(f"{W} .msg-failed")
    failure.wait_for()
    assert "Not sent" in failure.inner_text()
    assert page.locator(f"{W} .msg-user.failed").inner_text().endswith(QUESTION)
    shot(page, "retry")
    before = bot_count(page)
    failure.get_by_role("button", name="Retry").click()
    wait_answer(page, before)
    assert failure.count() == 0
    assert "trash can" in page.locator(f"{W} .msg-answer").inner_text()
    assert len(posts) == 2 and posts[0]["client_id"] == posts[1]["client_id"]
    # Sent twice, applied once.
    conversation = stored_conversation(page)
    chat = site.app.extensions["kb.context"].chat
    texts = [t.text for t in chat.history(conversation["id"], conversation["token"]).turns]
    assert texts == ["hello", QUESTION]
    browser.problems[:] = [p for p in browser.problems if "net::ERR" not in p]


def test_secret_and_picture_fields(chromium_page, site):
    page = chromium_page().page
    load_demo(page, site)
    page.evaluate(f"KBWidget.startProcedure('{DEMO_SLUG}')")
    page.locator(f"{W} .choice", has_text="Change it for me").wait_for()
    choose(page, "Change it for me")
    assert page.locator(f"{W} .field-label").inner_text() == "First name"
    ask(page, "Ada")
    ask(page, "Lovelace")
    assert page.get_attribute(f"{W} #kbw-input", "type") == "password"
    assert page.locator(f"{W} .field-label").inner_text() == "Password"
    ask(page, PASSWORD)
    assert page.get_attribute(f"{W} #kbw-input", "type") == "text"
    assert PASSWORD not in log_text(page) and "••••••••" in log_text(page)
    # The review before the change lists what will change, as a list.
    review = page.locator(f"{W} .msg-bot").last
    assert "First name: Ada" in review.inner_text()
    assert "Last name: Lovelace" in review.inner_text()
    assert review.locator("ul li").count() == 2
    shot(page, "review")
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    review.scroll_into_view_if_needed()
    shot(page, "review-390")
    page.set_viewport_size(size)
    choose(page, "Confirm")
    choose(page, "Yes, upload a picture")
    choose(page, "Confirm")
    assert page.locator(f"{W} #kbw-input").is_hidden()
    page.set_input_files(f"{W} .file", files=[{"name": "me.png", "mimeType": "image/png",
                                              "buffer": png()}])
    before = bot_count(page)
    page.get_by_role("button", name="Send picture").click()
    wait_answer(page, before)
    assert "Your profile picture is set" in log_text(page)
    assert page.locator(f"{W} .msg-end").is_visible()
    shot(page, "fields")

    page.reload()
    page.locator(f"{W} .msg-end").wait_for()
    text = log_text(page)
    assert PASSWORD not in text and "••••••••" in text
    assert "Picture sent" in text and "data:image" not in text

    page.get_by_role("button", name="New chat").click()
    assert page.locator(f"{W} .msg").count() == 1  # the greeting
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kbw:'))") == []
    assert focused(page) == "input"


QUEUE = """
window.KBWidget = window.KBWidget || function () {
  (KBWidget.q = KBWidget.q || []).push(arguments);
};
window.events = [];
KBWidget('init', {title: 'Support', color: 'rebeccapurple'});
for (const name of ['ready', 'open', 'close', 'message', 'reply']) {
  KBWidget('on', name,
           (detail) => events.push(name + (detail && detail.type ? ':' + detail.type : '')));
}
"""


def test_the_javascript_api_its_queue_and_events(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    browser.context.add_init_script(QUEUE)  # the calls a page makes before the loader runs
    page.goto(site.demo_url)
    launcher = page.get_by_role("button", name="Support")
    launcher.wait_for()
    assert looks(page, ".launcher")["fontSize"] == "16px"
    assert page.evaluate(f"""() => getComputedStyle(document.querySelector('{W}').shadowRoot
        .querySelector('.launcher')).backgroundColor""") == "rgb(102, 51, 153)"
    assert page.evaluate("events") == ["ready"]

    assert page.evaluate(f"KBWidget.ask({json.dumps(QUESTION)})") is True
    assert page.evaluate("events") == ["ready", "open", "message", "reply:answer",
                                       "reply:offer", "reply:feedback"]
    assert page.get_by_role("dialog", name="Support").is_visible()

    page.evaluate("""() => { window.late = 0;
        const off = KBWidget.on('reply', () => late++); off(); }""")
    assert page.evaluate("KBWidget('startProcedure', 'kauth-remove-account')") is True
    assert page.locator(f"{W} .msg-step .bubble").last.inner_text().endswith(
        "How would you like to remove kAuth from your account?")
    assert page.evaluate("late") == 0
    page.evaluate("KBWidget.toggle()")
    page.locator(f"{W} .panel").wait_for(state="hidden")
    assert page.evaluate("events").count("close") == 1
    assert page.evaluate("[typeof KBWidget.version, KBWidget.version]") == ["string", "1"]


def test_links_of_the_host_page_open_the_chat(chromium_page, site):
    page = chromium_page().page
    load_demo(page, site)
    page.get_by_role("link", name="Ask about kAuth").click()
    page.locator(f"{W} .msg-answer").wait_for()
    assert focused(page) == "input"  # the user clicked: the focus follows
    assert page.url == site.demo_url  # the link did not navigate


def test_the_widget_works_on_the_sites_own_pages(chromium_page, site):
    page = chromium_page().page
    page.goto(site.widget_origin + "/embed")  # the site's own strict policy
    page.locator(f"{W} .launcher").wait_for()
    assert focused(page) == "BODY"
    open_panel(page)
    ask(page, "hacked account")
    assert page.locator(f"{W} .msg-bot").count() >= 2
    shot(page, "embed-page")


def test_a_chat_that_cannot_load_says_so_and_loads_on_the_next_try(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    page.route("**/static/widget-app.js", lambda route: route.abort("internetdisconnected"))
    load_demo(page, site)
    page.click(f"{W} .launcher")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "could not be loaded" in alert.inner_text()
    page.unroute("**/static/widget-app.js")
    open_panel(page)
    ask(page, QUESTION)
    browser.problems[:] = [p for p in browser.problems if "net::ERR" not in p]


def test_an_expired_conversation_is_forgotten_and_a_new_one_started(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    load_demo(page, site)
    key = f"kbw:{site.widget_origin}|legal-rep"
    page.evaluate("([key]) => localStorage.setItem(key, JSON.stringify({id: 'gone', token: "
                  "'nothing'}))", [key])
    page.reload()
    open_panel(page)
    page.wait_for_function("(key) => !localStorage.getItem(key)", arg=key)  # read back: 404
    assert page.locator(f"{W} .msg").count() == 1  # the greeting, no error
    ask(page, QUESTION)
    assert stored_conversation(page)["id"] != "gone"
    # The browser reports the 404 on the console: that one is expected.
    browser.problems[:] = [p for p in browser.problems if "404" not in p]


def test_a_site_whose_origin_is_not_allowed_gets_no_answers(chromium_page, site):
    browser = chromium_page()
    page = browser.page
    shop = HostPage(f'<!doctype html><title>Shop</title><h1>Shop</h1><script async '
                    f'src="{site.widget_origin}/static/widget.js"></script>')
    try:
        page.goto(shop.url)
        page.locator(f"{W} .launcher").wait_for()  # the public files load anywhere...
        open_panel(page)
        page.fill(f"{W} #kbw-input", QUESTION)
        page.press(f"{W} #kbw-input", "Enter")
        # ...but the browser keeps the API's answers from an origin that is not allowed.
        failure = page.locator(f"{W} .msg-failed")
        failure.wait_for()
    finally:
        shop.stop()
    assert "could not be reached" in failure.inner_text()
    assert failure.get_by_role("button", name="Retry").is_visible()
    assert browser.problems and all("CORS" in p or "net::ERR" in p for p in browser.problems)
    browser.problems.clear()


def test_a_choice_of_guides_ends_with_a_way_out(chromium_page, site):
    # "kauth app": both kAuth guides fit. On a phone the choice shows them as buttons and
    # a last one for a person whose question neither answers; pressing it says so.
    page, _ = answer_on_demo(chromium_page, site, "kauth app")
    choices = page.locator(f"{W} .msg-bot").last.locator(".choice")
    labels = [choices.nth(i).inner_text() for i in range(choices.count())]
    assert len(labels) == 3 and labels[-1] == "None of these"
    assert all(b["width"] <= 390 for b in (choices.nth(i).bounding_box()
                                           for i in range(choices.count())))
    shot(page, "choice-none-390")
    choose(page, "None of these")
    assert "Sorry, none of our guides answers that yet." in log_text(page)


def test_an_unsure_answer_offers_the_close_guides_as_buttons(chromium_page, site):
    # Not sure, at phone width: the honest sentence, the close guide as a button, and
    # no quoted passage until the person picks it.
    page = chromium_page(viewport={"width": 390, "height": 844}).page
    load_demo(page, site)
    open_panel(page)
    ask(page, "phone stollen cant pass 2fa")
    assert page.locator(f"{W} .msg-answer").count() == 0
    assert "I'm not sure I have the answer to that." in log_text(page)
    button = page.locator(f"{W} .choice", has_text="Regain access")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    shot(page, "unsure-phone")
    choose(page, "Regain access")
    assert page.locator(f"{W} .msg-answer").count() == 1
    assert "Did that help?" in log_text(page)
