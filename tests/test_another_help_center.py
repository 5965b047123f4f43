"""Other companies' help centers, each imported alone (without the shipped guides) and
asked in its customers' words:

- `shifts`: a shift-scheduling app's twelve articles in Markdown as help desks write it
  (steps with bold labels, notes, a price table, an FAQ);
- `school`: an online school's ten articles as they come out of help centers: five pages
  saved from the browser (HTML with the site's header, breadcrumbs and footer), three in
  Markdown, two in plain text.

- `home`: a smart thermostat's ten articles of the same mix (four saved pages, four in
  Markdown, two in text), measured and never tuned on: its misses are not read, so that
  it says how search does on a trade nobody here has looked at.

The first two were written apart from the product's code, on 2026-11-29, and first measured as
they came (shifts: top-1 71.1%, answers 46.7%; school: top-1 70.0%, answers 37.5% at the
start of that day's work, 40.0% after the changes made for `shifts`, before any was made
for it). Their misses were then used to improve search and extraction on principles (a
question of "can I … the same day", a table row read through its column names, an FAQ
answer from its first words, an FAQ's question as the title of its answer, the names of
an interface's parts, a menu path that is no role, "after" a time that is not "before"
it), so both are tuning sets since.

- `bike`: a bike-sharing service's ten articles (six in Markdown, two in text, two HTML
  pages, with troubleshooting sections, an FAQ, a price table and a comparison of
  passes), and 40 questions in its customers' words, written apart from the product's
  code on 2026-11-29 with the guide and the facts that answer each. Measured first at
  that day's 8e79e98: top-1 63.9%, top-3 77.8%, answers 36.1%; a few of its misses were
  then used (a crash is an accident, "what should I do" asks for steps, an age said as
  "15 year old"), so it is a tuning set too.

The floors are what was reached: a change that loses ground on another domain fails here.
"""

from __future__ import annotations

import pytest

from kb.context import Context
from kb.search.evaluation import evaluate, evaluate_answers, read_answer_cases, read_cases
from tests.conftest import FIXTURES, with_articles

RELEVANCE = {"shifts": {"top1": 0.888, "top3": 0.933, "answered": 0.733, "rejected": 0.933},
             "bike": {"top1": 0.805, "top3": 0.888, "answered": 0.777, "rejected": 0.75},
             "home": {"top1": 0.725, "top3": 0.80, "answered": 0.70, "rejected": 0.833},
             "school": {"top1": 0.85, "top3": 0.95, "answered": 0.80, "rejected": 0.833}}
ANSWERS = {"shifts": {"answered": 0.688, "extracted": 0.822},
           "bike": {"answered": 0.638, "extracted": 0.75},
           "home": {"answered": 0.45, "extracted": 0.50},
           "school": {"answered": 0.625, "extracted": 0.725}}
SIZES = {"shifts": 12, "school": 10, "home": 10, "bike": 10}


@pytest.fixture(scope="module")
def centers(tmp_path_factory) -> dict[str, Context]:
    return {name: with_articles(tmp_path_factory.mktemp(name), f"articles-{name}",
                                shipped=False) for name in SIZES}


@pytest.fixture(params=sorted(SIZES))
def help_center(request, centers) -> tuple[str, Context]:
    return request.param, centers[request.param]


def test_each_help_center_is_its_own_articles_alone(help_center):
    name, context = help_center
    slugs = context.library.slugs()
    assert len(slugs) == SIZES[name]
    assert not any(slug.startswith(("kauth", "partner")) for slug in slugs)
    assert context.knowledge_base().problems == []


def test_relevance_on_another_companys_help_center(help_center):
    name, context = help_center
    searcher = context.search.searcher()
    figures = evaluate(read_cases(FIXTURES / "eval" / f"{name}.tsv"),
                       lambda q: searcher.search(q, limit=10)).figures()
    for figure, floor in RELEVANCE[name].items():
        assert figures[figure] >= floor, (name, figure, figures)


def test_answers_on_another_companys_help_center(help_center):
    name, context = help_center
    searcher = context.search.searcher()
    report = evaluate_answers(read_answer_cases(FIXTURES / "answers" / f"{name}.tsv"),
                              lambda q: searcher.search(q, limit=10))
    figures = report.figures()
    for figure, floor in ANSWERS[name].items():
        assert figures[figure] >= floor, (name, figure, figures)


def test_an_faqs_question_is_the_title_of_its_answer(centers):
    # The school's FAQ asks "How do I reset my password?"; the single sign-on guide says
    # "password" more often, for another purpose. The FAQ's heading is the title of its
    # answer, and counts (for half) as a guide's title does.
    found = centers["school"].search.search("forgot my password")
    assert found.results[0].slug == "lernfeld-faq-app-accessibility-certificates-and-sign-in"
    assert "60 minutes" in found.results[0].passage


def test_a_question_about_after_a_time_is_not_answered_about_before_it(centers):
    # "after the deadline" is the other side of "a reminder 24 hours before the due date".
    found = centers["school"].search.search(
        "can students hand in assignments after the deadline")
    assert "24 hours before" not in found.results[0].passage
    assert "after the due date" in found.results[0].passage


def test_steps_for_another_task_do_not_answer(centers):
    # "take him off" is removing a rider; the steps under "Inviting employees" do another
    # task, though they hold more of the question's words (employees, company account).
    found = centers["bike"].search.search(
        "one of our employees quit, how do I take him off the company account")
    assert "Riders > Remove" in found.results[0].passage
    assert "tap Invite" not in found.results[0].passage
