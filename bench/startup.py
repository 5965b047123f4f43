"""Start-up: how long a one-off `kb search` takes, process start to JSON printed.

Scripts and shell users run `kb search "..." --json` one question at a time, so each call
pays the interpreter, the imports, opening the index and the vocabulary. The index is
built once first. Run with this tree's interpreter; the same script measures an older
tree when given its root (`--tree`), alternated with this one on a shared machine.
Bytecode is cached as an installed package has it (`PYTHONDONTWRITEBYTECODE` unset).

    python bench/startup.py [--runs 10] [--tree /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "how do i change my profile picture"


def timed(python: str, tree: Path, data: str, runs: int) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [python, "-m", "kb", "--guides", str(tree / "guides"), "--data", data,
               "search", QUESTION, "--json"]
    subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True)  # index
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=tree, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="the checkout to measure (its .venv's Python is used)")
    args = parser.parse_args()
    tree = args.tree.resolve()
    python = str(tree / ".venv/bin/python") if (tree / ".venv").exists() else sys.executable
    with tempfile.TemporaryDirectory() as data:
        samples = sorted(timed(python, tree, data, args.runs))
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    print(f"kb search, one-off process ({tree.name}): median "
          f"{statistics.median(samples):.2f} s  p95 {p95:.2f} s  min {samples[0]:.2f} s "
          f"(n={len(samples)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
