"""The site in a real Chromium: search, guides, the wizard by mouse and by keyboard alone,
resuming after a reload and a server restart, and a phone-sized screen.

Screenshots of the main pages are written to tests/artifacts/screenshots/ for a person
to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (
    DEMO_SLUG,
    SCREENSHOTS,
    LiveServer,
    build_app,
    make_site,
    png,
)

pytestmark = pytest.mark.browser
PASSWORD = "demo-Password-2026"
TIMEOUT_MS = 15_000


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


@pytest.fixture
def server(site):
    live = LiveServer(build_app(site, testing=False))
    yield live
    live.stop()


def open_page(chromium, server, **options):
    context = chromium.new_context(base_url=server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page, problems


@pytest.fixture
def page(chromium, server):
    page, problems = open_page(chromium, server, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()
    # A Content-Security-Policy violation or a script error shows up here.
    assert problems == []


def shot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky parts sit where they would on arrival
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def step_text(page) -> str:
    return page.inner_text("form.step legend .step-text")


def submit(page, action) -> None:
    """Do something that posts a form, and wait for the page it leads to."""
    with page.expect_navigation():
        action()


def click_option(page, label: str) -> None:
    submit(page, page.get_by_role("button", name=label, exact=True).click)


def fill_and_continue(page, value: str) -> None:
    page.fill("#value", value)
    submit(page, page.get_by_role("button", name="Continue").click)


def focused(page, condition: str) -> None:
    """Wait until the focus is where `condition` says (autofocus applies after load)."""
    page.wait_for_function(condition, timeout=5_000)


def press(page, key: str) -> None:
    submit(page, lambda: page.keyboard.press(key))


# -- search and guides ------------------------------------------------------------------------

def test_search_as_you_type_then_open_a_guide(page):
    page.goto("/")
    page.locator("#q").press_sequentially("remove kauth", delay=30)
    first = page.locator("#instant-results [role=option] .result-title").first
    first.wait_for()
    assert first.inner_text() == "Remove an account from the kAuth app"
    assert page.locator("#instant-results mark").count() > 0
    assert "guides match" in page.inner_text("#instant-results .instant-status")
    shot(page, "home")

    submit(page, lambda: page.locator("#q").press("Enter"))
    assert re.search(r"/search\?q=remove\+kauth", page.url)
    assert page.inner_text("h1") == "Guides for “remove kauth”"
    shot(page, "search-results")

    submit(page, page.locator(".results .result-title a").first.click)
    assert "/guides/kauth-remove-account" in page.url
    assert page.inner_text("h1") == "Remove an account from the kAuth app"
    page.locator(".diagram-box summary").click()
    assert page.locator("svg.diagram .node").count() > 3
    shot(page, "guide")


def test_a_question_nobody_answers_gets_an_honest_page(page):
    page.goto("/search?q=recipe+for+cheese+fondue")
    assert "No guide answers" in page.inner_text("h1")
    shot(page, "search-no-answer")


# -- the wizard ---------------------------------------------------------------------------------

def test_follow_a_guide_step_by_step_to_its_end(page):
    page.goto("/guides/payment-vs-ownership")
    submit(page, page.get_by_role("button", name="Start guided procedure").click)
    for _ in range(60):
        if page.locator(".outcome").count():
            break
        assert page.locator(".progress progress").count() == 1
        guide_me = page.locator("form.step button[name=value][value=guide]")
        choice = guide_me if guide_me.count() else page.locator("form.step button[name=value]")
        submit(page, choice.first.click)
    assert page.inner_text("#outcome-title") == "Done"
    assert "Nothing was changed in your account" in page.inner_text(".outcome")


def test_a_procedure_changes_the_account_and_the_account_page_shows_it(page):
    page.goto(f"/guides/{DEMO_SLUG}")
    submit(page, page.get_by_role("button", name="Start guided procedure").click)
    click_option(page, "Change it for me")
    assert step_text(page) == "Which first name should the Manager show?"
    fill_and_continue(page, "Ada")
    fill_and_continue(page, "Lovelace")
    assert page.get_attribute("#value", "type") == "password"
    fill_and_continue(page, PASSWORD)
    assert "Last name: Lovelace" in page.inner_text("main")  # the review before the change
    shot(page, "wizard-review")
    click_option(page, "Confirm")
    assert "Your name is now Ada Lovelace." in page.inner_text(".messages")
    click_option(page, "Yes, upload a picture")
    click_option(page, "Confirm")
    page.set_input_files("#value", files=[{"name": "small.png", "mimeType": "image/png",
                                            "buffer": png(100, 100)}])
    submit(page, page.get_by_role("button", name="Continue").click)
    assert "at least 210 pixels" in page.inner_text(".field-error")
    assert page.get_attribute("#value", "aria-invalid") == "true"
    shot(page, "wizard-step")
    page.set_input_files("#value", files=[{"name": "me.png", "mimeType": "image/png",
                                            "buffer": png()}])
    submit(page, page.get_by_role("button", name="Continue").click)
    assert page.inner_text("#outcome-title") == "Done"
    changes = page.inner_text(".changes")
    assert "Your name is now Ada Lovelace." in changes and "profile picture" in changes
    shot(page, "wizard-final")

    submit(page, page.get_by_role("link", name="See the demo account legal-rep").click)
    user = page.inner_text("#user-title + .kv")
    assert "Ada" in user and "Lovelace" in user and "PNG" in user
    shot(page, "account")


def test_the_products_own_overlay_removes_kauth_for_real(page):
    page.goto("/guides/kauth-remove-account")
    if "We can do this for you" not in page.inner_text(".procedure-box"):
        pytest.skip("no overlay for kauth-remove-account")
    submit(page, page.get_by_role("button", name="Start guided procedure").click)
    submit(page, page.locator("form.step button[name=value]").first.click)  # do it for me
    for _ in range(10):
        if page.locator(".outcome").count():
            break
        if page.locator("#value[type=password]").count():
            fill_and_continue(page, PASSWORD)
        else:
            submit(page, page.locator("form.step button[name=value]").first.click)
    assert page.locator(".outcome").count() and page.locator(".changes li").count() >= 1
    page.goto("/account")
    methods = page.inner_text("#user-title + .kv")
    assert "sms" in methods and "kauth" not in methods.split("Kauth shows account")[0]


def test_the_products_profile_procedure_renames_and_adds_a_picture(page):
    page.goto("/guides/profile-edit-name-avatar")
    if "We can do this for you" not in page.inner_text(".procedure-box"):
        pytest.skip("no overlay for profile-edit-name-avatar")
    submit(page, page.get_by_role("button", name="Start guided procedure").click)
    submit(page, page.locator("form.step button[name=value][value=do]").click)
    typed = {"first": "Augusta", "last": "Byron"}
    for _ in range(12):
        if page.locator(".outcome").count():
            break
        field = page.locator("#value")
        if field.count() and field.get_attribute("type") == "file":
            page.set_input_files("#value", files=[{"name": "me.png", "mimeType": "image/png",
                                                    "buffer": png()}])
            submit(page, page.get_by_role("button", name="Continue").click)
        elif field.count():
            label = page.inner_text("label[for=value]").lower()
            fill_and_continue(page, next((v for k, v in typed.items() if k in label), "x"))
        else:
            both = page.locator("form.step button[name=value][value=both]")
            choice = both if both.count() else page.locator("form.step button[name=value]")
            submit(page, choice.first.click)
    assert page.inner_text("#outcome-title") == "Done"
    assert page.locator(".changes li").count() == 2  # the name, then the picture
    page.goto("/account")
    user = page.inner_text("#user-title + .kv")
    assert "Augusta" in user and "Byron" in user and "PNG" in user


def test_the_wizard_with_the_keyboard_alone(page):
    page.goto(f"/guides/{DEMO_SLUG}")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == \
                "Start guided procedure":
            break
    else:
        pytest.fail("the Start button cannot be reached with Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none"  # a visible focus ring
    press(page, "Enter")
    assert re.search(r"/runs/[0-9a-f]+$", page.url)
    # Each step page puts the focus on its first control: Enter answers.
    focused(page, "document.activeElement.textContent.trim() === 'Change it for me'")
    press(page, "Enter")
    for value in ("Grace", "Hopper", PASSWORD):
        focused(page, "document.activeElement.id === 'value'")
        page.keyboard.type(value)
        press(page, "Enter")
    # The review before the change: its first option confirms.
    focused(page, "document.activeElement.textContent.trim() === 'Confirm'")
    press(page, "Enter")
    assert "picture" in step_text(page)
    focused(page, "document.activeElement.textContent.trim() === 'Yes, upload a picture'")
    page.keyboard.press("Tab")
    focused(page, "document.activeElement.textContent.trim() === 'No, keep my initials'")
    press(page, "Enter")
    assert page.inner_text("#outcome-title") == "Done"
    assert "Grace Hopper" in page.inner_text(".changes")


def test_reload_and_server_restart_resume_the_run(chromium, site):
    live = LiveServer(build_app(site, testing=False))
    page, problems = open_page(chromium, live, viewport={"width": 1024, "height": 800})
    try:
        page.goto(f"/guides/{DEMO_SLUG}")
        submit(page, page.get_by_role("button", name="Start guided procedure").click)
        click_option(page, "Change it for me")
        fill_and_continue(page, "Ada")
        url = page.url
        page.reload()
        assert page.url == url and step_text(page) == "And which last name?"

        live.stop()
        # A new process, same data.
        live = LiveServer(build_app(site, testing=False), port=live.port)
        page.reload()
        assert step_text(page) == "And which last name?"
        assert "Step 3 of about" in page.inner_text(".progress")
        fill_and_continue(page, "Lovelace")
        assert page.get_attribute("#value", "type") == "password"
    finally:
        page.context.close()
        live.stop()
    assert problems == []


def test_an_outdated_tab_gets_the_current_step(chromium, server):
    first, problems = open_page(chromium, server)
    try:
        first.goto(f"/guides/{DEMO_SLUG}")
        submit(first, first.get_by_role("button", name="Start guided procedure").click)
        second = first.context.new_page()
        second.goto(first.url)
        click_option(first, "Change it for me")
        click_option(second, "Show me how to do it in the Manager")
        assert "This page was out of date" in second.inner_text(".messages")
        assert step_text(second) == "Which first name should the Manager show?"
    finally:
        first.context.close()
    assert problems == []


# -- a phone --------------------------------------------------------------------------------------

def test_the_site_fits_a_phone(chromium, server):
    page, problems = open_page(chromium, server, viewport={"width": 390, "height": 844},
                               is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        for url, name in [("/", "phone-home"), ("/guides/partner-add-managed-client",
                                                "phone-guide"),
                          ("/search?q=add+a+client", "phone-search")]:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
            shot(page, name)
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#q'))"
                             ".fontSize)")
        assert font >= 16
        page.goto(f"/guides/{DEMO_SLUG}")
        submit(page, page.get_by_role("button", name="Start guided procedure").click)
        click_option(page, "Change it for me")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "phone-wizard-step")
    finally:
        page.context.close()
    assert problems == []
