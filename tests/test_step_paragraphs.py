"""Steps written as "Step 1:", "Step 2:" paragraphs are steps, imported or written so.

Help centers often number steps in words. Read as paragraphs, the guided procedure
showed them as one note and "followed every step" without a single instruction; now an
imported article gets the numbered list the author meant (and `kb import` says so), and
a guide written that way by hand compiles them as steps.
"""

from __future__ import annotations

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
