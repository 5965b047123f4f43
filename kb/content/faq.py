"""Questions and answers written "Q: …" / "A: …", made sections headed by the question.

FAQ articles often pair a "Q:" line with an "A:" paragraph, or set each question (in bold
or not) on a line of its own with the answer under it. Read as paragraphs, every
question is a line of prose: search cannot tell that the answer under a question is the
passage for it, and the guide has no table of contents. Two or more such pairs become
sections (`## Where do I find my invoices?`) whose text is the answer, the "A:" label
dropped. Code blocks are left alone, and a lone "Q:" or bold question stays as written.
"""

from __future__ import annotations

import re

from procedures.source.code import unfenced

QUESTION = re.compile(r"^ {0,3}(?:\*\*|__)?(?:Q|Question)\s*[:.]\s*(?:\*\*|__)?\s*"
                      r"(?P<text>\S.*?)\s*(?:\*\*|__)?\s*$", re.IGNORECASE)
# A whole line in bold that asks something ("**How often can I export?**").
BOLD_QUESTION = re.compile(r"^ {0,3}(\*\*|__)(?P<text>[^*_\s][^*_]*\?)\1\s*$")
# A question on a line of its own, as plain text writes one ("Can I get a refund?").
PLAIN_QUESTION = re.compile(r"^ {0,3}(?P<text>[A-Z][^*_#>|\n]{2,118}\?)\s*$")
ANSWER = re.compile(r"^ {0,3}(?:\*\*|__)?(?:A|Answer)\s*[:.]\s*(?:\*\*|__)?\s*(?P<text>.*)$",
                    re.IGNORECASE)


def questions_as_headings(body: str) -> tuple[str, int]:
    """The body with each "Q:" line that an "A:" line answers made a heading, the "A:"
    label dropped; and how many questions were changed (none unless two or more)."""
    lines = body.split("\n")
    pairs: list[tuple[int, int]] = []  # (question line, answer line)
    for i, line in unfenced(lines):
        if not (QUESTION.match(line) or BOLD_QUESTION.match(line) or
                (PLAIN_QUESTION.match(line) and (i == 0 or not lines[i - 1].strip()))):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _answers(lines[i], lines[j]):
            pairs.append((i, j))
    if len(pairs) < 2:
        return body, 0
    level = level_below(lines, pairs[0][0])
    for question, answer in pairs:
        found_q = QUESTION.match(lines[question]) or BOLD_QUESTION.match(lines[question]) \
            or PLAIN_QUESTION.match(lines[question])
        assert found_q is not None
        lines[question] = f"{'#' * level} {found_q['text']}"
        if question + 1 == answer:
            lines[question] += "\n"  # a heading, then its text as a paragraph
        found_a = ANSWER.match(lines[answer])
        if found_a is not None:
            lines[answer] = found_a["text"]
    return "\n".join(lines), len(pairs)


def _answers(question: str, line: str) -> bool:
    """Whether `line` is the answer to the question line before it: an "A:" line after a
    "Q:" line; after a bold question, text that is not itself a heading or a question."""
    if QUESTION.match(question):
        return bool(ANSWER.match(line))
    return not re.match(r"^ {0,3}#", line) and not BOLD_QUESTION.match(line) and \
        not PLAIN_QUESTION.match(line)


def level_below(lines: list[str], before: int) -> int:
    """One level below the heading the first question stands under (2 under none)."""
    for line in reversed(lines[:before]):
        found = re.match(r"^ {0,3}(#{1,6})\s", line)
        if found:
            return min(len(found.group(1)) + 1, 6)
    return 2
