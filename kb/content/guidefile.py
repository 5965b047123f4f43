"""The guide file an imported article becomes: front matter derived, checked, joined.

An article brings what it knows (a title, maybe its own front matter, tags, a date); the
rest is derived (the summary from the first sentence) or defaulted (the import's
category, today's date). Values of the article's own front matter that no guide accepts
are replaced by the default with a note, never a reason to refuse the article.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from kb.content.articles import Article
from kb.content.guides import GuideMeta
from procedures.source import frontmatter

# Front-matter keys of documentation tools (Docusaurus, Hugo, Jekyll, MkDocs) and the
# guide key each one is, when the article does not set that guide key itself.
ALIASES = {"description": "summary", "excerpt": "summary", "keywords": "tags",
           "lastmod": "updated", "last_update": "updated", "last_updated": "updated",
           "date": "updated", "categories": "category", "lang": "language"}


def _guide_keys(meta: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """The article's front matter with other tools' keys as guide keys, and notes on the
    keys renamed so."""
    out: dict[str, object] = {}
    notes: list[str] = []
    for key, value in meta.items():
        target = ALIASES.get(key)
        if target is None or target in meta or target in out:
            out.setdefault(key, value)
            continue
        if target == "category" and isinstance(value, list):
            value = value[0] if value else None  # one category per guide: the first
        if target == "updated" and isinstance(value, dt.datetime):
            value = value.date()
        if target == "tags" and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if value is None:
            continue
        out[target] = value
        notes.append(f"Its front-matter key “{key}” was taken as the guide's “{target}”.")
    return out, notes


# A first sentence this short (in words) is read with the one after it, as a summary.
SHORT_SENTENCE_WORDS = 6


def summary_of(body: str, title: str) -> str:
    """The first sentence of the first paragraph before any heading (the article's
    introduction), as the guide's summary, with the next one when it is too short to
    say anything alone or asks a question; the title when there is no introduction (an
    answer deep in a section does not say what the whole article is about)."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if block.startswith("#"):
            break
        if not block or block.startswith(("-", "*", ">", "|")) or re.match(r"\d+\.", block):
            continue
        text = re.sub(r"[*_`\\]", "", " ".join(block.split()))
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's words, not its address
        sentences = re.split(r"(?<=[.!?])\s", text, maxsplit=2)
        summary = sentences[0]
        if (len(summary.split()) < SHORT_SENTENCE_WORDS or summary.endswith("?")) and \
                len(sentences) > 1:
            # "Welcome to Pedalo!", "Things sometimes break.", "Going on holiday …?": a
            # greeting, a teaser or the reader's question says nothing of what the
            # article covers; the sentence after it does.
            summary = f"{summary} {sentences[1]}"
        return summary[:580]
    return title


def to_guide(article: Article, slug: str, category: str, today: dt.date
             ) -> tuple[str, list[str]]:
    """The guide file text for an article, with front matter that passes validation, and
    notes on the article's own front-matter values that had to be left out."""
    given, notes = _guide_keys(article.meta or {})
    own = {k: v for k, v in given.items() if k in GuideMeta.model_fields}
    notes += [f"Its front-matter key “{key}” is not a guide key and was left out."
              for key in given if key not in GuideMeta.model_fields]
    while True:
        meta = {**own, "title": article.title, "slug": slug}
        meta.setdefault("category", article.category or category)
        meta.setdefault("summary", summary_of(article.body, article.title))
        meta.setdefault("tags", list(article.tags))
        meta.setdefault("products", [])
        meta.setdefault("language", article.language)
        meta.setdefault("updated", article.updated or today)
        meta = {k: meta[k] for k in GuideMeta.model_fields if k in meta}
        try:
            GuideMeta.model_validate(meta)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]} & set(own)
            if not bad:
                raise
            for key in sorted(bad):
                notes.append(f"Its front-matter value for “{key}” was not valid and was "
                             "replaced by the default.")
                del own[key]
            continue
        return frontmatter.join(meta, article.body), notes
