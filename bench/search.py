"""Search benchmark: index build time, query latency with snippets, peak memory.

For each corpus size (synthetic guides plus the shipped ones) it builds the index, then
runs the evaluation questions through the full pipeline (synonyms, typo tolerance,
coverage re-ranking, confidence, snippets) and, interleaved on the same index and the
same queries, through raw Whoosh (MultifieldParser + BM25F + Whoosh's own highlighter),
the baseline. Each size runs in its own process so memory figures do not mix.

    python bench/search.py                 # sizes 300 and 10000
    python bench/search.py --sizes 300 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root instead of this folder: bench/http.py would shadow the standard
# library's `http` for every script here.
sys.path[0] = str(ROOT)



from bench.stats import summary


def run_one(size: int, rounds: int) -> dict:
    from whoosh import qparser
    from whoosh.highlight import ContextFragmenter, HtmlFormatter

    from bench.corpus import write_corpus
    from kb.search import index, indexing
    from kb.search.evaluation import read_cases
    from kb.search.service import Searcher
    from kb.search.synonyms import Synonyms
    from kb.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        folder = write_corpus(ROOT / "guides", work / "guides", max(0, size - 10))
        for guide in (ROOT / "guides").glob("*.md"):
            shutil.copy(guide, folder)
        paths = Settings(guides=folder, data=work / "data")
        synonyms = Synonyms.load(index.stems)
        started = time.perf_counter()
        build, kb = indexing.rebuild(paths.index_root, folder, synonyms, lambda g: None)
        build_seconds = time.perf_counter() - started
        reader = index.IndexReader(build)
        searcher = Searcher(reader, synonyms)
        queries = [c.query for c in read_cases(ROOT / "tests/fixtures/eval/questions.tsv")]

        # Raw Whoosh on the very same index and searcher, with its own highlighter.
        raw_searcher = reader._searcher
        parser = qparser.MultifieldParser(list(index.FIELD_WEIGHTS), raw_searcher.schema,
                                          group=qparser.OrGroup)
        formatter, fragmenter = HtmlFormatter(tagname="mark"), ContextFragmenter(maxchars=200)

        def raw(query: str) -> None:
            # Fields keep no positions (phrases use stem pairs), so quotes are dropped.
            results = raw_searcher.search(parser.parse(query.replace('"', " ")), limit=10)
            results.formatter, results.fragmenter = formatter, fragmenter
            for hit in results:
                body = " ".join(p[3] for p in reader.stored(hit.docnum)["passages"])
                hit.highlights("body", text=body, top=2)

        def ours(query: str) -> None:
            searcher._search(query, limit=10)  # uncached: the cache would flatter us

        for q in queries[:20]:  # warm caches for both
            ours(q)
            raw(q)
        timings: dict[str, list[float]] = {"pipeline": [], "raw_whoosh": []}
        for r in range(rounds):
            for i, q in enumerate(queries):
                order = (("pipeline", ours), ("raw_whoosh", raw))
                for name, fn in (order if (i + r) % 2 == 0 else order[::-1]):
                    t = time.perf_counter()
                    fn(q)
                    timings[name].append(time.perf_counter() - t)
        index_bytes = sum(p.stat().st_size for p in build.iterdir())
        result = {
            "guides": len(kb), "build_seconds": round(build_seconds, 2),
            "index_mb": round(index_bytes / 1e6, 2),
            "pipeline_ms": summary(timings["pipeline"]),
            "raw_whoosh_ms": summary(timings["raw_whoosh"]),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        result["ratio_p50"] = round(result["pipeline_ms"]["p50"]
                                    / result["raw_whoosh_ms"]["p50"], 2)
        result["ratio_p99"] = round(result["pipeline_ms"]["p99"]
                                    / result["raw_whoosh_ms"]["p99"], 2)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 10_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rounds)))
        return 0
    print(f"{'guides':>7} {'build s':>8} {'index MB':>9} {'ours p50/p95/p99 ms':>22} "
          f"{'raw Whoosh p50/p95/p99 ms':>27} {'ratio p50/p99':>14} {'RSS MB':>7}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--rounds",
                              str(args.rounds)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        o, w = r["pipeline_ms"], r["raw_whoosh_ms"]
        print(f"{r['guides']:>7} {r['build_seconds']:>8} {r['index_mb']:>9} "
              f"{o['p50']:>8}/{o['p95']}/{o['p99']:<8} {w['p50']:>10}/{w['p95']}/{w['p99']:<8} "
              f"{r['ratio_p50']:>6}/{r['ratio_p99']:<6} {r['peak_rss_mb']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
