"""Steps written as "Step 1:", "Step 2:" paragraphs are steps, imported or written so.

Help centers often number steps in words. Read as paragraphs, the guided procedure
showed them as one note and "followed every step" without a single instruction; now an
imported article gets the numbered list the author meant (and `kb import` says so), and
a guide written that way by hand compiles them as steps.
"""

from __future__ import annotations

import re

from kb.cli import main
from kb.content import guides
from procedures.compiler import compile_guide

PLAIN = """Set up call forwarding

Send your calls to another number while you are away.

Step 1: Open the Phone app.

Step 2: Tap Settings, then Forwarding.

Step 3: Enter the number and tap Save.

Forwarding costs the usual rate of a call.
"""

HTML = """<html><body><h1>Export your contacts</h1>
<p>Keep a copy of your address book.</p>
<p><strong>Step 1:</strong> Open Contacts.</p>
<p><strong>Step 2:</strong> Click Export and choose CSV.</p>
<pre><code>Step 1: this is code, not a step
Step 2: neither is this</code></pre>
</body></html>
"""


def _imported(tmp_path, capsys, name: str, text: str):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    code = main(["import", str(source), "--to", str(tmp_path / "out")])
    _, err = capsys.readouterr()
    assert code == 0, err
    (guide,) = guides.load(tmp_path / "out")
    return guide, err


def test_step_paragraphs_of_a_plain_text_article_become_the_procedures_steps(tmp_path, capsys):
    guide, err = _imported(tmp_path, capsys, "forwarding.txt", PLAIN)
    assert "1. Open the Phone app.\n2. Tap Settings, then Forwarding.\n3. Enter the number " \
        "and tap Save." in guide.body
    assert "Step 1" not in guide.body
    procedure = compile_guide(guide.path.read_text(encoding="utf-8"), str(guide.path))
    instructions = [s.text for s in procedure.steps if s.kind == "instruction"]
    assert instructions == ["Open the Phone app.", "Tap Settings, then Forwarding.",
                            "Enter the number and tap Save."]
    # The paragraph after the steps is still there, on its own.
    assert "Forwarding costs the usual rate of a call." in guide.body
    assert 'Steps written as "Step 1:", "Step 2:"… became a numbered list.' in err


def test_bold_step_labels_of_an_html_article_become_a_list_and_code_stays_code(tmp_path,
                                                                               capsys):
    guide, _ = _imported(tmp_path, capsys, "contacts.html", HTML)
    assert "1. Open Contacts.\n2. Click Export and choose CSV." in guide.body
    # In a code block, "Step 1:" is the code's text.
    assert "Step 1: this is code, not a step" in guide.body


def test_a_step_of_a_markdown_article_keeps_its_further_lines(tmp_path, capsys):
    text = ("# Reset the router\n\nWhen the internet stops working.\n\n"
            "**Step 1.** Unplug the router\nfrom the wall.\n\n**Step 2.** Wait thirty "
            "seconds.\n\n**Step 3.** Plug it back in.\n")
    guide, _ = _imported(tmp_path, capsys, "router.md", text)
    procedure = compile_guide(guide.path.read_text(encoding="utf-8"), str(guide.path))
    assert [s.text for s in procedure.steps if s.kind == "instruction"] == [
        "Unplug the router from the wall.", "Wait thirty seconds.", "Plug it back in."]


def test_a_single_step_paragraph_or_steps_out_of_order_stay_as_written(tmp_path, capsys):
    text = "Check your plan\n\nStep 1: Open the Manager.\n\nStep 3: Read the plan's name.\n"
    guide, err = _imported(tmp_path, capsys, "plan.txt", text)
    assert "Step 1: Open the Manager." in guide.body
    assert "Step 3: Read the plan's name." in guide.body
    assert "numbered list" not in err


HAND_WRITTEN = """---
title: Reset the router
slug: reset-the-router
category: Testing
summary: Restart the router when the internet stops.
tags: [router]
products: [Manager]
language: en
updated: 2026-11-28
---

When the internet stops working, restart the router.

**Step 1:** Unplug the router.

**Step 2:** Wait thirty seconds.

**Step 3:** Plug it back in.

## If it still fails

Step 1. Call your provider; a lone labelled paragraph is a note as written.
"""


def test_a_guide_written_with_step_paragraphs_compiles_them_as_steps_at_their_lines():
    procedure = compile_guide(HAND_WRITTEN, "reset-the-router.md")
    steps = {s.text: s for s in procedure.steps}
    assert [s.text for s in procedure.steps if s.kind == "instruction"] == [
        "Unplug the router.", "Wait thirty seconds.", "Plug it back in."]
    # Each step points at its own line of the file (for `kb check` and authors).
    lines = HAND_WRITTEN.splitlines()
    assert "Wait thirty seconds." in lines[steps["Wait thirty seconds."].line - 1]
    assert steps["Step 1. Call your provider; a lone labelled paragraph is a note as "
                 "written."].kind == "note"


# Labels on consecutive lines of one paragraph, a bare label with its text on the next
# line, and a table after the run whose line a problem would name.
LINES = """When the printer stops, reset it.

Step 1: Switch the printer off.
Step 2: Hold the Reset button
for five seconds.
Step 3:
Switch it back on.

## Paper sizes

| Tray | Size |
| --- | --- |
| 1 | A4 |
"""


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_step_labels_on_consecutive_lines_are_steps_each_at_its_own_line():
    source = HAND_WRITTEN.split("---\n\n", 1)[0] + "---\n\n" + LINES
    procedure = compile_guide(source, "reset-the-router.md")
    instructions = [s for s in procedure.steps if s.kind == "instruction"]
    assert [s.text for s in instructions] == [
        "Switch the printer off.", "Hold the Reset button for five seconds.",
        "Switch it back on."]
    # The lines of the file are kept: each step and the section after the run are where
    # an author finds them.
    assert [s.line for s in instructions] == [_line_of(source, "Step 1:"),
                                              _line_of(source, "Step 2:"),
                                              _line_of(source, "Step 3:")]
    from procedures.compiler.outline import parse

    (section,) = parse(LINES).sections
    assert section.line == _line_of(LINES, "## Paper sizes")


def test_the_help_center_shows_and_quotes_them_as_numbered_steps(tmp_path):
    from kb.context import Context
    from kb.settings import Settings
    from tests.conftest import guides_of
    from webapp import create_app

    settings = Settings(guides=guides_of(tmp_path, ("reset-the-printer", "Reset the printer",
                                                    LINES)),
                        data=tmp_path / "data", secret_key="test")
    page = create_app(settings, testing=True).test_client().get("/guides/reset-the-printer")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    body = html[html.index('<div class="guide-body">'):]
    steps = re.search(r"<ol>(.*?)</ol>", body, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", steps, re.S) == [
        "Switch the printer off.", "Hold the Reset button\nfor five seconds.",
        "Switch it back on."]
    assert "Step 2" not in html
    response = Context(settings).search.search("how do i reset the printer")
    assert response.results[0].slug == "reset-the-printer"
    assert "1. Switch the printer off.\n2. Hold the Reset button for five seconds." \
        in response.results[0].passage
