"""Chat through its API: what one message costs the server, request to JSON reply.

`bench/chat.py` times the chat service alone; a person's message also goes through the
web layer (routing, the JSON body checked, the token, the reply serialised). This drives
the real Flask app in-process (its test client, no network) through the conversation
API of the contract: `POST /api/v1/conversations`, then `POST .../messages` walking
kauth-remove-account in guide-me mode, and prints p50/p95/p99 per procedure step.
Rate limits are off (one client sends everything). It uses only the API, so the same
script measures older trees of the project: run it from each tree, alternated.

    python bench/chat_api.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

WALK = ("guide", "done", "done", "back", "done", "done", "done", "done")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return (f"p50 {statistics.median(ordered) * 1000:.3f} ms  p95 {at(0.95):.3f} ms  "
            f"p99 {at(0.99):.3f} ms  (n={len(ordered)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KB_GUIDES"] = str(ROOT / "guides")
        os.environ["KB_DATA"] = tmp
        os.environ["KB_DEFAULT_ACCOUNT"] = "kauth-only"
        from webapp import create_app

        options = {"rate_limits": False} if "rate_limits" in inspect.signature(
            create_app).parameters else {}
        client = create_app(**options).test_client()
        steps: list[float] = []
        for _ in range(args.rounds):
            for _ in range(10):
                made = client.post("/api/v1/conversations", json={"account": "kauth-only"})
                conv = made.get_json()
                path = f"/api/v1/conversations/{conv['id']}/messages"
                auth = {"Authorization": f"Bearer {conv['token']}"}
                client.post(path, json={"text": "", "option": "start:kauth-remove-account"},
                            headers=auth)
                for text in WALK:
                    started = time.perf_counter()
                    answer = client.post(path, json={"text": text}, headers=auth)
                    steps.append(time.perf_counter() - started)
                    if answer.status_code != 200:
                        raise SystemExit(f"{text!r}: HTTP {answer.status_code} "
                                         f"{answer.get_data(as_text=True)[:200]}")
        print("chat step through the API: " + percentiles(steps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
