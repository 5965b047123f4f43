"""The guided wizard through the Flask test client, CSRF on, as a browser without
JavaScript: one step per page, its forms, its buttons, and what it changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from procedures import graph
from procedures.library import Library
from procedures.model import Procedure
from tests.browser_support import (
    DEMO_SLUG,
    FormClient,
    audit_page,
    build_app,
    forms,
    make_site,
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
        assert re.search(r"Step \d+ of (about )?\d+", web.page), web.page[:300]
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
    assert "Ada" in web.page and "Lovelace" in web.page  # the review before the change
    answer(web, value="confirm")
    assert "Your name is now Ada Lovelace." in web.page  # the change, as a message
    assert PASSWORD not in web.page
    assert "back" not in buttons(web, "event")  # the account changed: no way back past it

    answer(web, value="upload")
    answer(web, value="confirm")
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
    for value in ("do", "Marc", "Renamed", PASSWORD, "confirm"):
        answer(web, value=value)
    backend = app.extensions["kb.context"].backend
    assert backend.get_profile("collaborator").last_name == "Renamed"
    assert backend.get_profile("legal-rep").last_name == "Favre"


def test_wrong_passwords_are_asked_again_until_the_backend_locks_them(web):
    start(web, DEMO_SLUG)
    for value in ("do", "Ada", "Lovelace", "bad 1"):
        answer(web, value=value)
    assert "That password is not right." in web.page and "Step 4 of about 8" in web.page
    for value in ("bad 2", "bad 3", "bad 4"):
        answer(web, value=value)
    # A loop back to the same question does not count as progress.
    assert "Step 4 of about 8" in web.page
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
    assert "Please choose" in html  # the nonsense answers were re-asked politely


def test_the_token_never_appears_in_a_url_or_a_page(web):
    run = start(web, DEMO_SLUG)
    run_id = run.rsplit("/", 1)[1]
    # Kept on the server (webapp/session.py), not in the cookie.
    database = web.client.application.extensions["kb.context"].database
    token = database.first(text("SELECT token FROM visitor_runs WHERE run_id = :run"),
                           {"run": run_id})[0]
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


def test_the_diagram_draws_sections_and_questions_with_the_answers_on_the_arrows():
    drawing = diagram.diagram(LOOPY)
    boxes = {node.steps[0]: node for node in drawing.nodes}
    # Steps that simply follow one another in one section are one box, named by it.
    assert [n.steps for n in drawing.nodes if n.kind == "stage"] == [["a"], ["c", "d"], ["e"]]
    assert boxes["c"].lines[0] == "Two" and boxes["b"].label == "Question"
    assert boxes["b"].lines == ["B?"] and boxes["end"].label == "Finished"
    assert boxes["a"].y < boxes["b"].y < boxes["c"].y < boxes["e"].y < boxes["end"].y
    labels = {" ".join(e.label) for e in drawing.edges}
    assert {"Long way", "Short way"} <= labels
    assert len([e for e in drawing.edges if e.back]) == 1  # the loop back to the question
    for one in drawing.nodes:
        for other in drawing.nodes:
            if one is not other:
                apart = (abs(one.x - other.x) >= one.w or abs(one.y - other.y) >= one.h)
                assert apart, (one.id, other.id)
    assert drawing.summary == ("6 steps, drawn as 5 boxes, in 3 sections: One; Two; Three; "
                               "1 question decides the way")


def test_every_diagram_is_readable_without_hovering(site):
    """Whole words in every box and on every arrow (nothing cut short with "…" but the
    values only known during a run), lines that fit their box, far fewer boxes than
    steps, and one drawing per way the first question offers."""
    library = Library(site.guides, site.overlays)
    for slug in library.slugs():
        procedure = library.get(slug)
        ways = diagram.ways(procedure)
        first = procedure.step(procedure.start) if procedure.start else procedure.steps[0]
        if first.kind == "choice":
            assert [w.label for w in ways] == [o.label for o in first.options], slug
        boxes = sum(len(w.drawing.nodes) for w in ways)
        assert boxes < len(procedure.steps), slug
        for way in ways:
            for node in way.drawing.nodes:
                assert all(len(line) <= diagram.LINE_CHARS for line in node.lines), slug
                assert node.h >= 20 + 16 * (1 + len(node.lines)), (slug, node.lines)
                for line in node.lines:
                    assert not line.endswith("…") or "…" in _template_free(procedure, node)
            for edge in way.drawing.edges:
                assert all(not line.endswith("…") for line in edge.label), (slug, edge.label)


def _template_free(procedure, node) -> str:
    # A "…" that stands for a value filled in during a run ({results.me.organization}).
    return " ".join(procedure.step(sid).text for sid in node.steps).replace("{", "…")


def test_every_seed_procedure_draws_without_overlapping_boxes(site):
    library = Library(site.guides, site.overlays)
    for slug in library.slugs():
        for way in diagram.ways(library.get(slug)):
            drawing = way.drawing
            for one in drawing.nodes:
                for other in drawing.nodes:
                    if one is not other:
                        assert (abs(one.x - other.x) >= one.w
                                or abs(one.y - other.y) >= max(one.h, other.h)
                                or (one.y < other.y and one.y + one.h <= other.y)
                                or (other.y < one.y and other.y + other.h <= one.y)), slug
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


def test_a_note_that_lists_things_shows_them_as_a_list(web):
    # The discount guide's prerequisites are two things to understand, said in one note:
    # announced, two bullets, then what to make of them, not one run-on paragraph.
    start(web, "partner-discount-cashback")
    answer(web, value="guide")
    note = re.search(r'<div class="message message-note">(.*?)</div>', web.page, re.S)
    assert note, "no note with a list"
    assert note.group(1).lstrip().startswith("<p>Good to know before you start:</p><ul>")
    items = re.findall(r"<li>([^<]+)</li>", note.group(1))
    assert len(items) == 2 and all(i.startswith("Understanding the differences") for i in items)
    assert "</ul><p>The guide explains these as you go" in note.group(1)


def test_the_sentence_that_announces_a_choice_stands_above_its_options(web):
    # "You can then choose to:" alone in a box, then "What do you want to do?", would
    # read as half a sentence: it is in the step, between the question and the options.
    start(web, "prepaid-account-interrupted-order")
    answer(web, value="guide")
    assert "You can then choose to:" not in re.sub(r"<form.*</form>", "", web.page, flags=re.S)
    form = re.search(r'<form class="step step-choice".*?</form>', web.page, re.S)
    assert form, "no choice on the page"
    assert re.search(r'What do you want to do\?</span>\s*</legend>\s*<p class="step-lead">You '
                     r'can then choose to:</p>\s*<div class="actions options">', form.group(0))


def test_a_list_of_facts_is_one_message_with_the_sentence_that_introduces_it(web):
    start(web, "partner-discount-cashback")
    answer(web, value="guide")
    answer(web, value=buttons(web)[0])
    detail = re.search(r'<div class="message message-note">\s*<p>Detail of the calculation in '
                       r'CHF \(ex. VAT\):</p><ul>(.*?)</ul>', web.page, re.S)
    assert detail, "the CHF detail is not one message with its list"
    assert re.findall(r"<li>([^<]+)</li>", detail.group(1)) == [
        "normal price for 35 Web hostings: CHF 347.20", "with Partner discount of 20%: CHF "
        "277.76", "final partner rate with decreasing rate of 25%: CHF 208.32"]
    assert '<p class="message message-note">normal price' not in web.page
    # Nine messages in this turn: the first, what the answer chosen leads to, is kept.
    assert "when the Client places an order or renews a product" in web.page


def test_the_most_a_turn_can_say_fits_in_the_session_cookie(app):
    # The messages travel in the signed session cookie, which browsers cap at about 4 KB:
    # the wizard's budget of text, in the guides' own prose, must fit with room to spare.
    from flask import flash, session

    from webapp.wizard import MAX_MESSAGE_CHARS, MAX_MESSAGES_CHARS

    prose = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEED_GUIDES.glob("*.md")))
    with app.test_request_context():
        for n in range(MAX_MESSAGES_CHARS // MAX_MESSAGE_CHARS):
            flash(prose[n * MAX_MESSAGE_CHARS:(n + 1) * MAX_MESSAGE_CHARS], "note")
        session["csrf_token"] = "x" * 40
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    assert len(cookie) < 3500, len(cookie)


# -- what a person expects of a form ---------------------------------------------------------

def test_a_refused_answer_is_shown_again_in_its_field(web):
    start(web, DEMO_SLUG)
    answer(web, value="do")
    answer(web, value="Ada Augusta Byron King, Countess of Lovelace")  # over 40 characters
    assert error_of(web.page)
    assert 'value="Ada Augusta Byron King, Countess of Lovelace"' in web.page
    answer(web, value="Ada")
    assert "And which last name?" in web.page and 'value="Ada' not in web.page


def test_a_refused_password_is_never_shown_again(web):
    start(web, DEMO_SLUG)
    for value in ("do", "Ada", "Lovelace"):
        answer(web, value=value)
    secret = "s3cret-" + "x" * 300  # longer than a password may be: refused
    answer(web, value=secret)
    assert error_of(web.page) and 'type="password"' in web.page
    assert secret[:20] not in web.page


def test_an_upload_says_its_limit_and_a_body_over_it_comes_back_to_the_step(site):
    web = FormClient(build_app(site.model_copy(update={"max_request_bytes": 200_000}))
                     .test_client())
    start(web, DEMO_SLUG)
    for value in ("do", "Ada", "Lovelace", PASSWORD, "confirm", "upload", "confirm"):
        answer(web, value=value)
    assert "PNG, JPEG, GIF or WebP picture, up to 180 kB." in web.page
    assert 'data-max-bytes="180000"' in web.page and 'accept="image/png,' in web.page
    step_url = web.url
    answer(web, files={"value": b"\x89PNG" + b"0" * 300_000})
    assert web.url == step_url and "Choose a picture" in web.page
    assert error_of(web.page) == ("That file is too large: files up to 180 kB can be uploaded. "
                                  "Nothing was changed; please choose a smaller file.")
    assert 'aria-invalid="true"' in web.page
    answer(web, files={"value": png()})  # the step still works
    assert "Your profile picture is set." in web.page


def test_the_step_counter_names_the_stage_and_what_is_left(web):
    start(web, "partner-add-managed-client")
    answer(web, value="guide")
    progress = re.search(r'<p id="progress-text">(.*?)</p>', web.page, re.S).group(1)
    assert re.fullmatch(r'<span class="progress-stage">Prerequisites</span> · Step 2 of about '
                        r'\d+', progress.strip()), progress
    left = re.search(r'<p class="progress-left[^"]*">([^<]+)</p>', web.page).group(1)
    # Every step counts, an instruction to follow as much as a question to answer.
    assert re.fullmatch(r"About \d+ more steps after this one\.", left), left


def test_a_stopped_run_says_what_to_do_next(site):
    settings = site.model_copy(update={"support_email": "help@example.com",
                                       "support_phone": "+41 22 820 35 44",
                                       "support_hours": "Monday to Friday, 9:00 to 18:00"})
    web = FormClient(build_app(settings).test_client())
    start(web, "partner-add-managed-client")
    answer(web, value="guide")
    answer(web, value=buttons(web)[1])  # "No": the prerequisite does not hold
    assert 'class="outcome outcome-blocked"' in web.page
    forward = web.page.split('id="way-forward-title"', 1)[1].split("</section>", 1)[0]
    assert 'href="/guides/partner-add-managed-client"' in forward
    assert 'href="mailto:help@example.com"' in forward and 'href="tel:+41228203544"' in forward
    assert "(Monday to Friday, 9:00 to 18:00)" in forward
    assert "restart" in buttons(web, "event")


def test_a_finished_run_offers_its_files_as_downloads(web):
    start(web, "partner-add-managed-client")
    answer(web, value=buttons(web)[0])  # do it for me
    for _ in range(12):
        if 'class="outcome' in web.page:
            break
        if buttons(web):
            choice = next((b for b in buttons(web) if "export" in b or b == "yes"), None)
            answer(web, value=choice or buttons(web)[0])
        else:
            answer(web, value="client@example.com")
    if "Download " not in web.page:
        pytest.skip("no procedure of this version makes a file yet")
    link = re.search(r'<a class="download" href="([^"]+)"', web.page).group(1)
    response = web.client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_download_link_reaches_only_this_runs_files(web):
    run_url = start(web, DEMO_SLUG)
    run_id = run_url.rsplit("/", 1)[1]
    for url in ("/api/v1/guides", "https://example.com/x", f"/api/v1/runs/{'0' * 16}/files/a"):
        assert web.client.get(f"{run_url}/download", query_string={"url": url}).status_code == 404
    other = FormClient(web.client.application.test_client())
    assert other.client.get(f"/runs/{run_id}/download",
                            query_string={"url": f"/api/v1/runs/{run_id}"}).status_code == 404


def test_a_download_is_fetched_with_this_browsers_run_token(site):
    """The API serves a run's files to its token only; the wizard's link fetches them
    with the token this browser holds. A stand-in file route plays the API's here."""
    from flask import Response, request

    from kb.errors import RunNotFound

    app = build_app(site)

    def file_route(run_id: str, name: str):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            app.extensions["kb.context"].guided.get(run_id, token)
        except RunNotFound:
            return Response("no", status=404)
        return Response("name,email\nStudio Nord,hello@nord.example\n", mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    app.add_url_rule("/api/v1/runs/<run_id>/files/<name>", "test_file", file_route)
    web = FormClient(app.test_client())
    run_url = start(web, DEMO_SLUG)
    run_id = run_url.rsplit("/", 1)[1]
    response = web.client.get(f"{run_url}/download",
                              query_string={"url": f"/api/v1/runs/{run_id}/files/clients.csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="clients.csv"'
    assert "Studio Nord" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_step_the_procedure_does_for_you_is_counted_under_the_way_chosen(web):
    start(web, DEMO_SLUG)
    answer(web, value="do")
    progress = re.search(r'<p id="progress-text">(.*?)</p>', web.page, re.S).group(1)
    assert progress.startswith('<span class="progress-stage">Change it for me</span> · Step 2')


def test_the_final_page_does_not_say_done_twice(web):
    # The run's summary opens with "Done." (the chat shows it alone); under the page's
    # heading "Done" it reads on from what was done.
    start(web, "profile-edit-name-avatar")
    for value in ("do", "name", "Ada", "Lovelace", "confirm"):
        answer(web, value=value)
    assert "<h2 id=\"outcome-title\">Done</h2>" in web.page
    summary = re.search(r'<p class="summary">(.*?)</p>', web.page, re.S).group(1)
    assert summary.startswith("The Manager and Mail now show you as Ada Lovelace"), summary


OPENING_STEPS = """Only team admins can add users.

1. Click Team.
2. Click Add user and enter their email.

## Removing a user

Click the trash icon next to their name.
"""


def test_steps_that_open_a_guide_are_not_labelled_with_its_title_again(tmp_path):
    # The opening's steps are a stage named after the guide (a walk through them stops
    # at the sections): the page's heading says that name, the step does not repeat it.
    settings = make_site(tmp_path, extra_guides=(
        ("add-a-user-to-your-team", "Add a user to your team", OPENING_STEPS),))
    web = FormClient(build_app(settings).test_client())
    start(web, "add-a-user-to-your-team")
    page = web.page
    # One way through its three steps: the count is exact, not "about".
    assert '<p id="progress-text">Step 1 of 3</p>' in page, page
    assert "2 more steps after this one." in page
    assert "stage-name" not in page
    legend = page.split("<legend>")[1].split("</legend>")[0]
    assert "Add a user to your team" not in legend and "Click Team." in legend
    stages = re.findall(r'<li class="[^"]*"[^>]*>([^<]+)</li>', page.split('class="stages"')[1])
    assert stages[:2] == ["Add a user to your team", "Removing a user"]


NUMBERED_SECTIONS = """It takes about ten minutes to open your store.

## Step 1: Choose a plan

Go to Pricing and click Start under the plan you want.

## Step 2: Add your first product

Click Products > Add product, enter a name and a price, then click Save.
"""


def test_a_section_that_numbers_itself_is_not_numbered_twice(tmp_path):
    # "Step 2: Add your first product · Step 2 of 2" said the number twice: the counter
    # says which step it is, the stage says what it is about.
    settings = make_site(tmp_path, extra_guides=(
        ("open-your-store", "Open your store", NUMBERED_SECTIONS),))
    web = FormClient(build_app(settings).test_client())
    start(web, "open-your-store")
    answer(web, value="done")
    progress = re.search(r'<p id="progress-text">(.*?)</p>', web.page, re.S).group(1)
    assert progress.strip() == ('<span class="progress-stage">Add your first product</span> '
                                '· Step 2 of 2'), progress
