"""The guided wizard through the Flask test client, CSRF on, as a browser without
JavaScript: one step per page, its forms, its buttons, and what it changes."""

from __future__ import annotations

import re

import pytest

from procedures import graph
from procedures.library import Library
from procedures.model import Procedure
from tests.browser_support import (
    DEMO_SLUG,
    FormClient,
    audit_page,
    build_app,
    forms,
    png,
)
from tests.conftest import SEED_GUIDES
from webapp import diagram

PASSWORD = "demo-Password-2026"


def start(web: FormClient, slug: str) -> str:
    """Open the guide, press "Start guided procedure"; return the run's URL."""
    web.get(f"/guides/{slug}")
    web.submit("/runs", procedure=slug)
    assert re.fullmatch(r"/runs/[0-9a-f]{16}", web.url), web.url
    return web.url


def step_form(web: FormClient) -> dict:
    found = [f for f in forms(web.page) if f["fields"].get("event") == "answer"]
    assert found, "no step form on the page"
    return found[0]


def answer(web: FormClient, files: dict | None = None, **values) -> str:
    return web.submit(web.url, files=files, **values)


def buttons(web: FormClient, name: str = "value") -> list[str]:
    return [b.get("value") for f in forms(web.page) for b in f["buttons"] if b.get("name") == name]


def error_of(html: str) -> str | None:
    match = re.search(r'class="field-error"[^>]*>([^<]+)<', html)
    return match.group(1) if match else None


# -- "guide me": every guide, from start to end --------------------------------------------

@pytest.mark.parametrize("slug", sorted(p.stem for p in SEED_GUIDES.glob("*.md")))
def test_every_guide_can_be_followed_to_its_end(web, slug):
    start(web, slug)
    for _ in range(80):
        if 'class="outcome' in web.page:
            break
        audit_page(web.page)
        assert "Step " in web.page and " of about " in web.page
        offered = buttons(web)
        assert offered, f"a step without an answer button: {web.page[:300]}"
        # "Guide me" when there is a choice of mode, else the first option / Done.
        choice = "guide" if "guide" in offered else offered[0]
        answer(web, value=choice)
    else:
        pytest.fail("the procedure never ended")
    audit_page(web.page)
    assert "What changed in your account" in web.page
    assert "Nothing was changed in your account" in web.page
    assert buttons(web, "event") == ["restart"]


def test_the_first_step_shows_progress_and_only_the_allowed_buttons(web):
    start(web, "profile-edit-name-avatar")
    assert re.search(r"Step 1 of about \d+", web.page)
    assert 'autofocus' in web.page
    assert buttons(web, "event") == ["restart", "cancel"]  # nothing to go back to yet
    answer(web, value=buttons(web)[0])
    assert "Step 2 of about" in web.page
    assert buttons(web, "event") == ["back", "restart", "cancel"]
    assert web.form(web.url, "event")["fields"]["revision"].isdigit()


# -- "do it for me": forms, validation, secrets, uploads, changes ---------------------------

def test_a_procedure_changes_the_demo_account_through_its_forms(web, app):
    start(web, DEMO_SLUG)
    assert buttons(web) == ["do", "guide"]
    answer(web, value="do")
    audit_page(web.page)
    assert '<label for="value">First name</label>' in web.page
    assert 'name="value" type="text"' in web.page and 'maxlength="40"' in web.page

    answer(web, value="   ")
    assert error_of(web.page) == "The First name cannot be empty."
    assert 'aria-invalid="true"' in web.page and 'aria-describedby="value-error"' in web.page
    answer(web, value="Ada")
    assert error_of(web.page) is None and "And which last name?" in web.page
    answer(web, value="Lovelace")

    assert 'type="password"' in web.page and 'autocomplete="current-password"' in web.page
    answer(web, value="wrong password")
    assert "That password is not right." in web.page
    assert 'type="password"' in web.page and "wrong password" not in web.page
    answer(web, value=PASSWORD)
    assert "Your name is now Ada Lovelace." in web.page  # the change, as a message
    assert PASSWORD not in web.page
    assert "back" not in buttons(web, "event")  # the account changed: no way back past it

    answer(web, value="upload")
    form = step_form(web)
    assert form["enctype"] == "multipart/form-data"
    assert 'type="file"' in web.page and 'accept="image/png' in web.page
    answer(web, files={"value": b"not a picture"})
    assert "not a PNG, JPEG, GIF or WebP picture" in web.page
    answer(web, files={"value": png(100, 100)})
    assert "at least 210 pixels" in web.page
    answer(web, files={"value": png()})

    audit_page(web.page)
    assert "<h2 id=\"outcome-title\">Done</h2>" in web.page
    changes = web.page.split('class="changes"', 1)[1].split("</ul>", 1)[0]
    assert "Your name is now Ada Lovelace." in changes
    assert "Your profile picture is set." in changes
    account = web.get("/account")
    assert "Ada" in account and "Lovelace" in account and "240" in account
    profile = app.extensions["kb.context"].backend.get_profile("legal-rep")
    assert (profile.first_name, profile.avatar.width) == ("Ada", 240)


def test_a_run_acts_as_the_browsers_demo_account(web, app):
    web.get("/account")
    web.submit("/account/switch", account="collaborator")
    start(web, DEMO_SLUG)
    assert "Acting on the demo account <strong>collaborator" in web.page
    for value in ("do", "Marc", "Renamed", PASSWORD):
        answer(web, value=value)
    backend = app.extensions["kb.context"].backend
    assert backend.get_profile("collaborator").last_name == "Renamed"
    assert backend.get_profile("legal-rep").last_name == "Favre"


def test_wrong_passwords_are_asked_again_until_the_backend_locks_them(web):
    start(web, DEMO_SLUG)
    for value in ("do", "Ada", "Lovelace", "bad 1"):
        answer(web, value=value)
    assert "That password is not right." in web.page and "Step 4 of about 6" in web.page
    for value in ("bad 2", "bad 3", "bad 4"):
        answer(web, value=value)
    # A loop back to the same question does not count as progress.
    assert "Step 4 of about 6" in web.page
    assert "password checks for this account are locked" in error_of(web.page)
    assert 'type="password"' in web.page


# -- back, cancel, restart -----------------------------------------------------------------

def test_back_returns_to_the_previous_question_with_its_answer_forgotten(web):
    start(web, DEMO_SLUG)
    answer(web, value="do")
    answer(web, value="Ada")
    assert "And which last name?" in web.page
    web.submit(web.url, event="back")
    assert "Which first name should the Manager show?" in web.page
    web.submit(web.url, event="back")
    assert buttons(web) == ["do", "guide"]


def test_cancel_ends_the_run_and_restart_begins_again(web):
    start(web, DEMO_SLUG)
    answer(web, value="do")
    web.submit(web.url, event="cancel")
    assert "<h2 id=\"outcome-title\">Cancelled</h2>" in web.page
    assert buttons(web, "event") == ["restart"]
    web.submit(web.url, event="restart")
    assert "Starting again from the beginning." in web.page
    assert buttons(web) == ["do", "guide"] and "Step 1 of about" in web.page


# -- revisions, sessions, other browsers ----------------------------------------------------

def test_a_form_from_an_outdated_page_shows_the_current_step(web):
    start(web, DEMO_SLUG)
    old = web.page
    answer(web, value="do")
    answer(web, value="Ada")
    web.page = old  # the first page, still open in another tab
    html = answer(web, value="guide")
    assert "This page was out of date" in html
    assert "And which last name?" in html  # the run did not take the old answer


@pytest.mark.parametrize("revision", ["", "abc", "-1", "1e9", "99999999999999999999"])
def test_a_garbled_revision_is_treated_as_out_of_date(web, revision):
    run = start(web, DEMO_SLUG)
    html = web.submit(run, value="do", revision=revision)
    assert "This page was out of date" in html and buttons(web) == ["do", "guide"]


def test_unknown_events_and_values_are_refused_without_a_server_error(web):
    run = start(web, DEMO_SLUG)
    token = step_form(web)["fields"]["csrf_token"]
    for data in ({"event": "explode", "revision": "1"},
                 {"event": "answer", "revision": "1", "value": "x" * 5000},
                 {"event": "answer", "revision": "1", "value": "\x00\x1b[2J"}):
        response = web.client.post(run, data={**data, "csrf_token": token})
        assert response.status_code in (302, 400), response.status_code
    html = web.get(run)
    assert "Please choose one of" in html  # the nonsense answers were re-asked politely


def test_the_token_never_appears_in_a_url_or_a_page(web):
    run = start(web, DEMO_SLUG)
    run_id = run.rsplit("/", 1)[1]
    # Kept on the server (webapp/session.py), not in the cookie.
    database = web.client.application.extensions["kb.context"].database
    token = database.connection().execute(
        "SELECT token FROM visitor_runs WHERE run_id = ?", (run_id,)).fetchone()[0]
    assert token not in web.page and token not in run
    assert token not in web.get("/account")


def test_another_browser_cannot_see_or_move_the_run(web, app):
    run = start(web, DEMO_SLUG)
    other = FormClient(app.test_client())
    other.get(run, status=404)
    other.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      other.get("/guides/kauth-remove-account")).group(1)
    response = other.client.post(run, data={"event": "cancel", "revision": "1",
                                            "csrf_token": token})
    assert response.status_code == 404
    web.get(run)
    assert buttons(web) == ["do", "guide"]  # the owner's run did not move


def test_the_run_resumes_after_a_server_restart(site):
    app = build_app(site)
    web = FormClient(app.test_client())
    run = start(web, DEMO_SLUG)
    answer(web, value="do")
    answer(web, value="Ada")
    cookie = web.client.get_cookie("session").value
    # A new process: a new app on the same data folder and secret key.
    restarted = FormClient(build_app(site).test_client())
    restarted.client.set_cookie("session", cookie)
    html = restarted.get(run)
    assert "And which last name?" in html and "Step 3 of about" in html
    restarted.url = run
    answer(restarted, value="Lovelace")
    assert 'type="password"' in restarted.page


def test_a_run_of_an_unknown_procedure_is_not_found(web):
    web.get("/guides/kauth-remove-account")
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.page).group(1)
    response = web.client.post("/runs", data={"procedure": "nope", "csrf_token": token})
    assert response.status_code == 404


# -- the progress estimate and the diagram ---------------------------------------------------

LOOPY = Procedure.model_validate({"id": "loopy", "title": "Loopy", "steps": [
    {"id": "a", "kind": "instruction", "text": "A", "stage": "One", "next": "b"},
    {"id": "b", "kind": "choice", "text": "B?", "stage": "One", "options": [
        {"id": "long", "label": "Long way", "next": "c"},
        {"id": "short", "label": "Short way", "next": "end"}]},
    {"id": "c", "kind": "collect", "text": "C", "stage": "Two",
     "field": {"name": "c"}, "next": "d"},
    {"id": "d", "kind": "note", "text": "D", "stage": "Two", "next": "e"},
    # A collect step: an instruction cannot branch (its "Done" leads to one step).
    {"id": "e", "kind": "collect", "text": "E", "stage": "Three", "field": {"name": "e"},
     "next": [
        {"if": {"var": "answers.c", "equals": "again"}, "then": "b"},
        {"if": {"else": True}, "then": "end"}]},
    {"id": "end", "kind": "end", "outcome": "done", "text": "Done."},
]})


def test_the_estimate_counts_the_questions_on_the_longest_way():
    assert graph.remaining_questions(LOOPY, "a") == 4  # a, b, c, e (the loop is ignored)
    assert graph.remaining_questions(LOOPY, "c") == 2
    assert graph.remaining_questions(LOOPY, "end") == 0


def test_the_graph_walks_agree_with_the_diagram():
    back, order = graph.loops(LOOPY)
    assert back == {("e", "b")} and order[0] == "a"
    assert graph.depths(LOOPY) == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "end": 5}
    assert graph.ahead(LOOPY, "c") == {"c", "d", "e", "b", "end"}


def test_the_diagram_puts_each_step_in_a_box_below_the_steps_leading_to_it():
    drawing = diagram.diagram(LOOPY)
    boxes = {node.id: node for node in drawing.nodes}
    assert set(boxes) == {s.id for s in LOOPY.steps}
    assert boxes["a"].y < boxes["b"].y < boxes["c"].y < boxes["d"].y < boxes["e"].y
    assert boxes["end"].y > boxes["e"].y
    assert boxes["b"].label == "Question" and boxes["end"].label == "End: done"
    back = [e for e in drawing.edges if e.back]
    assert len(back) == 1 and back[0].label == "if…"
    assert {e.label for e in drawing.edges} >= {"Long way", "Short way"}
    for one in drawing.nodes:
        for other in drawing.nodes:
            if one is not other:
                apart = (abs(one.x - other.x) >= one.w or abs(one.y - other.y) >= one.h)
                assert apart, (one.id, other.id)
    assert drawing.summary == "6 steps in 3 stages: One; Two; Three"


def test_every_seed_procedure_draws_without_overlapping_boxes(site):
    library = Library(site.guides, site.overlays)
    for slug in library.slugs():
        drawing = diagram.diagram(library.get(slug))
        spots = {(round(n.x), round(n.y)) for n in drawing.nodes}
        assert len(spots) == len(drawing.nodes), slug
        assert drawing.width > 0 and drawing.height > 0


def test_the_stages_of_a_guide_show_where_the_reader_is(web):
    start(web, "partner-add-managed-client")
    if "guide" in buttons(web):
        answer(web, value="guide")
    answer(web, value=buttons(web)[0])  # the prerequisites hold
    stages = re.search(r'<ol class="stages" aria-label="Stages">(.*?)</ol>', web.page, re.S)
    assert stages, "no stage list"
    items = re.findall(r'<li class="([^"]*)"[^>]*>([^<]+)</li>', stages.group(1))
    assert [name for _, name in items][:2] == ["Prerequisites", "Add a &#34;Managed&#34; Client"]
    assert ("stage-done", "Prerequisites") in items
    assert 'aria-current="step">Add a &#34;Managed&#34; Client' in stages.group(1)
