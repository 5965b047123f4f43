"""Chat benchmark: the latency of one chat turn in-process, p50/p95/p99.

A turn is what the API does for one message: load the conversation from SQLite, answer
(search with snippets, or a procedure step), save it with compare-and-set. Questions come
from the evaluation set; procedure turns walk kauth-remove-account in guide-me mode.

    python bench/chat.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root instead of this folder: bench/http.py would shadow the standard
# library's `http` for every script here.
sys.path[0] = str(ROOT)

from bench.stats import line
from kb.context import Context
from kb.search.evaluation import read_cases
from kb.settings import Settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [c.query for c in read_cases(ROOT / "tests/fixtures/eval/questions.tsv")]
    with tempfile.TemporaryDirectory() as tmp:
        context = Context(Settings(guides=ROOT / "guides", data=Path(tmp)))
        chat = context.chat
        context.search.searcher()  # build the index before timing
        asking, stepping = [], []
        for _ in range(args.rounds):
            conv_id, token = chat.create("kauth-only")
            for question in questions:
                started = time.perf_counter()
                chat.post(conv_id, token, question)
                asking.append(time.perf_counter() - started)
            for _ in range(10):
                conv_id, token = chat.create("kauth-only")
                chat.post(conv_id, token, "", option="start:kauth-remove-account")
                for message in ("guide", "done", "done", "back", "done", "done", "done",
                                "done"):
                    started = time.perf_counter()
                    chat.post(conv_id, token, message)
                    stepping.append(time.perf_counter() - started)
        print("chat turn, question answered from search:", line(asking))
        print("chat turn, procedure step:               ", line(stepping))
    return 0


if __name__ == "__main__":
    sys.exit(main())
