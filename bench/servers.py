"""Several app servers: run steps and searches per second on SQLite and on PostgreSQL,
with one `kb serve` and with two sharing one PostgreSQL, in one run.

Each configuration starts real `kb serve` processes on the shipped guides (rate limits
off: the load comes from one address) and loads them for a fixed time from client
threads, spread over the servers in turn as a load balancer would: each thread starts a
guided run, sends it two answers (each a compare-and-set step that reads the account),
and asks one search question, over and over. It prints, per configuration, requests per
second by kind, p50/p99 latency and the number of errors (any answer but 200/201).

PostgreSQL comes from Debian's packages, started in a temporary folder as the tests do
(`tests/postgres_support.py`); without it, only SQLite is measured.

    python bench/servers.py --duration 10 --threads 8
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection

from bench.stats import summary
from tests.postgres_support import PostgresServer, binaries, free_port

PROCEDURE = "prepaid-account-interrupted-order"
ACCOUNT = "prepaid"
ANSWERS = ["do", "payout"]
QUESTIONS = ["how do i add a client", "change my password", "lost my phone",
             "renewal reminder emails", "tag my products"]


def start(guides: Path, data: Path, port: int, workers: int, database: str) -> subprocess.Popen:
    env = {**os.environ, "KB_SECRET_KEY": "bench"}
    if database:
        env["KB_DATABASE_URL"] = database
    log = open(data.parent / f"server-{port}.log", "a")  # noqa: SIM115 (kept by the server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "--guides", str(guides), "--data", str(data), "serve",
         "--port", str(port), "--workers", str(workers), "--no-rate-limits"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kb serve exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=x",
                                        timeout=5) as response:
                response.read()
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("kb serve did not answer within 120 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


class Client:
    """One keep-alive connection per server; timings are kept per kind of request."""

    def __init__(self, ports: list[int], timings: dict[str, list[float]], errors: list[str]):
        self.connections = [HTTPConnection("127.0.0.1", port, timeout=30) for port in ports]
        self.turn = 0
        self.timings = timings
        self.errors = errors

    def call(self, kind: str, method: str, path: str, body: dict | None = None,
             token: str | None = None) -> dict:
        # Round robin over the servers, request by request, like a load balancer.
        conn = self.connections[self.turn % len(self.connections)]
        self.turn += 1
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        self.timings[kind].append(time.perf_counter() - started)
        if response.status not in (200, 201):
            self.errors.append(f"{kind}: {response.status}")
            return {}
        return json.loads(data)


def load(ports: list[int], threads: int, seconds: float) -> dict:
    timings: dict[str, list[float]] = {"start": [], "step": [], "search": []}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def work(n: int) -> None:
        mine: dict[str, list[float]] = {k: [] for k in timings}
        client = Client(ports, mine, errors)
        client.turn = n
        i = 0
        while time.monotonic() < stop_at:
            run = client.call("start", "POST", "/api/v1/runs",
                              {"procedure": PROCEDURE, "account": ACCOUNT})
            for answer in ANSWERS:
                if not run:
                    break
                moved = client.call("step", "POST", f"/api/v1/runs/{run['id']}/events",
                                    {"type": "answer", "value": answer,
                                     "revision": run["revision"]}, run["token"])
                run = {**moved, "id": run["id"], "token": run["token"]} if moved else {}
            question = QUESTIONS[i % len(QUESTIONS)].replace(" ", "+")
            client.call("search", "GET", f"/api/v1/search?q={question}")
            i += 1
        with lock:
            for kind, values in mine.items():
                timings[kind].extend(values)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    return {"elapsed": elapsed, "errors": len(errors), "first_errors": errors[:3],
            **{kind: {"per_second": len(values) / elapsed, **summary(values)}
               for kind, values in timings.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per configuration")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="kb-bench-servers-"))
    guides = root / "guides"
    shutil.copytree(ROOT / "guides", guides)
    postgres = None
    bin_dir = binaries()
    if bin_dir is not None:
        postgres = PostgresServer(bin_dir).start()
    # (name, servers, workers per server, database URL or "" for SQLite)
    configs: list[tuple[str, int, int, str]] = [("SQLite, 1 server x 2 workers", 1, 2, "")]
    if postgres is not None:
        configs += [("PostgreSQL, 1 server x 2 workers", 1, 2, postgres.new_database()),
                    ("PostgreSQL, 2 servers x 1 worker", 2, 1, postgres.new_database())]
    else:
        print("PostgreSQL is not installed: only SQLite is measured")
    results = {}
    try:
        for name, servers, workers, database in configs:
            procs, ports = [], []
            for n in range(servers):
                data = root / f"data-{len(results)}-{n}"
                port = free_port()
                procs.append(start(guides, data, port, workers, database))
                ports.append(port)
            try:
                load(ports, args.threads, 1.0)  # warm-up: indexes, pools, caches
                results[name] = load(ports, args.threads, args.duration)
            finally:
                for proc in procs:
                    stop(proc)
    finally:
        if postgres is not None:
            postgres.remove()
        shutil.rmtree(root, ignore_errors=True)

    print(f"{'configuration':34} {'kind':7} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} errors")
    for name, figures in results.items():
        for kind in ("start", "step", "search"):
            f = figures[kind]
            print(f"{name:34} {kind:7} {f['per_second']:7.1f} {f['p50']:8.1f} {f['p99']:8.1f} "
                  f"{figures['errors'] if kind == 'start' else ''}")
        if figures["first_errors"]:
            print("   first errors:", ", ".join(figures["first_errors"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
