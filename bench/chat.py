"""Chat benchmark: the latency of one chat turn in-process, p50/p95/p99.

A turn is what the API does for one message: load the conversation from SQLite, answer
(search with snippets, or a procedure step), save it with compare-and-set. Questions come
from the evaluation set; procedure turns walk kauth-remove-account in guide-me mode; and
questions asked in the middle of that walk (answered from its guide, from another guide,
or by nothing) are a third measure.

    python bench/chat.py [--rounds 3] [--profile]

With --profile, the procedure steps also run under cProfile (their timings are then not
comparable) and the functions that cost them most are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
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

# Asked at the first step of kauth-remove-account, as a person following it might.
DURING = ["can I do it from my phone?", "do I need a computer for this?",
          "what if I have no other method?", "will this turn off two factor?",
          "where do I find the trash can?", "how do I change my password?",
          "is the weather nice in Lima today?"]

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true",
                        help="profile the procedure steps and print where they spend")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    questions = [c.query for c in read_cases(ROOT / "tests/fixtures/eval/questions.tsv")]
    with tempfile.TemporaryDirectory() as tmp:
        context = Context(Settings(guides=ROOT / "guides", data=Path(tmp)))
        chat = context.chat
        context.search.searcher()  # build the index before timing
        asking, stepping, during = [], [], []
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
                    if profile is not None:
                        profile.enable()
                    started = time.perf_counter()
                    chat.post(conv_id, token, message)
                    stepping.append(time.perf_counter() - started)
                    if profile is not None:
                        profile.disable()
            for _ in range(3):
                conv_id, token = chat.create("kauth-only")
                chat.post(conv_id, token, "", option="start:kauth-remove-account")
                chat.post(conv_id, token, "guide")
                for question in DURING:
                    started = time.perf_counter()
                    replies = chat.post(conv_id, token, question)
                    during.append(time.perf_counter() - started)
                    if replies[-1].options and replies[-1].options[0]["id"] == "continue":
                        chat.post(conv_id, token, "", option="continue")
        print("chat turn, question answered from search:", line(asking))
        print("chat turn, procedure step:               ", line(stepping))
        print("chat turn, question during a procedure:  ", line(during))
        if profile is not None:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
