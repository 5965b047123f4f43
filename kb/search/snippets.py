"""Snippets: pick the passage of a guide that answers, and highlight the words that matched.

A passage is chosen by how much of the question it covers (weighted like the ranking), so
the snippet quotes the section that answers instead of the top of the page. The snippet is
HTML-escaped text in which matched words are wrapped in `<mark>`: safe to insert as HTML,
and easy to strip for plain-text output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.search.text import is_stopword, word_spans

WINDOW_WORDS = 32
INTRO_HANDICAP = 0.5
SNIPPET_CHARS = 360
TAG = re.compile(r"</?(mark|a)\b[^>]*>")
# Words that carry meaning for matching ("not", "no") but say nothing when highlighted.
UNMARKED = frozenset({"not", "no", "nor", "without", "new", "after", "before", "all"})


def _markable(word: str) -> bool:
    return not is_stopword(word) and word not in UNMARKED and len(word) > 1


@dataclass(frozen=True)
class StoredPassage:
    anchor: str
    title: str
    level: int
    text: str
    stems: frozenset[str]
    title_stems: frozenset[str]


def _escape(text: str) -> str:
    # Quotes need no escaping in element content, and "it's" reads better than "it&#x27;s".
    return html.escape(text, quote=False)


def choose_passage(passages: list[StoredPassage],
                   concept_stems: list[tuple[frozenset[str], float]]) -> StoredPassage | None:
    """The passage covering the most question weight; the first one wins a tie."""
    best, best_score = None, -1.0
    for passage in passages:
        if not passage.text:
            continue
        # The intro restates the title, so it matches most questions a little; a section
        # has to match as well to be preferred, as sections hold the actual answer.
        score = 0.0 if passage.level > 1 else -INTRO_HANDICAP
        for stems, weight in concept_stems:
            if stems & passage.stems:
                score += weight
            if stems & passage.title_stems:
                score += 0.5 * weight
        if score > best_score:
            best, best_score = passage, score
    return best


def highlight(text: str, stems: frozenset[str], stem: Callable[[str], str],
              window: int = WINDOW_WORDS) -> str:
    """The densest window of `text` around matched words, escaped, matches in <mark>."""
    spans = word_spans(text)
    if not spans:
        return _escape(text[:240])
    hits = [i for i, (_, _, word) in enumerate(spans)
            if _markable(word) and stem(word) in stems]
    start = 0
    if hits:
        # Slide a window over the matched positions and keep the one with most matches,
        # then start a few words before the first match so the reader has context.
        best_count, best_first = 0, hits[0]
        j = 0
        for i, first in enumerate(hits):
            while j < len(hits) and hits[j] < first + window:
                j += 1
            if j - i > best_count:
                best_count, best_first = j - i, first
        start = max(0, best_first - 4)
        # Prefer starting at a sentence boundary when one is close before the match.
        for k in range(best_first, max(-1, best_first - 20), -1):
            if k == 0 or _sentence_starts(text, spans, k):
                start = k
                break
    end = min(len(spans), start + window)
    hit_set = set(hits)
    out: list[str] = ["… " if start > 0 else ""]
    cursor = spans[start][0]
    for i in range(start, end):
        s, e, _ = spans[i]
        out.append(_escape(text[cursor:s]))
        piece = _escape(text[s:e])
        out.append(f"<mark>{piece}</mark>" if i in hit_set else piece)
        cursor = e
    tail_end = len(text) if end == len(spans) else spans[end - 1][1]
    out.append(_escape(text[cursor:tail_end]))
    if end < len(spans):
        out.append(" …")
    return "".join(out).strip()


def _sentence_starts(text: str, spans: list[tuple[int, int, str]], k: int) -> bool:
    """Whether word k starts a sentence: a capital after ". ", ": ", "! " or "? ", and not
    after an abbreviation such as "e.g." (a one-letter word before the stop)."""
    gap = text[spans[k - 1][1]:spans[k][0]]
    previous = text[spans[k - 1][0]:spans[k - 1][1]]
    return (gap.strip().endswith((".", ":", "!", "?")) and gap[-1:].isspace()
            and text[spans[k][0]].isupper() and len(previous) > 1)


def marked(text: str, stems: frozenset[str], stem: Callable[[str], str]) -> str:
    """All of `text`, escaped, with every matched word (never a stopword) in <mark>."""
    out: list[str] = []
    cursor = 0
    for start, end, word in word_spans(text):
        if _markable(word) and stem(word) in stems:
            out.append(_escape(text[cursor:start]))
            out.append(f"<mark>{_escape(text[start:end])}</mark>")
            cursor = end
    out.append(_escape(text[cursor:]))
    return "".join(out)


def answer_snippet(text: str, links: list[tuple[str, str]], stems: frozenset[str],
                   stem: Callable[[str], str], limit: int = SNIPPET_CHARS) -> str:
    """An answer as a result's snippet: on one line, cut near `limit` characters at a
    word, matched words in <mark>, and its links (to other guides, to the web) as links."""
    if len(text) > limit:
        text = _window(text, stems, stem, limit)
    pieces: list[str] = []
    cursor = 0
    for label, url in sorted(links, key=lambda link: text.find(link[0])):
        at = text.find(label, cursor)
        if at < 0:
            continue
        pieces.append(marked(text[cursor:at], stems, stem))
        pieces.append(f'<a href="{html.escape(url)}">{marked(label, stems, stem)}</a>')
        cursor = at + len(label)
    pieces.append(marked(text[cursor:], stems, stem))
    return "".join(pieces)


def _window(text: str, stems: frozenset[str], stem: Callable[[str], str], limit: int) -> str:
    """The stretch of a long text, about `limit` characters, holding the most matched
    words; it starts at a sentence or a step when one is close before them."""
    spans = word_spans(text)
    hits = [i for i, (_, _, word) in enumerate(spans) if _markable(word) and stem(word) in stems]
    start = 0
    if hits:
        best_count, best_first, j = 0, hits[0], 0
        for i, first in enumerate(hits):
            while j < len(hits) and spans[hits[j]][1] - spans[first][0] < limit:
                j += 1
            if j - i > best_count:
                best_count, best_first = j - i, first
        start = best_first
        for k in range(best_first, max(-1, best_first - 12), -1):
            if k == 0 or _sentence_starts(text, spans, k) or text[spans[k][0]].isdigit():
                start = k
                break
    begin = spans[start][0] if spans else 0
    piece = text[begin:begin + limit]
    if begin + limit < len(text):
        piece = piece.rsplit(" ", 1)[0].rstrip(" :;,") + " …"
    return ("… " if begin else "") + piece


def plain(snippet_html: str) -> str:
    """The snippet as plain text (for the terminal)."""
    return html.unescape(TAG.sub("", snippet_html))
