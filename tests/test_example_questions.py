"""The hints that show how to ask are made from the help center's own guides: a shift
app's customers were told to try "how do I add a client as a reseller"."""

from __future__ import annotations

from kb.chat.examples import example_questions
from tests.conftest import with_articles
from tests.test_chat_replies import talker


def test_titles_become_questions_a_customer_would_type():
    titles = ["Notifications FAQ", "How do I swap a shift?", "Request time off",
              "Set your availability", "Choose when you get reminders",
              "Export timesheets for payroll (CSV)"]
    assert example_questions(titles, 4) == [
        "how do I swap a shift", "how do I request time off", "how do I set my availability",
        "how do I export timesheets for payroll (CSV)"]
    # A title that is no task nor question ("Notifications FAQ", "Parent accounts")
    # makes no example, and none is made up.
    assert example_questions(["Notifications FAQ", "Parent accounts"]) == []


def test_another_companys_help_center_shows_its_own_examples(tmp_path):
    from webapp import create_app

    context = with_articles(tmp_path, "articles-shifts", shipped=False)
    app = create_app(context.settings, testing=True)
    home = app.test_client().get("/").get_data(as_text=True)
    assert "add a client as a reseller" not in home
    hint = home.split('id="q-hint"', 1)[1].split("</p>", 1)[0]
    assert "For example: “how do I " in hint
    examples = context.example_questions()
    assert len(examples) == 2 and all(f"“{e}”" in hint for e in examples)
    # The chat's help says the same kind of thing.
    say = talker(app, "legal-rep")
    helped = say("help")[0]["text"]
    assert "add a client" not in helped and f"e.g. “{examples[0]}”." in helped


def test_the_embed_page_shows_attributes_for_this_help_center(tmp_path):
    from webapp import create_app

    context = with_articles(tmp_path, "articles-shifts", shipped=False)
    page = create_app(context.settings, testing=True).test_client().get("/embed")
    text = page.get_data(as_text=True)
    # An owner pastes these as they are: a question and a procedure of their own.
    assert f'data-kb-ask="{context.example_questions(limit=1)[0]}"' in text
    assert 'data-kb-procedure="kauth-remove-account"' not in text
    slug = text.split('data-kb-procedure="', 1)[1].split('"', 1)[0]
    assert (context.settings.guides / f"{slug}.md").exists()
