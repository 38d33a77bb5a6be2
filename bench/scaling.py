"""The model of docs/scaling.md, computed from the figures of `make bench` (bench/results.json, the
cluster step): what one board, a large board and a national service need at their peak hours.

    .venv/bin/python bench/scaling.py [bench/results.json]     -> the tables of docs/scaling.md

The measured inputs are CPU seconds (app servers, PostgreSQL, task workers) per request and per
notification, the database's size per pupil and Redis' memory per key; everything else is an
assumption, named in ASSUMPTIONS and explained in docs/scaling.md.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

SIZES = [("one board", 20, 8_000), ("large board", 100, 40_000), ("national service (1,000 boards)", 3_750, 1_500_000)]
ASSUMPTIONS = {
    "utilisation": 0.6,  # of a core at the peak: the rest keeps the p95 of the queue short
    "cores_per_app_server": 4,
    "absent_share": 0.08,  # of pupils reported absent on a winter Monday
    "absent_in_peak_half_hour": 0.6,  # of those reports between 7:45 and 8:15
    "urgent_open_share": 0.5,  # of guardians who open the app within 5 minutes of an urgent push
    "urgent_pages": 2,  # home and the message (or the feed)
    "urgent_reach_national": 1 / 3,  # a storm warning for a third of the country, not everyone
    "rounds_at_once": {"one board": 5, "large board": 20, "national service (1,000 boards)": 200},
    "photos_per_pupil_year": 50,  # as the generated board: 400,000 photos for 8,000 pupils
    "years_kept": 2,  # retention (docs/retention.md): this and last school year
    "original_bytes": 3_500_000,  # a phone photo of 12 MP; the upload step measures 71 MB for 20
    "session_share": 0.4,  # of guardians with a live session at a peak (Redis)
}


def inputs(r: dict) -> dict:
    c = r["cluster"]
    board = r["board"]["counts"]
    p1 = c["p1"]
    # A parent opening the app after a push: the home page and the message or the feed, one each.
    app_ms = sum(p1[n]["cpu_ms_per_request"]["app servers"] for n in ("feed", "home")) / 2
    pg_ms = sum(p1[n]["cpu_ms_per_request"]["postgres"] for n in ("feed", "home")) / 2
    p4 = c["p4"]["runs"][0]
    n = p4["recipients"]
    x = {
        "app_ms": app_ms,
        "pg_ms": pg_ms,
        "redis_ms": max(p1[n_]["cpu_ms_per_request"]["redis"] for n_ in ("feed", "home")),
        "worker_ms_per_guardian": 1000 * p4["worker_cpu_s"] / n,
        # P4 and P5 together: two messages to every guardian, one with a worker killed.
        "pg_ms_per_guardian": 1000 * c["p4"]["postgres_cpu_s"] / (2 * n),
        "messages_per_worker_s": 2 * n / max(p4["email_s"], p4["push_s"]) / p4["workers"],
        "db_kb_per_pupil": 1000 * c["database_mb"] / board["pupils"],
        "guardians_per_pupil": board["guardians"] / board["pupils"],
        "redis_bytes_per_key": 1e6
        * (c["redis"]["used_memory_mb"] - c.get("redis_empty", {}).get("used_memory_mb", 0.9))
        / max(c["redis"]["keys"], 1),
        "web_bytes": c["s3"].get("web_bytes", 400_000),
        "thumb_bytes": c["s3"].get("thumb_bytes", 30_000),
    }
    for name in ("p6", "p8"):
        if name in c and "cpu_ms_per_request" in c[name]:
            x[f"{name}_app_ms"] = c[name]["cpu_ms_per_request"]["app servers"]
            x[f"{name}_pg_ms"] = c[name]["cpu_ms_per_request"].get("postgres", x["pg_ms"])
            x[f"{name}_requests"] = sum(c[name]["per_server"].values())
    if (u := r.get("upload")) and u["runs"]:
        x["original_bytes"] = u["runs"][0]["state"]["bytes"] / 20
    return x


def model(x: dict) -> list[dict]:
    a = ASSUMPTIONS
    out = []
    for name, schools, pupils in SIZES:
        guardians = pupils * x["guardians_per_pupil"]
        reach = a["urgent_reach_national"] if schools > 1000 else 1.0
        # Peak 1: Monday 8:00, three requests per report (form, report, overview) plus the teachers' lists.
        absence_rps = pupils * a["absent_share"] * a["absent_in_peak_half_hour"] / 1800 * 4
        absence_ms = x.get("p8_app_ms", x["app_ms"])
        # Peak 2: round openings at the same minute, each with P6's requests in its first 60 s.
        round_rps = a["rounds_at_once"][name] * x.get("p6_requests", 900) / 60
        round_ms = x.get("p6_app_ms", x["app_ms"])
        # Peak 3: an urgent message: every guardian's e-mail and push within 60 s, then the opens.
        urgent_guardians = guardians * reach
        open_rps = urgent_guardians * a["urgent_open_share"] * a["urgent_pages"] / 300
        # Each peak's PostgreSQL CPU per second: its own requests' (and the urgent message's writes).
        peak_pg = {
            "Monday 8:00 absences": absence_rps * x.get("p8_pg_ms", x["pg_ms"]),
            "round opening": round_rps * x.get("p6_pg_ms", x["pg_ms"]),
            "urgent message, the opens": open_rps * x["pg_ms"] + urgent_guardians * x["pg_ms_per_guardian"] / 60,
        }
        peaks = {
            "Monday 8:00 absences": (absence_rps, absence_rps * absence_ms / 1000),
            "round opening": (round_rps, round_rps * round_ms / 1000),
            "urgent message, the opens": (open_rps, open_rps * x["app_ms"] / 1000),
        }
        worst = max(peaks, key=lambda k: peaks[k][1])
        app_cores = peaks[worst][1] / a["utilisation"]
        worker_cpu = urgent_guardians * x["worker_ms_per_guardian"] / 1000 / 60 / a["utilisation"]
        worker_by_rate = urgent_guardians * 2 / 60 / x["messages_per_worker_s"]
        pg_cores = max(peak_pg.values()) / 1000 / a["utilisation"]
        db_gb = pupils * x["db_kb_per_pupil"] * a["years_kept"] / 1e6
        media_tb = (
            pupils
            * a["photos_per_pupil_year"]
            * a["years_kept"]
            * (x.get("original_bytes", a["original_bytes"]) + x["web_bytes"] + x["thumb_bytes"])
            / 1e12
        )
        redis_mb = guardians * a["session_share"] * 3 * x["redis_bytes_per_key"] / 1e6  # session, reach, limits
        out.append(
            {
                "size": name,
                "pupils": pupils,
                "guardians": round(guardians),
                "peaks": {k: (round(v[0]), v[1] / a["utilisation"]) for k, v in peaks.items()},
                "sizing_peak": worst,
                "app_cores": app_cores,
                "app_servers": max(2, math.ceil(app_cores / a["cores_per_app_server"])),
                "workers": max(2, math.ceil(max(worker_cpu, worker_by_rate))),
                "pg_cores": pg_cores,
                "db_gb": db_gb,
                "media_tb": media_tb,
                "redis_mb": redis_mb,
            }
        )
    return out


def markdown(x: dict, rows: list[dict]) -> str:
    lines = ["Measured inputs (cluster step of `make bench`):", ""]
    lines += [f"- {k}: {v:,.2f}" for k, v in x.items()]
    lines += ["", "| | " + " | ".join(r["size"] for r in rows) + " |", "|---|" + "---|" * len(rows)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in rows) + " |")

    row("pupils / guardians", lambda r: f"{r['pupils']:,} / {r['guardians']:,}")
    for peak in rows[0]["peaks"]:
        row(f"{peak}: req/s, app cores", lambda r, p=peak: f"{r['peaks'][p][0]:,} req/s, {r['peaks'][p][1]:,.1f}")
    row("the peak that sets the app tier", lambda r: r["sizing_peak"])
    row("app servers (4 cores)", lambda r: f"{r['app_servers']:,} ({r['app_cores']:,.1f} cores)")
    row("task workers (urgent message in 60 s)", lambda r: f"{r['workers']:,}")
    row("PostgreSQL cores at the peak", lambda r: f"{r['pg_cores']:,.1f}")
    row("PostgreSQL size (2 school years)", lambda r: f"{r['db_gb']:,.1f} GB")
    row("Redis memory", lambda r: f"{r['redis_mb']:,.0f} MB")
    row("media storage (2 school years)", lambda r: f"{r['media_tb']:,.1f} TB")
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    x = inputs(json.loads(path.read_text()))
    print(markdown(x, model(x)))


if __name__ == "__main__":
    main()
