"""Snippets: pick the passage of a guide that answers, and highlight the words that matched.

A passage is chosen by how much of the question it covers (weighted like the ranking), so
the snippet quotes the section that answers instead of the top of the page. The snippet is
HTML-escaped text in which matched words are wrapped in `<mark>`: safe to insert as HTML,
and easy to strip for plain-text output.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from kb.search.text import FILLER_GAP, FILLERS, is_english, is_filler, is_stopword, word_spans

WINDOW_WORDS = 32
INTRO_HANDICAP = 0.5
SNIPPET_CHARS = 360
TAG = re.compile(r"</?(mark|a)\b[^>]*>")
# Words that carry meaning for matching ("not", "no") but say nothing when highlighted.
UNMARKED = frozenset({"not", "no", "nor", "without", "new", "after", "before", "all"})
# A web or e-mail address ("manager.example.com/2fa", "billing@example.com"): its parts
# are not words of the text, so none is marked ("com" for a question about ".com", or
# "manager" in a host name). A domain ending alone (".com") is a word and is marked.
ADDRESS = re.compile(r"(?i)[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                     r"|(?<![\w.@/-])(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?"
                     r"(?:/[^\s)]*)?")


def _markable(word: str) -> bool:
    return not is_stopword(word) and word not in UNMARKED and len(word) > 1


@dataclass(frozen=True)
class Terms:
    """What a snippet marks. `words`: stems marked wherever they occur (the question's
    own words, one-word synonyms). `phrases`: synonym phrases, as stems, marked only where
    the whole phrase stands in the text: "security" alone does not say "security app"."""

    words: frozenset[str]
    phrases: frozenset[tuple[str, ...]] = frozenset()


def matches(text: str, spans: list[tuple[int, int, str]], terms: Terms,
            stem: Callable[[str], str]) -> list[int]:
    """The positions, in order, of the words of `spans` (the words of `text`) to mark:
    never a stopword, never a part of an address."""
    stems = [stem(word) for _, _, word in spans]
    found = {i for i, (_, _, word) in enumerate(spans)
             if stems[i] in terms.words and _markable(word)}
    if terms.phrases:
        present = set(stems)
        # Most phrases of a question are absent from a given text: a set test rules
        # them out before any position is looked at.
        patterns = [p for p in map(_pattern, terms.phrases, [stem] * len(terms.phrases))
                    if present.issuperset(p)]
        if patterns:
            small = [is_filler(word) for _, _, word in spans]
            for pattern in patterns:
                for i, stemmed in enumerate(stems):
                    if stemmed == pattern[0]:
                        found.update(j for j in _phrase_at(stems, small, i, pattern)
                                     if _markable(spans[j][2]))
    if found and "." in text:
        found -= _in_addresses(text, spans)
    return sorted(found)


def _in_addresses(text: str, spans: list[tuple[int, int, str]]) -> set[int]:
    """The positions of the words of `spans` that are parts of an address."""
    inside: set[int] = set()
    starts = [start for start, _, _ in spans]
    for address in ADDRESS.finditer(text):
        first = bisect.bisect_left(starts, address.start())
        last = bisect.bisect_left(starts, address.end())
        inside.update(range(first, last))
    return inside


@lru_cache(maxsize=4096)
def _pattern(phrase: tuple[str, ...], stem: Callable[[str], str]) -> tuple[str, ...]:
    """What of a phrase must stand in a text, in order. Small words of the phrase may be
    missing from the text, and the text may have its own between the phrase's other
    words; a phrase of one word and small ones ("my account") is that phrase only
    whole, small words included."""
    pattern = tuple(s for s in phrase if not _small_stem(s, stem))
    return pattern if len(pattern) >= 2 else phrase


@lru_cache(maxsize=1024)
def _small_stem(stemmed: str, stem: Callable[[str], str]) -> bool:
    """Whether a stem is that of a small word ("wa" of "was"); a word that only shares
    its stem with one ("get", of "gets") is not small."""
    if is_filler(stemmed):
        return True
    return not is_english(stemmed) and any(stem(w) == stemmed for w in FILLERS)


def _phrase_at(stems: list[str], small: list[bool], start: int,
               pattern: tuple[str, ...]) -> list[int]:
    """The positions of `pattern` in the text, its first word at `start`, with at most
    FILLER_GAP small words between two of them; [] when it is not there."""
    positions = [start]
    j = start + 1
    for wanted in pattern[1:]:
        gap = 0
        while j < len(stems) and stems[j] != wanted and small[j] and gap < FILLER_GAP:
            j, gap = j + 1, gap + 1
        if j >= len(stems) or stems[j] != wanted:
            return []
        positions.append(j)
        j += 1
    return positions


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


def highlight(text: str, terms: Terms, stem: Callable[[str], str],
              window: int = WINDOW_WORDS) -> str:
    """The densest window of `text` around matched words, escaped, matches in <mark>."""
    spans = word_spans(text)
    if not spans:
        return _escape(text[:240])
    hits = matches(text, spans, terms, stem)
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


def marked(text: str, terms: Terms, stem: Callable[[str], str]) -> str:
    """All of `text`, escaped, with every matched word (never a stopword) in <mark>."""
    out: list[str] = []
    cursor = 0
    spans = word_spans(text)
    for i in matches(text, spans, terms, stem):
        start, end, _ = spans[i]
        out.append(_escape(text[cursor:start]))
        out.append(f"<mark>{_escape(text[start:end])}</mark>")
        cursor = end
    out.append(_escape(text[cursor:]))
    return "".join(out)


@dataclass(frozen=True)
class SnippetBlock:
    """A piece of a snippet laid out as the answer is: a sentence (`p`), the items of a
    numbered list (`ol`, numbered from `start`) or of a bulleted one (`ul`), or the rows
    of a table (`table`). Each item is HTML as the one-line snippet is."""

    kind: str
    items: tuple[str, ...]
    start: int = 1
    head: bool = False
    """For a table: whether its first row names the columns (it holds no number)."""

    @property
    def rows(self) -> list[list[str]]:
        """A table's rows, each as its cells (the cells of a row are joined by " | ")."""
        return [item.split(" | ") for item in self.items]


LIST_MARKER = re.compile(r"(?:(\d{1,3})[.)]|[-•*])\s+")
# How an answer says the steps it leaves out: "…and 2 more steps in the guide."
MORE_STEPS = re.compile(r"…and (\d+) more step")


def more_steps(count: int) -> str:
    """The line that says how many steps an answer or a snippet leaves out."""
    return f"…and {count} more step{'s' if count > 1 else ''} in the guide."


def more_items(count: int) -> str:
    """The line that says how many items of a bulleted list a snippet leaves out."""
    return f"…and {count} more in the guide."


def steps_in(lines: list[str]) -> int:
    """The numbered steps among `lines`, with those a "…and N more steps" line counts."""
    return sum(1 for line in lines if re.match(r"\d+[.)] ", line)) + sum(
        int(m[1]) for line in lines if (m := MORE_STEPS.match(line)))


def _items_in(lines: list[str]) -> int:
    """The bullets of the list that the first of `lines` is an item of."""
    count = 0
    for line in lines:
        marker = LIST_MARKER.match(line)
        if marker is None or marker.group(1):
            break
        count += 1
    return count


def answer_snippet(text: str, links: list[tuple[str, str]], terms: Terms,
                   stem: Callable[[str], str], limit: int = SNIPPET_CHARS
                   ) -> tuple[str, list[SnippetBlock]]:
    """An answer (its lines as `Answer.text` has them) as a result's snippet: the stretch
    of about `limit` characters that holds most matched words, cut at words, matched
    words in <mark> and its links (to other guides, to the web) as links. Given twice:
    on one line (the API's snippet), and in the answer's own lines, so that a page shows
    steps as a numbered list and items as bullets instead of "… 3. Click … 4. Enter …"
    run together. The words are matched once for both."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    one = " ".join(lines)
    spans = word_spans(one)
    marks = [spans[i][:2] for i in matches(one, spans, terms, stem)]
    begin, end = 0, len(one)
    if len(one) > limit:
        # An answer was chosen to begin where it does (the sentence that introduces a
        # list, the case a step is for): it reads from there unless a stretch further
        # down holds more of the matched words.
        begin = _window_start(one, spans, marks, limit, _line_bodies(lines))
        if _marks_within(marks, 0, limit) >= _marks_within(marks, begin, limit):
            begin = 0
        end = min(len(one), begin + limit)
    cut = _word_end(one, begin, end) if end < len(one) else end
    snippet = (("… " if begin else "") + _linked(one, begin, cut, marks, links)
               + (" …" if cut < len(one) else ""))
    return snippet, _blocks(lines, one, begin, end, marks, links)


def _blocks(lines: list[str], one: str, begin: int, end: int, marks: list[tuple[int, int]],
            links: list[tuple[str, str]]) -> list[SnippetBlock]:
    """The lines of `one` (the lines joined by spaces) that overlap one[begin:end]."""
    blocks: list[SnippetBlock] = []
    offset = 0
    for n, line in enumerate(lines):
        first, last = offset, offset + len(line)
        offset = last + 1
        if last <= begin or first >= end:
            continue
        marker = LIST_MARKER.match(line)
        kind = "p" if marker is None else "ol" if marker.group(1) else "ul"
        body = first + (marker.end() if marker else 0)
        lo, hi = max(body, begin), min(last, end)
        if kind != "p" and hi < last and blocks and blocks[-1].kind == kind:
            # A step or an item cut in the middle ("5. Click the blue button to …",
            # "CSV import (school admins): go to …") is a half-sentence: the list shown
            # ends whole, and what is left of it is counted.
            left = more_steps(steps_in(lines[n:])) if kind == "ol" else \
                more_items(_items_in(lines[n:]))
            blocks.append(SnippetBlock("p", (left,)))
            return blocks
        if kind == "p" and " | " in line and lo == first and hi == last:
            kind = "table"  # a whole row of a table (`kb.search.answer_tables`)
        if hi < last:
            hi = _word_end(one, lo, hi)
        item = (("… " if lo > body else "") + _linked(one, lo, hi, marks, links)
                + (" …" if hi < last else ""))
        if blocks and kind != "p" and blocks[-1].kind == kind:
            blocks[-1] = replace(blocks[-1], items=(*blocks[-1].items, item))
        else:
            start = int(marker.group(1)) if marker is not None and marker.group(1) else 1
            blocks.append(SnippetBlock(kind, (item,), start,
                                       kind == "table" and not re.search(r"\d", line)))
    if blocks and end < len(one) and not blocks[-1].items[-1].endswith("…"):
        # Lines left out after the stretch: the last item says the answer goes on.
        items = blocks[-1].items
        blocks[-1] = replace(blocks[-1], items=(*items[:-1], items[-1] + " …"))
    return blocks


def _word_end(text: str, begin: int, end: int) -> int:
    """Where text[begin:end] ends when cut at its last whole word (no dangling colon)."""
    return begin + len(text[begin:end].rsplit(" ", 1)[0].rstrip(" :;,"))


def _linked(text: str, begin: int, end: int, marks: list[tuple[int, int]],
            links: list[tuple[str, str]]) -> str:
    """text[begin:end], escaped, marked, and with the words of `links` as links."""
    pieces: list[str] = []
    cursor = begin
    for label, url in sorted(links, key=lambda link: text.find(link[0], begin)):
        at = text.find(label, cursor, end)
        if at < 0 or at + len(label) > end:
            continue
        pieces.append(_marked(text, cursor, at, marks))
        pieces.append(f'<a href="{html.escape(url)}">'
                      f'{_marked(text, at, at + len(label), marks)}</a>')
        cursor = at + len(label)
    pieces.append(_marked(text, cursor, end, marks))
    return "".join(pieces)


def _marked(text: str, begin: int, end: int, marks: list[tuple[int, int]]) -> str:
    """text[begin:end], escaped, with the marked words inside it in <mark>."""
    out: list[str] = []
    cursor = begin
    for a, b in marks[bisect.bisect_left(marks, (begin, begin)):]:
        if b > end:
            break
        out.append(_escape(text[cursor:a]))
        out.append(f"<mark>{_escape(text[a:b])}</mark>")
        cursor = b
    out.append(_escape(text[cursor:end]))
    return "".join(out)


def _line_bodies(lines: list[str]) -> frozenset[int]:
    """Where each line opens in the lines joined by spaces: a list item opens there as a
    sentence does (a step at its number, which the snippet keeps; a bullet's text after
    its mark)."""
    bodies, offset = set(), 0
    for line in lines:
        marker = LIST_MARKER.match(line)
        bodies.add(offset + (marker.end() if marker and not marker.group(1) else 0))
        offset += len(line) + 1
    return frozenset(bodies)


def _window_start(text: str, spans: list[tuple[int, int, str]],
                  marks: list[tuple[int, int]], limit: int,
                  openings: frozenset[int] = frozenset()) -> int:
    """Where the stretch of a long text, about `limit` characters, holding the most marked
    words begins: at a sentence, a step or a line (`openings`: a list item) when one is
    close before them."""
    if not marks:
        return 0
    best_count, best_first, j = 0, marks[0][0], 0
    for i, (first, _) in enumerate(marks):
        while j < len(marks) and marks[j][1] - first < limit:
            j += 1
        if j - i > best_count:
            best_count, best_first = j - i, first
    k = next(n for n, span in enumerate(spans) if span[0] == best_first)
    # A list item is read whole: from its start when that is close before the marks
    # ("Class code: open the course and click …", not "… Students enter the code").
    item = max((b for b in openings if b <= best_first), default=None)
    if item is not None and best_first - item <= limit // 3:
        return item
    # A sentence or step that starts up to a third of the snippet before the marks is
    # where the snippet starts: the marks stay in view, and it reads from the start.
    for n in range(k, -1, -1):
        if best_first - spans[n][0] > limit // 3:
            break
        if _opens(text, spans, n):
            return spans[n][0]
    # No sentence starts close before: rather than open on the last words of one
    # ("… authentication. 2. Go to …"), start at the next one when it is near.
    for n in range(k + 1, min(len(spans), k + 4)):
        if _opens(text, spans, n):
            return spans[n][0]
    return best_first


def _marks_within(marks: list[tuple[int, int]], begin: int, limit: int) -> int:
    """How many marked words a stretch of `limit` characters from `begin` shows whole."""
    return sum(1 for first, last in marks if first >= begin and last <= begin + limit)


def _opens(text: str, spans: list[tuple[int, int, str]], n: int) -> bool:
    """Whether word n opens the text, a sentence or a numbered step."""
    return n == 0 or _sentence_starts(text, spans, n) or text[spans[n][0]].isdigit()


def plain(snippet_html: str) -> str:
    """The snippet as plain text (for the terminal)."""
    return html.unescape(TAG.sub("", snippet_html))
