"""Page benchmarks against the running server: P1 (20 parents with 1 s think time), P2 (closed
loop, against the bare view of the same size and a static file), the agenda feed of a parent
with three children, and an album page of 200 photos. Each: three runs, the median reported."""

from __future__ import annotations

import urllib.request

from .common import median_of, run_load

P1_USERS = 20


def fetch(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _runs(spec: dict, runs: int) -> list[dict]:
    return [run_load(spec) for _ in range(runs)]


def summary(runs: list[dict]) -> dict:
    keys = ("p50", "p95", "p99", "rps", "error_count", "count", "client_cpu_s", "seconds")
    result = {key: median_of(runs, key) for key in keys}
    result["runs"] = runs
    # The client's share of one core: near 100 % means the load generator was the bottleneck.
    result["client_cpu_pct"] = median_of([{"v": 100 * r["client_cpu_s"] / r["wall_s"]} for r in runs], "v")
    return result


def open_model(server_url: str, visits: list[dict], duration: float, runs: int, think: float = 1.0) -> dict:
    """P1: users that read for ``think`` seconds between pages."""
    spec = {"host": server_url, "users": P1_USERS, "think": think, "warmup": 1, "duration": duration, "visits": visits}
    return summary(_runs(spec, runs))


def closed_loop(server_url: str, visits: list[dict], duration: float, runs: int, users: int = P1_USERS) -> dict:
    """P2: as fast as the server answers; requests per second."""
    spec = {"host": server_url, "users": users, "think": 0, "warmup": 1, "duration": duration, "visits": visits}
    return summary(_runs(spec, runs))
