"""What a help-center page copied as plain text holds besides its article.

Selecting a page in the browser and saving the text brings the old site's words along:
a byline under the title ("Updated 3 months ago", "Follow"), the vote under the article
("Was this article helpful?", "Yes No", "2 out of 3 found this helpful") and the lists
of other articles after it ("Related articles" and their titles). Read as the article,
they became sections ("Yes No" as a heading) and made the guide match questions about
the pages listed. They are recognised by the same signs as on a saved HTML page
(`kb.content.webpage`), and only where the site puts them: the byline right under the
title, a list of other articles only when nothing but short titles follows it.

A page clipped as Markdown (a browser extension's "save as Markdown") holds the same
lines, as headings and lists of links, and before the article the site's links (skip
link, menu, breadcrumbs) down to the article's own heading, which repeats the title.
"""

from __future__ import annotations

import re

from kb.content.webpage import FEEDBACK_PROMPT, LINK_LIST_HEADING, MAX_BYLINE

# A byline in words: when the page changed or who wrote it, with the time it says
# ("Updated 3 months ago", "Last updated: March 3, 2024", "Written by Ana", "4 min read"),
# never a sentence that opens with "Updated" ("Updated prices apply from May").
BYLINE = re.compile(r"^((last )?(updated|modified|edited|published|posted|written|created)"
                    r"\b.*\b(ago|\d{4}|yesterday|today)|.*\b\d+ min(ute)?s? read|"
                    r"(written|posted) by [A-Z][\w.' -]{0,40})$", re.I)

# Words a site shows beside the byline, alone on their line.
PAGE_ACTIONS = frozenset("follow following print share subscribe unfollow".split())
# What answers or follows the vote: its buttons, its tally, the site's way to ask more.
AFTER_VOTE = re.compile(
    r"^((yes|no)(\s*[/|,]?\s*(yes|no))?|[👍👎\s]+|\d+ out of \d+ found this helpful|"
    r"have more questions\?.*|submit a request|\d+ comments?|please sign in to leave a "
    r"comment\.?)\s*$", re.I)
MAX_TITLE_WORDS = 14
# A line of Markdown as read: without its heading or list mark, bold, and link targets.
MARKS = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d{1,2}[.)]\s+)")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain(line: str) -> str:
    """What a line of text or Markdown says: "-   [Merge contacts](https://…)" is
    "Merge contacts", "## Related articles" is "Related articles"."""
    text = LINK.sub(r"\1", MARKS.sub("", line))
    return text.replace("**", "").replace("__", "").strip()


def after_site_links(lines: list[str], title: str) -> tuple[list[str], bool]:
    """A clipped page's lines from its article on: when a heading repeating the title
    comes after nothing but the site's links, rules and quoted excerpts, what is before
    it and the heading itself go. Whether any of the site's lines did."""
    wanted = _words(title)
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#") and _words(plain(text)) == wanted:
            # (The heading alone repeating the title goes without a word: it is the
            # title, shown once.)
            return lines[i + 1:], any(line.strip() for line in lines[:i])
        if not _site_link_line(text):
            return lines, False
    return lines, False


def _site_link_line(text: str) -> bool:
    """A line of the site around the article: links only, a rule, a quoted excerpt."""
    if re.fullmatch(r"([-*_])(\s*\1){2,}", text) or text.startswith(">"):
        return True
    said = MARKS.sub("", text).strip()
    return bool(said) and not LINK.sub("", said).strip(" |>›/·-")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def drop_page_chrome(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines of an article's text (after its title) without the page's byline, vote
    and lists of other articles; and a note of what was left out."""
    kept = list(lines)
    left: list[str] = []
    if _drop_byline(kept):
        left.append("its byline")
    if _drop_votes(kept):
        left.append("the old site's vote")
    lists = _drop_link_lists(kept)
    if lists:
        left.append(f"the list of other pages under {', '.join(lists)}")
    if not left:
        return lines, []
    said = left[0] if len(left) == 1 else f"{', '.join(left[:-1])} and {left[-1]}"
    return kept, [f"Left out of the copied page, as the site's words around the article: "
                  f"{said}."]


def _drop_byline(lines: list[str]) -> bool:
    """Remove the byline lines right under the title; whether there were any."""
    dropped = False
    i = 0
    while i < len(lines):
        text = plain(lines[i])
        if not text:
            i += 1
            continue
        if len(text) <= MAX_BYLINE and (BYLINE.match(text) or text.lower() in PAGE_ACTIONS):
            del lines[i]
            dropped = True
            continue
        break
    return dropped


def _drop_votes(lines: list[str]) -> bool:
    """Remove each "Was this article helpful?" and what answers or follows it."""
    dropped = False
    i = 0
    while i < len(lines):
        if not FEEDBACK_PROMPT.match(plain(lines[i])):
            i += 1
            continue
        del lines[i]
        dropped = True
        while i < len(lines) and _answers_vote(plain(lines[i])):
            del lines[i]
    return dropped


def _answers_vote(text: str) -> bool:
    """Whether a line (as read) belongs to the vote: blank, a button or the tally."""
    return not text or AFTER_VOTE.match(text) is not None or \
        FEEDBACK_PROMPT.match(text) is not None


def _drop_link_lists(lines: list[str]) -> list[str]:
    """Remove the lists of other articles at the end of the text: from the first heading
    such as "Related articles" to the end, when nothing but such headings, short titles
    and the vote's lines follow it. Their headings, quoted, for the note."""
    named: list[str] = []
    starts = [i for i, line in enumerate(lines) if LINK_LIST_HEADING.match(plain(line))]
    if not starts:
        return named
    first = starts[0]
    after = [plain(line) for line in lines[first:] if plain(line)]
    if not all(LINK_LIST_HEADING.match(text) or AFTER_VOTE.match(text) or _is_title(text)
               for text in after):
        return named
    named = [f"“{plain(lines[i])}”" for i in starts]
    del lines[first:]
    return named


def _is_title(text: str) -> bool:
    """Whether a line reads as another article's title: short, not a sentence."""
    return len(text.split()) <= MAX_TITLE_WORDS and not text.endswith((".", ":", ";", ","))
