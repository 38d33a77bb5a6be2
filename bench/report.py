"""bench/results.md from the figures of one `make bench` run (bench/run.py)."""

from __future__ import annotations

from pathlib import Path

from .common import fmt


def _target(ok: bool | None) -> str:
    if ok is None:
        return "–"
    return "met" if ok else "**missed**"


def _rows(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines


def write_report(r: dict, path: Path) -> None:  # noqa: C901, PLR0912, PLR0915
    m = r["machine"]
    out = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); do not edit by hand. What the figures mean and what fell",
        "short: docs/benchmarks.md.",
        "",
        f"- commit {m['commit']}, {m['date']}",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']}, "
        f"{m.get('postgres', '')}; load average before the run {m['load_before']:.2f}",
        "- server: gunicorn, 5 sync workers, DEBUG off, static files by whitenoise; PostgreSQL on the same "
        "machine; the load generator (locust FastHttpUser as a library) in its own process pinned to core 1",
        f"- board scale {r['scale']}; each figure is the median of {r['runs']} runs; whole run "
        f"{r.get('total_s', 0) / 60:.1f} min"
        + (
            " (" + ", ".join(f"{k} {v / 60:.1f}" for k, v in r["steps_s"].items()) + " min)" if r.get("steps_s") else ""
        ),
        "",
    ]
    if "board" in r:
        c, s = r["board"]["counts"], r["board"]["seconds"]
        out += ["## D1 data and cold start", ""]
        rows = [
            [
                "board data generated (COPY, one transaction, files, ANALYZE)",
                f"{r['board_generate_s']:.1f} s",
                "≤ 60 s",
                _target(r["board_generate_s"] <= 60),
            ],
            ["migrations on an empty PostgreSQL database", f"{r['board_migrate_s']:.1f} s", "", ""],
        ]
        if d := r.get("d1_demo"):
            rows += [
                [
                    "demo cold start (migrate + collectstatic + load_demo + first page, SQLite)",
                    f"{d['first_page_s']:.1f} s",
                    "",
                    "",
                ],
                ["… of which load_demo", f"{d['load_demo_s']:.1f} s", "", ""],
                ["… of which migrate", f"{d['migrate_s']:.1f} s", "", ""],
            ]
        out += _rows(["what", "time", "target", ""], rows)
        out += [
            "",
            "Board: " + ", ".join(f"{fmt(v)} {k}" for k, v in c.items() if isinstance(v, int)) + ".",
            "Generator steps: " + ", ".join(f"{k} {v} s" for k, v in s.items()) + ".",
            "",
        ]
    if "p3_board" in r:
        out += ["## P3 queries per page (the main parent: 2 children in the demo, 3 on the board)", ""]
        rows = []
        for page in ("home", "feed", "classlist", "album", "calendar", "ical"):
            demo, board = r.get("p3_demo", {}).get(page), r["p3_board"].get(page)
            rows.append([page, demo, board, _target(demo == board) if demo is not None else "–"])
        out += _rows(["page", "demo size", "board size", "constant"], rows)
        out += [
            "",
            "The demo parent has two children, the board parent three: a page whose count grows by one",
            "per child is not constant in the data, and shows as missed here.",
            "",
        ]
    if "p1" in r:
        out += [
            "## P1 and P2: the parent's pages",
            "",
            "Response sizes: "
            + ", ".join(f"{k} {fmt(v['bytes'])} B (HTTP {v['status']})" for k, v in r["sizes"].items())
            + ".",
            "",
            "P1: 20 signed-in parents, each reading 1 s between pages.",
            "",
        ]
        rows = []
        for name, label in (
            ("feed", "news feed /nieuws/"),
            ("home", "home page /"),
            ("bare", "bare view, same size, full middleware"),
        ):
            x = r["p1"][name]
            ok = x["p95"] <= 50 and x["p99"] <= 150 if name == "feed" else None
            rows.append(
                [
                    label,
                    x["p50"],
                    x["p95"],
                    x["p99"],
                    x["rps"],
                    int(x["error_count"]),
                    f"{x['client_cpu_pct']:.0f} %",
                    _target(ok),
                ]
            )
        out += _rows(
            ["page", "p50 ms", "p95 ms", "p99 ms", "req/s", "errors", "client CPU", "p95 ≤ 50, p99 ≤ 150"], rows
        )
        out += ["", "P2: closed loop, 20 users without think time.", ""]
        rows = []
        bare_rps = r["p2"]["bare"]["rps"]
        for name, label in (
            ("feed", "news feed"),
            ("bare", "bare view (reference)"),
            ("static", "static file via whitenoise (reference)"),
        ):
            x = r["p2"][name]
            ratio = x["rps"] / bare_rps if bare_rps else float("nan")
            rows.append(
                [
                    label,
                    x["rps"],
                    f"{100 * ratio:.0f} %",
                    x["p50"],
                    x["p95"],
                    int(x["error_count"]),
                    f"{x['client_cpu_pct']:.0f} %",
                    _target(ratio >= 0.5) if name == "feed" else "–",
                ]
            )
        out += _rows(["page", "req/s", "of bare", "p50 ms", "p95 ms", "errors", "client CPU", "≥ 50 %"], rows)
        out += [
            "",
            "Client CPU is the load generator's CPU time over its wall time (one core = 100 %); far",
            "below 100 % means the client was not the bottleneck.",
            "",
        ]
    if "extra_pages" in r:
        out += ["## Other pages (20 parents, 1 s think time)", ""]
        rows = []
        photos = r.get("p3_board", {}).get("album_photos") or r.get("album_photos", "?")
        for name, label in (
            ("ical", "agenda feed (.ics) of a parent with three children"),
            ("album", f"album page of {photos} photos"),
        ):
            x = r["extra_pages"][name]
            rows.append([label, x["p50"], x["p95"], x["p99"], int(x["error_count"])])
        out += _rows(["page", "p50 ms", "p95 ms", "p99 ms", "errors"], rows) + [""]
    for key, title in (
        ("p4", "P4 and P5: urgent message to every guardian of the board"),
        ("p6", "P6: a conference round opening"),
        ("p7", "P7: a volunteer sign-up rush"),
        ("p8", "P8: the morning absence peak"),
        ("upload", "Photo upload until thumbnails are ready"),
        ("cluster", "Cluster: two app servers behind a load balancer, Redis, S3, two workers"),
        ("backup", "Backup and restore of the board"),
    ):
        if key in r:
            out += [f"## {title}", ""] + r[key]["lines"] + [""]
    path.write_text("\n".join(out) + "\n")
