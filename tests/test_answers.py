"""Answers that answer: the passage a customer reads for a question, measured on question
sets with the facts each answer must contain (`kb eval --answers`), and by example."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.cli import main
from kb.search import questions
from kb.search.evaluation import evaluate_answers, holds, read_answer_cases
from kb.search.text import words
from tests.conftest import FIXTURES, SEED_GUIDES, help_center_of

ANSWERS = FIXTURES / "answers"
# What the answers reach today (docs/search-quality.md); a change that lowers a share fails.
# The held-out set was written with the tuning set, before any tuning, and is not tuned on.
# fresh.tsv was written last, by someone who had read only the guides (no code, no other
# set); its questions and misses are never read while tuning (only its whole-set figures):
# the closest estimate on questions nobody has seen.
FLOORS = {"tuning.tsv": 0.913, "heldout.tsv": 0.734, "fresh.tsv": 0.798}
EXTRACTED_FLOORS = {"tuning.tsv": 0.98, "heldout.tsv": 0.90, "fresh.tsv": 0.899}


def answer_of(search, question: str) -> str:
    response = search.search(question)
    assert response.results, question
    return response.results[0].passage


def test_the_answer_sets_are_big_and_in_customers_words():
    cases = [c for name in FLOORS for c in read_answer_cases(ANSWERS / name)]
    assert len(cases) >= 150
    guide_words = {path.stem: set(words(path.read_text(encoding="utf-8")))
                   for path in SEED_GUIDES.glob("*.md")}
    # A quarter at least share no word (stopwords aside) with the guide that answers.
    from kb.search.text import is_stopword
    foreign = [c for c in cases
               if not {w for w in words(c.question) if not is_stopword(w)}
               & guide_words[c.guide]]
    assert len(foreign) >= len(cases) // 4, len(foreign)


def test_answers_contain_the_facts_asked_for(seed_context):
    searcher = seed_context.search.searcher()
    for name, floor in FLOORS.items():
        report = evaluate_answers(read_answer_cases(ANSWERS / name),
                                  lambda q: searcher.search(q, limit=10))
        figures = report.figures()
        assert figures["answered"] >= floor, (name, figures)
        assert figures["extracted"] >= EXTRACTED_FLOORS[name], (name, figures)


def test_kb_eval_answers_prints_the_share(capsys, tmp_path):
    code = main(["--guides", str(SEED_GUIDES), "--data", str(tmp_path), "eval", "--answers",
                 str(ANSWERS / "heldout.tsv")])
    out = capsys.readouterr().out
    assert code == 0 and "answered:" in out and "contain their facts" in out


def test_a_fact_check_wants_every_fact_and_no_trailing_colon():
    must = (("20%",), ("prepaid account", "PayPal"))
    assert holds("A discount of 20% goes to the prepaid account.", must)
    assert not holds("A discount of 20%.", must)
    assert not holds("20% to the prepaid account in the following cases:", must)


def test_who_can_gets_the_role_not_the_intro(seed_context):
    text = answer_of(seed_context.search, "who is allowed to add clients")
    assert "legal representatives" in text and "This guide explains" not in text


def test_how_much_gets_the_amount_with_what_the_colon_announces(seed_context):
    text = answer_of(seed_context.search, "how much discount do partners get")
    assert "20%" in text and not text.rstrip().endswith(":")


def test_how_do_i_gets_numbered_steps(seed_context):
    text = answer_of(seed_context.search, "how do i add a client as a reseller")
    assert "1. Log in" in text and "Reseller Space" in text and "Add a client" in text


def test_a_hack_gets_the_steps_to_change_passwords(seed_context):
    text = answer_of(seed_context.search, "someone hacked my account")
    assert "Compromised password?" in text
    assert "more steps in the guide" in text  # nine steps, cut after five


def test_a_lost_phone_is_not_answered_with_advice_for_a_planned_change(seed_context):
    lost = answer_of(seed_context.search, "i lost my phone with the authenticator app")
    assert "If you plan to change" not in lost and "too late" in lost
    planned = answer_of(seed_context.search, "i'm changing my phone, what do i do with kauth")
    assert "log in one last time" in planned


def test_a_step_ending_with_a_colon_keeps_its_sub_items_and_says_what_is_left(seed_context):
    text = answer_of(seed_context.search, "i lost my phone with the authenticator app")
    assert "emergency codes" in text and "identity documents" in text
    assert text.splitlines()[-1] == "…and 1 more step in the guide."


def test_too_many_messages_get_the_setting_that_controls_them(seed_context):
    text = answer_of(seed_context.search, "too many emails about expiring products")
    assert "I wish to receive reminder emails" in text


def test_what_x_means_and_yes_or_no_get_a_definition_and_a_condition(seed_context):
    meaning = answer_of(seed_context.search, "what does decreasing rate mean")
    assert meaning.startswith("The discount accumulates with the decreasing rate")
    # "mean" only makes the question ask for a meaning: the guide that says "decreasing
    # rate" has answered all of it, and says so without "I'm not sure".
    for question in ("what does decreasing rate mean", "whats cashback mean"):
        assert seed_context.search.search(question).confident, question
    yes_no = answer_of(seed_context.search, "is the discount applied on renewals")
    assert "The discount applies in the following case:" in yes_no
    assert "on behalf of their client" in yes_no


ARTICLE = """This guide explains how to bring a website back to a previous day.

## Backups made for you

Infomaniak copies the files of every hosting every night. The copies of the last 7 days are
kept for free; a longer retention is an option.

## Restore the files

To go back to a previous version of the files:

- Log in to the Infomaniak Manager.
- Click on Web Hosting in the left sidebar menu.
- Click on Backups in the secondary menu.
- Choose the date of the backup to use, then click on Restore.

> **Note:** restoring replaces the current files of the website; what was added since the
> chosen date is lost.
"""


def test_an_imported_article_gets_numbered_steps_and_counted_days(tmp_path):
    # Help centers often write steps as bullets, and say "7 days" where asked "how many".
    search = help_center_of(tmp_path, ("restore-website", "Restore a website from a backup",
                                       ARTICLE)).search
    steps = answer_of(search, "where do i restore the files of my website")
    assert steps.startswith("To go back to a previous version of the files:")
    assert "1. Log in to the Infomaniak Manager." in steps and "4. Choose the date" in steps
    days = answer_of(search, "how many days of backups are kept")
    assert "The copies of the last 7 days are kept for free" in days


def test_what_a_question_says_of_the_customers_situation():
    assert questions.question_type(words("my phone was stolen")).situation == questions.AFTER
    assert questions.question_type(words("i'm replacing my phone soon")).situation == \
        questions.BEFORE
    assert questions.question_type(words("how do i add a client")).situation == ""


def test_a_conclusion_comes_with_what_it_concludes_from(seed_context):
    # "… is therefore applied" reads whole only after the calculation it concludes.
    text = answer_of(seed_context.search, "how much discount do partners get")
    first, *rest = text.splitlines()
    assert "20%" in text and "therefore" not in first and rest


# A passage that leans on what is not in it: the question, how the answer that reads
# whole opens, and what it must hold.
LEANING = [
    # "You can then choose to:" says nothing of what happened first: the sentence that
    # tells it comes along, or the two choices read as if out of nowhere.
    ("## After a failed payment\n\nWhen a card payment is declined three times, the "
     "subscription is paused and its data is kept for thirty days.\n\nYou can then choose "
     "to:\n\n- pay the open invoice by bank transfer\n- end the subscription and download "
     "the data\n",
     "can i pay the open invoice some other way",
     "When a card payment is declined three times",
     ["You can then choose to:\n- pay the open invoice"]),
    # "the address shown below" sends the reader on: the answer shows what it points at.
    ("## Connect the printer\n\n1. Open the printer's network menu.\n2. Choose Add a "
     "print server.\n3. Enter the print server address shown below, then save.\n\n"
     "## Print server\n\n- Address: print.example.net\n- Port: 9100\n",
     "print server address for my printer",
     "Connect the printer:\n1. Open the printer's network menu.",
     ["3. Enter the print server address shown below",
      "Print server:\n- Address: print.example.net\n- Port: 9100"]),
    # "They're not available on the Basic plan" is about guest passes, which the sentence
    # before names: it answers a question about guest passes on that plan.
    ("## Guest passes\n\nMembers can invite a friend with a guest pass from the app. "
     "Each guest pass is valid for one visit and shows a QR code at the entrance.\n\n"
     "## Plans\n\nGuest passes are included in the Premium and Family plans. They're not "
     "available on the Basic plan.\n\nThe Basic plan gives access to one club; the "
     "Premium plan works in every club.\n",
     "do guest passes work on the basic plan",
     "Guest passes are included in the Premium and Family plans.",
     ["They're not available on the Basic plan."]),
]


@pytest.mark.parametrize(("body", "question", "opening", "parts"), LEANING)
def test_a_passage_comes_with_what_it_leans_on(tmp_path, body, question, opening, parts):
    context = help_center_of(tmp_path, ("the-guide", "The guide", body))
    text = answer_of(context.search, question)
    assert text.startswith(opening), text
    assert all(part in text for part in parts), text


def test_a_section_opening_with_this_names_what_this_is(seed_context):
    text = answer_of(seed_context.search, "what is cashback")
    assert text.startswith("Cashback: This is an amount equal to")


def test_a_link_in_the_passage_stays_a_link(seed_context):
    result = seed_context.search.search("what must I do before changing my phone with "
                                        "kauth").results[0]
    assert result.answer is not None
    assert [(link.text, link.url) for link in result.answer.links] == [
        ("this guide", "/guides/kauth-remove-account")]
    assert '<a href="/guides/kauth-remove-account">this guide</a>' in result.snippet


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.text(min_size=0, max_size=600))
def test_any_question_gets_an_answer_or_i_dont_know(seed_context, text):
    chat = seed_context.chat
    conv_id, token = chat.create("legal-rep")
    replies = chat.post(conv_id, token, text)
    assert replies and all(r.text for r in replies)
    # (a word such as "agent" asks for a person: the hand-off asks how to reach them)
    assert replies[0].type in {"answer", "fallback", "clarify", "greeting", "thanks", "help",
                               "message", "support", "handoff-contact"}


def test_how_long_data_is_kept_is_its_retention(tmp_path):
    # Customers ask how long their data is kept; policies speak of retention, or of
    # what is kept. "Keep my data" is read as "data", which a guide has on its own.
    context = help_center_of(tmp_path, (
        "close-your-account", "Close your account",
        "## Close the account\n\n1. Open Settings > Account.\n2. Click Close account.\n\n"
        "## Retention of your files\n\nAfter closing, the retention period of your files "
        "is 90 days; then they are deleted for good.\n"), (
        "cancel-your-plan", "Cancel your plan",
        "## Cancel\n\nClick Cancel plan in Billing.\n\n## Will I lose my data?\n\n"
        "Your data is kept for 30 days after the plan ends.\n"))
    assert "90 days" in answer_of(context.search, "how long are my files kept")
    assert "30 days" in answer_of(context.search, "how long do you keep my data")
