"""Synthetic guide corpora for benchmarks: guides in the seed's style, at any size.

Sentences are drawn from the shipped guides and mixed with generated words, so the
vocabulary grows with the corpus as a real help center's does, and every guide has the
structure of a real one (front matter, intro, Prerequisites, sections of steps).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from kb.content import guides
from procedures.source import frontmatter

SYLLABLES = ["ka", "lo", "mi", "ter", "van", "dro", "pel", "sun", "gra", "fix", "nor", "tal",
             "bri", "co", "dex", "lum", "pra", "sto", "vel", "zen", "qui", "mar", "tos", "ile"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def write_corpus(seed_folder: Path, target: Path, count: int, seed: int = 7) -> Path:
    """Write `count` guides into `target` and return it."""
    rng = random.Random(seed)
    sentences: list[str] = []
    for guide in guides.load(seed_folder):
        for passage in guide.passages:
            sentences += [s.strip() for s in re.split(r"(?<=[.!?:])\s+", passage.text)
                          if len(s.split()) > 3]
    vocabulary = [_word(rng) for _ in range(max(200, count * 3))]
    target.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        topic = [rng.choice(vocabulary) for _ in range(3)]
        title = f"Configure {topic[0]} {topic[1]} for {topic[2]} {n}"
        sections = []
        for s in range(rng.randint(3, 6)):
            steps = [f"{i}. {rng.choice(sentences)} {rng.choice(vocabulary)} {topic[s % 3]}."
                     for i in range(1, rng.randint(4, 9))]
            sections.append(f"## {rng.choice(vocabulary).capitalize()} {topic[s % 3]}\n\n"
                            + "\n".join(steps))
        body = (f"This guide explains {' '.join(topic)}. {rng.choice(sentences)}\n\n"
                "## Prerequisites\n\n- " + rng.choice(sentences) + "\n\n" + "\n\n".join(sections))
        slug = f"synthetic-{n:05d}"
        meta = {"title": title, "slug": slug, "category": f"Category {n % 12}",
                "summary": f"How to configure {' '.join(topic)}.",
                "tags": topic, "products": ["Manager"], "language": "en",
                "updated": "2026-11-26"}
        (target / f"{slug}.md").write_text(frontmatter.join(meta, body), encoding="utf-8")
    return target
