"""Engine benchmark: the latency of one `advance` (one user answer), p50/p95/p99.

Every shipped procedure is run in guide-me mode (pure engine work: copying the run,
validating the answer, walking automatic steps) many times; the do-it-for-me flow of
kauth-remove-account is measured separately because its actions call the SQLite-backed
mock backend, whose I/O is not the engine's. A long run (3,000 refused answers, each
loaded from and stored as JSON as the run store does) shows whether a step gets slower
as a run ages.

    python bench/engine.py [--rounds 200]
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
from procedures import engine
from procedures.backend import DEMO_PASSWORD, MockBackend
from procedures.library import Library
from procedures.run import Event, Run


def guide_mode(library: Library, backend: MockBackend, rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        for slug in library.slugs():
            procedure = library.get(slug)
            result = engine.start(procedure, "legal-rep", backend)
            answers = ["guide"] if procedure.start == "mode" else []
            while not result.run.finished:
                value = answers.pop(0) if answers else "1"
                started = time.perf_counter()
                result = engine.advance(procedure, result.run,
                                        Event(type="answer", value=value), backend)
                samples.append(time.perf_counter() - started)
    return samples


def with_backend(library: Library, backend: MockBackend, rounds: int) -> list[float]:
    procedure = library.get("kauth-remove-account")
    samples: list[float] = []
    for _ in range(rounds):
        backend.reset("kauth-sms")
        result = engine.start(procedure, "kauth-sms", backend)
        for value in ("do", DEMO_PASSWORD):
            started = time.perf_counter()
            result = engine.advance(procedure, result.run, Event(type="answer", value=value),
                                    backend)
            samples.append(time.perf_counter() - started)
    return samples


def long_run(library: Library, backend: MockBackend,
             events: int = 3000) -> tuple[list[float], list[float], int, int]:
    """Step times of the first and the last 100 of `events` refused answers (each a
    JSON load, an advance and a JSON dump), and the stored size after 100 and at the end."""
    procedure = library.get("prepaid-account-interrupted-order")
    run = engine.start(procedure, "prepaid", backend).run
    stored = engine.advance(procedure, run, Event(type="answer", value="do"),
                            backend).run.model_dump_json()
    samples: list[float] = []
    size_at_100 = 0
    for n in range(events):
        started = time.perf_counter()
        result = engine.advance(procedure, Run.model_validate_json(stored),
                                Event(type="answer", value=f"wrong {n}"), backend)
        stored = result.run.model_dump_json()
        samples.append(time.perf_counter() - started)
        if n == 99:
            size_at_100 = len(stored)
    return samples[:100], samples[-100:], size_at_100, len(stored)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    library = Library(ROOT / "guides")
    with tempfile.TemporaryDirectory() as tmp:
        backend = MockBackend(Path(tmp) / "accounts.sqlite3")
        guide_mode(library, backend, 5)  # warm-up: compile and cache every procedure
        print("advance, guide-me mode (engine only):   ",
              line(guide_mode(library, backend, args.rounds), 3))
        print("advance, do-it-for-me with backend calls:",
              line(with_backend(library, backend, max(20, args.rounds // 4)), 3))
        first, last, small, large = long_run(library, backend)
        print("long run, refused answers 1-100:        ", line(first, 3))
        print("long run, refused answers 2901-3000:    ", line(last, 3))
        print(f"long run, stored size after 100 / 3000 events: {small} / {large} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
