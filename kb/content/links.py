"""Links between imported articles, made links between guides.

Articles link to each other by their file names (`[see](download-invoice.md)`,
`../billing/refunds.html#how-long`), but each becomes a guide named after its title, so
those links would break. `relink` points them at the guides the files became
(`download-an-invoice.md`); a relative link to anything else would break on the help
center too, so it is kept as plain text, and said so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

# An inline Markdown link's target, with its optional title: ](target "title")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def relink(body: str, source: Path, slug_of: Callable[[Path], str | None],
           anchors_of: Callable[[str], set[str]]) -> tuple[str, list[str]]:
    """The body with its relative links resolved against the article's folder: to an
    imported article, a guide link (its anchor kept when the guide has that section);
    to anything else, the link's text. Returns the body and a note when links were
    dropped."""
    dropped = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal dropped
        target = match["target"]
        if EXTERNAL.match(target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = Path(os.path.normpath(source.parent / path)) if path else None
        slug = slug_of(resolved) if resolved is not None else None
        if slug is None:
            dropped += 1
            return match["text"]
        keep = f"#{anchor}" if anchor and anchor in anchors_of(slug) else ""
        return f"[{match['text']}]({slug}.md{keep}{match['title'] or ''})"

    body = LINK.sub(replace, body)
    notes = []
    if dropped:
        what = "link leads" if dropped == 1 else "links lead"
        notes.append(f"{'One' if dropped == 1 else dropped} {what} to a page that is not "
                     "part of this import, so the link text was kept without the link.")
    return body, notes
