"""Search benchmark: index build time and peak memory, query latency with snippets.

For each corpus size (synthetic guides plus the shipped ones, written once) it measures,
each in its own process so memory figures do not mix:
- raw Whoosh's own build of the same guide files: front matter read with PyYAML, title,
  summary, tags and Markdown body given to a plain Whoosh writer with its stemming
  analyzer, no product code (the baseline for the build);
- the product's build (`kb.search.indexing.rebuild`), then the evaluation questions
  through the full pipeline (synonyms, typo tolerance, coverage re-ranking, confidence,
  snippets) and, interleaved on the same index and the same queries, through raw Whoosh
  (MultifieldParser + BM25F + Whoosh's own highlighter), the baseline for queries.
Peak memory is the largest resident size of the building process, and of each worker
process reading guides for it.

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


def raw_build(folder: Path) -> dict:
    """Whoosh alone: the same guide files, a plain writer, its stemming analyzer."""
    import yaml
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    analyzer = StemmingAnalyzer()
    schema = Schema(slug=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer),
                    summary=TEXT(analyzer=analyzer), tags=KEYWORD(commas=True, lowercase=True),
                    body=TEXT(analyzer=analyzer))
    work = Path(tempfile.mkdtemp(prefix="kb-bench-raw-"))
    try:
        started, cpu = time.perf_counter(), time.process_time()
        ix = whoosh_index.create_in(str(work), schema)
        writer = ix.writer()
        count = 0
        for path in sorted(folder.glob("*.md")):
            _, front, body = path.read_text(encoding="utf-8").split("---", 2)
            meta = yaml.safe_load(front)
            writer.add_document(slug=path.stem, title=meta["title"], summary=meta["summary"],
                                tags=",".join(meta.get("tags", [])), body=body)
            count += 1
        writer.commit()
        return {"guides": count, "build_seconds": round(time.perf_counter() - started, 2),
                "build_cpu_seconds": round(time.process_time() - cpu, 1),
                "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def run_one(folder: Path, rounds: int) -> dict:
    from whoosh import qparser
    from whoosh.highlight import ContextFragmenter, HtmlFormatter

    from kb.search import index, indexing
    from kb.search.evaluation import read_cases
    from kb.search.index_reader import IndexReader
    from kb.search.service import Searcher
    from kb.search.synonyms import Synonyms
    from kb.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        paths = Settings(guides=folder, data=work / "data")
        synonyms = Synonyms.load(index.stems)
        started, cpu = time.perf_counter(), time.process_time()
        build, kb = indexing.rebuild(paths.index_root, folder, synonyms, lambda g: None)
        build_seconds = time.perf_counter() - started
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU: this process (the critical path, feeding Whoosh) and the reading workers.
        build_cpu = {"builder": round(time.process_time() - cpu, 1),
                     "workers": round(workers.ru_utime + workers.ru_stime, 1)}
        build_peak = {"builder": _peak_mb(resource.RUSAGE_SELF),
                      "reader_worker": _peak_mb(resource.RUSAGE_CHILDREN),
                      "workers": indexing.default_workers(len(kb))}
        reader = IndexReader(build)
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
        timings: dict[str, list[float]] = {"pipeline": [], "raw_whoosh": [], "pipeline_cpu": []}
        for r in range(rounds):
            for i, q in enumerate(queries):
                order = (("pipeline", ours), ("raw_whoosh", raw))
                for name, fn in (order if (i + r) % 2 == 0 else order[::-1]):
                    t, cpu = time.perf_counter(), time.process_time()
                    fn(q)
                    timings[name].append(time.perf_counter() - t)
                    if name == "pipeline":
                        # CPU time too: on a shared machine, waiting for a core inflates
                        # the elapsed time of any query.
                        timings["pipeline_cpu"].append(time.process_time() - cpu)
        index_bytes = sum(p.stat().st_size for p in build.iterdir())
        result = {
            "guides": len(kb), "build_seconds": round(build_seconds, 2),
            "build_peak_mb": build_peak, "build_cpu_seconds": build_cpu,
            "index_mb": round(index_bytes / 1e6, 2),
            "pipeline_ms": summary(timings["pipeline"]),
            "raw_whoosh_ms": summary(timings["raw_whoosh"]),
            "pipeline_cpu_ms": summary(timings["pipeline_cpu"]),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        result["ratio_p50"] = round(result["pipeline_ms"]["p50"]
                                    / result["raw_whoosh_ms"]["p50"], 2)
        result["ratio_p99"] = round(result["pipeline_ms"]["p99"]
                                    / result["raw_whoosh_ms"]["p99"], 2)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 10_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.rounds)))
        return 0
    if args.raw:
        print(json.dumps(raw_build(args.raw)))
        return 0
    from bench.corpus import write_corpus

    builds, queries = [], []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="kb-bench-corpus-"))
        try:
            folder = write_corpus(ROOT / "guides", work / "guides", max(0, size - 10))
            for guide in (ROOT / "guides").glob("*.md"):
                shutil.copy(guide, folder)
            raw = _child("--raw", str(folder))
            r = _child("--one", str(folder), "--rounds", str(args.rounds))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        peak, cpu = r["build_peak_mb"], r["build_cpu_seconds"]
        builds.append(f"{r['guides']:>7} {r['build_seconds']:>8} "
                      f"{cpu['builder']:>6}+{cpu['workers']:<6} {peak['builder']:>8} "
                      f"{peak['reader_worker'] if peak['workers'] else '-':>9} "
                      f"{peak['workers']:>7} {raw['build_seconds']:>11} "
                      f"{raw['build_cpu_seconds']:>7} {raw['peak_rss_mb']:>12} "
                      f"{r['index_mb']:>9}")
        o, w, c = r["pipeline_ms"], r["raw_whoosh_ms"], r["pipeline_cpu_ms"]
        queries.append(f"{r['guides']:>7} {o['p50']:>8}/{o['p95']}/{o['p99']:<8} "
                       f"{c['p50']:>8}/{c['p95']}/{c['p99']:<8} "
                       f"{w['p50']:>10}/{w['p95']}/{w['p99']:<8} "
                       f"{r['ratio_p50']:>6}/{r['ratio_p99']:<6} {r['peak_rss_mb']:>7}")
    print(f"{'guides':>7} {'build s':>8} {'CPU s':>13} {'peak MB':>8} {'worker MB':>9} "
          f"{'workers':>7} {'raw Whoosh s':>11} {'raw CPU':>7} {'raw peak MB':>12} "
          f"{'index MB':>9}")
    print("\n".join(builds))
    print()
    print(f"{'guides':>7} {'ours p50/p95/p99 ms':>22} {'ours CPU p50/p95/p99 ms':>24} "
          f"{'raw Whoosh p50/p95/p99 ms':>27} "
          f"{'ratio p50/p99':>14} {'RSS MB':>7}")
    print("\n".join(queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
