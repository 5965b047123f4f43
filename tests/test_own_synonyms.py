"""A help center's own words: `synonyms.yaml` at the top of the guides folder, in the
shipped table's shape, is added to the shipped table. A school's customers ask for a
"transcript" where its guides say "grades"; no table shipped with the product can know
that."""

from __future__ import annotations

from pathlib import Path

from kb.cli import main
from kb.context import Context
from kb.search.live import SearchService
from kb.settings import Settings
from tests.conftest import write_guide

GUIDES = (
    ("export-the-gradebook", "Export the gradebook",
     "Download the grades of a course as a spreadsheet.\n\n## Export one course\n\n"
     "1. Open the course and click **Gradebook**.\n2. Click **Export**.\n"),
    ("invite-parents", "Invite parents",
     "Parents follow the grades of their child.\n\n## Send an invitation\n\n"
     "1. Open the student's profile.\n2. Click **Invite parent**.\n"),
    ("create-a-quiz", "Create a quiz",
     "Quizzes are graded automatically.\n\n## Add questions\n\n"
     "1. Open the course and click **Add quiz**.\n2. Add the questions and save.\n"),
    ("reset-your-password", "Reset your password",
     "A reset link is valid for 60 minutes.\n\n## Ask for a link\n\n"
     "1. Click **Forgot password?**.\n2. Enter your address.\n"),
)
OWN = "equivalent:\n  - [grades, transcript, scores]\n  - [quiz, quizzes, test, exam]\n"
QUESTION = "download my transcript"


def school(root: Path) -> Settings:
    guides = root / "guides"
    guides.mkdir()
    for slug, title, body in GUIDES:
        write_guide(guides, slug, body=body, title=title)
    return Settings(guides=guides, data=root / "data")


def test_the_help_centers_own_words_reach_its_guides(tmp_path):
    settings = school(tmp_path)
    before = Context(settings).search.search(QUESTION)
    assert not (before.confident and before.results[0].slug == "export-the-gradebook")
    (settings.guides / "synonyms.yaml").write_text(OWN, encoding="utf-8")
    after = Context(settings).search.search(QUESTION)
    assert after.confident and after.results[0].slug == "export-the-gradebook"
    # Every group of the file counts, and the shipped table still works beside it
    # ("download" is "export" in any help center).
    exam = Context(settings).search.search("exam for my course")
    assert exam.confident and exam.results[0].slug == "create-a-quiz"


def test_a_changed_synonym_file_is_used_without_a_restart(tmp_path):
    settings = school(tmp_path)
    search = SearchService(settings, refresh_seconds=0)
    assert not search.search(QUESTION).confident
    (settings.guides / "synonyms.yaml").write_text(OWN, encoding="utf-8")
    found = search.search(QUESTION)
    assert found.confident and found.results[0].slug == "export-the-gradebook"


def test_a_broken_synonym_file_is_reported_and_search_goes_on(tmp_path, capsys):
    settings = school(tmp_path)
    own = settings.guides / "synonyms.yaml"
    own.write_text("equivalent:\n  - [grades, marks\n", encoding="utf-8")
    code = main(["--guides", str(settings.guides), "--data", str(settings.data), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{own}:3: invalid YAML" in out
    # Search answers with the shipped table meanwhile.
    assert Context(settings).search.search("reset my password").results[0].slug == \
        "reset-your-password"
    own.write_text("equivalent:\n  - grades\n", encoding="utf-8")
    code = main(["--guides", str(settings.guides), "--data", str(settings.data), "check"])
    assert code == 1 and f"{own}:1: equivalent.0" in capsys.readouterr().out


def test_a_word_listed_twice_is_reported_with_both_lines(tmp_path, capsys):
    settings = school(tmp_path)
    own = settings.guides / "synonyms.yaml"
    own.write_text("related:\n  marks: [grades]\n  tutor: [teacher]\n  marks: [gradebook]\n",
                   encoding="utf-8")
    code = main(["--guides", str(settings.guides), "--data", str(settings.data), "check"])
    out = capsys.readouterr().out
    # YAML keeps the last list only: the author learns that "grades" would be lost.
    assert code == 1
    assert f'{own}:4: "marks" is listed again (first on line 2)' in out


def test_a_synonym_file_that_is_not_text_is_reported_not_a_crash(tmp_path, capsys):
    settings = school(tmp_path)
    own = settings.guides / "synonyms.yaml"
    own.write_bytes(b"\xff\xfe\x00related:\n")
    code = main(["--guides", str(settings.guides), "--data", str(settings.data), "check"])
    assert code == 1
    assert f"{own}:1: cannot read the file: it is not UTF-8 text" in capsys.readouterr().out
    # Search answers with the shipped table meanwhile.
    assert Context(settings).search.search("reset my password").results[0].slug == \
        "reset-your-password"


def test_two_words_search_reads_as_one_are_reported(tmp_path, capsys):
    # "organise" and "organisation" are one stem to search: the sorting group and the
    # school's group would each search for the other's words. The owner is told where.
    settings = school(tmp_path)
    own = settings.guides / "synonyms.yaml"
    own.write_text("equivalent:\n  - [school, organisation]\n  - [sort, organise, group]\n"
                   "related:\n  tutor: [teacher]\n  school: [campus]\n"
                   "  buzz: [notification]\n  buzzing: [notification]\n", encoding="utf-8")
    code = main(["--guides", str(settings.guides), "--data", str(settings.data), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert f'{own}:3: "organise" is read as "organisation" (line 2)' in out
    # The same word in a group and as a one-way key adds to it, and two one-way keys
    # of one stem add their targets together: nothing to report.
    assert f"{own}:6" not in out and f"{own}:8" not in out
