"""The help center's pages: what a reader waits for on a guide page and the home page.

Measures, on the seed guides and on a synthetic corpus of 300 guides:
- relating guides (`kb.content.related`): the index, built once per change of the
  guides, and one guide's related guides, memoised per guide;
- drawing each seed procedure for readers (`webapp.diagram.ways`, memoised per version);
- a guide page and the home page through the Flask app (memoised parts warm).

Run: `python -m bench.site`. Prints medians and percentiles; asserts nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.stats import line
from kb.content import guides
from kb.content.related import Relatedness, relate
from kb.settings import Settings
from procedures.library import Library
from webapp import create_app, diagram

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "guides"


def timed(fn, repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        found.append(time.perf_counter() - start)
    return found


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="kb-bench-site-"))
    try:
        seed = list(guides.load(SEED))
        print("related, 10 seed guides:      ", line(timed(lambda: relate(seed), 50)))
        big = list(guides.load(write_corpus(SEED, work / "corpus", 300)))
        print("related, 300 guides, all:     ", line(timed(lambda: relate(big), 3)))
        print("relatedness index, 300 guides:", line(timed(lambda: Relatedness(big), 5)))
        index = Relatedness(big)
        print("related of one guide, of 300: ", line(
            [t for g in big[:100] for t in timed(lambda g=g: index.of(g.slug), 1)]))
        library = Library(SEED)
        procedures = [library.get(slug) for slug in library.slugs()]
        print("diagram, each seed procedure: ", line(
            [t for p in procedures for t in timed(lambda p=p: diagram.ways(p), 10)]))
        app = create_app(Settings(guides=SEED, data=work / "data"), testing=True)
        client = app.test_client()
        client.get("/guides/partner-add-managed-client")  # builds the memoised parts
        print("guide page (warm):            ", line(timed(
            lambda: client.get("/guides/partner-add-managed-client"), 100)))
        print("home page:                    ", line(timed(lambda: client.get("/"), 100)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
