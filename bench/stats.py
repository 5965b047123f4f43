"""Latency summaries shared by the benchmarks: median and nearest-rank percentiles."""

from __future__ import annotations

import statistics


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(seconds: list[float], digits: int = 2) -> dict[str, float]:
    """p50, p95, p99 in milliseconds, and the number of samples."""
    ms = [s * 1000 for s in seconds]
    return {"p50": round(statistics.median(ms), digits),
            "p95": round(percentile(ms, 95), digits),
            "p99": round(percentile(ms, 99), digits), "n": len(ms)}


def line(seconds: list[float], digits: int = 2) -> str:
    s = summary(seconds, digits)
    return (f"p50 {s['p50']:.{digits}f} ms  p95 {s['p95']:.{digits}f} ms  "
            f"p99 {s['p99']:.{digits}f} ms  (n={s['n']})")
