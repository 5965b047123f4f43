"""HTTP benchmark: `kb serve` as a real process, loaded from a second process.

It writes a synthetic corpus (the shipped guides plus generated ones), starts `kb serve`
with N workers on it, measures the cold start (process start to first answered request,
once with no index and once with the index already built), then loads it at C concurrent
keep-alive connections on `/api/v1/search?q=...` (the evaluation questions, varied) and on
guide pages, with wrk (Debian's `/usr/bin/wrk`, a small Lua script cycling through the
paths) or, without wrk, a Python client (threads + http.client keep-alive).

The load plays many visitors, not one script: the server trusts one proxy
(`--trusted-proxies 1`) and each request names one of CLIENTS addresses in
`X-Forwarded-For`, so the per-client rate limits are counted (their cost is part of the
figures) without refusing the benchmark, as they would refuse one address asking
thousands of times a minute.

    python bench/http.py                        # 300 guides, 2 workers, 16 connections
    python bench/http.py --guides 1000 --duration 20 --client python
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder would come first on the path and this very file would
# shadow the standard library's `http`: the project root takes its place.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPConnection

from bench.stats import summary

QUESTIONS = ROOT / "tests" / "fixtures" / "eval" / "questions.tsv"
# Distinct visitors the load is spread over (documentation addresses, RFC 5737).
CLIENTS = 4096


def client_address(n: int) -> str:
    return f"198.18.{(n // 256) % 16}.{n % 256}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(guides: Path, data: Path, port: int, workers: int,
                 probe: str) -> tuple[subprocess.Popen, float]:
    """Start `kb serve`; return it and the seconds until it answered `probe`."""
    log = open(data.parent / "server.log", "a")  # noqa: SIM115 (kept open by the server)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb", "--guides", str(guides), "--data", str(data), "serve",
         "--port", str(port), "--workers", str(workers), "--trusted-proxies", "1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "KB_SECRET_KEY": "bench"})
    url = f"http://127.0.0.1:{port}{probe}"
    while time.perf_counter() - started < 120:
        if proc.poll() is not None:
            raise SystemExit(f"kb serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.01)
    proc.kill()
    raise SystemExit("kb serve did not answer within 120 s")


def fetch(url: str, attempts: int = 5) -> bytes:
    """GET a page; while workers are still booting, a connection may be refused."""
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read()
        except (ConnectionError, urllib.error.URLError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    return b""


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- load generators -------------------------------------------------------------------------

def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(base: str, paths: list[str], connections: int, seconds: int,
            threads: int) -> dict:
    script = ("local paths = {" + ",".join(_lua_string(p) for p in paths) + "}\n"
              "local i = math.random(#paths)\n"
              f"local clients = {CLIENTS}\n"
              "local c = math.random(clients)\n"
              "request = function()\n"
              "  i = i % #paths + 1\n"
              "  c = c % clients + 1\n"
              "  local n = c - 1\n"
              "  local address = '198.18.' .. (math.floor(n / 256) % 16) .. '.' .. (n % 256)\n"
              "  return wrk.format('GET', paths[i], {['X-Forwarded-For'] = address})\n"
              "end\n"
              "response = function(status, headers, body)\n"
              "  if status >= 300 then\n"
              "    io.stderr:write(status .. ' ' .. body:sub(1, 200):gsub('\\n', ' ') .. '\\n')\n"
              "  end\n"
              "end\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        done = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d",
                               f"{seconds}s", "--latency", "-s", handle.name, base],
                              capture_output=True, text=True, check=True)
        out = done.stdout
    finally:
        os.unlink(handle.name)

    def latency(pct: str) -> float:
        match = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": latency("50"), "p99_ms": latency("99"),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": int(errors.group(1)) if errors else 0,
            "error_samples": done.stderr.splitlines()[:3],
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def run_python(base: str, paths: list[str], connections: int, seconds: int) -> dict:
    host = urllib.parse.urlsplit(base)
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.perf_counter() + seconds

    def client(n: int) -> None:
        conn = HTTPConnection(host.hostname, host.port, timeout=30)
        i = n * 7
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            conn.request("GET", path, headers={"X-Forwarded-For": client_address(i)})
            response = conn.getresponse()
            response.read()
            latencies[n].append(time.perf_counter() - t)
            if response.status >= 400:
                errors[n] += 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    every = [x for found in latencies for x in found]
    figures = summary(every)
    return {"requests_per_s": round(len(every) / elapsed, 1),
            "p50_ms": figures["p50"], "p99_ms": figures["p99"],
            "requests": len(every), "errors": sum(errors), "error_samples": [],
            "socket_errors": ""}


# -- the benchmark ---------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=300, help="corpus size (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="kb serve workers (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="default 16")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--uncached", action="store_true",
                        help="make every search question distinct (a number appended), so "
                             "the per-build answer cache never hits")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))

    from bench.corpus import write_corpus
    from kb.search.evaluation import read_cases

    work = Path(tempfile.mkdtemp(prefix="kb-http-bench-"))
    try:
        (work / "data").mkdir()
        guides = write_corpus(ROOT / "guides", work / "guides", max(0, args.guides - 10))
        for seed in (ROOT / "guides").glob("*.md"):
            shutil.copy(seed, guides)
        queries = [c.query for c in read_cases(QUESTIONS)]
        if args.uncached:
            queries = [f"{q} {n}" for n in range(100) for q in queries]
        search_paths = [f"/api/v1/search?q={urllib.parse.quote_plus(q)}" for q in queries]
        slugs = sorted(p.stem for p in guides.glob("*.md"))
        guide_paths = [f"/guides/{s}" for s in slugs[:: max(1, len(slugs) // 50)]]
        proc, cold_build = start_server(guides, work / "data", free_port(), args.workers,
                                        search_paths[0])
        stop_server(proc)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc, cold_built = start_server(guides, work / "data", port, args.workers,
                                        search_paths[0])
        try:
            # Steady state: each worker has rendered each guide page once (rendered guides
            # and related guides are kept per process) and answered some questions.
            for path in guide_paths * (2 * args.workers) + search_paths[:50]:
                fetch(base + path)
            results = {}
            for name, paths in (("search", search_paths), ("guide", guide_paths)):
                if use_wrk:
                    results[name] = run_wrk(base, paths, args.connections, args.duration,
                                            threads=2)
                else:
                    results[name] = run_python(base, paths, args.connections, args.duration)
        finally:
            stop_server(proc)
    except BaseException:
        log = work / "server.log"
        if log.exists():
            print("--- kb serve's log ---\n" + log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)

    figures = {"guides": args.guides, "workers": args.workers,
               "connections": args.connections, "client": "wrk" if use_wrk else "python",
               "cold_start_s": {"building_the_index": round(cold_build, 2),
                                "index_already_built": round(cold_built, 2)},
               **results}
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"kb serve, {args.guides} guides, {args.workers} workers, {args.connections} "
          f"connections, {figures['client']}, {args.duration} s per endpoint")
    print(f"cold start to first answer: {cold_build:.2f} s building the index, "
          f"{cold_built:.2f} s with the index built")
    for name, r in results.items():
        label = "/api/v1/search?q=..." if name == "search" else "/guides/<slug>"
        print(f"{label:22} {r['requests_per_s']:8.1f} req/s   p50 {r['p50_ms']:6.2f} ms   "
              f"p99 {r['p99_ms']:6.2f} ms   ({r['requests']} requests, {r['errors']} errors"
              f"{', socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''})")
        for sample in r["error_samples"]:
            print(f"    {sample}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
