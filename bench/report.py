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


def _ms(value) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _floor(runs: list[dict], bare_rps: float) -> float:
    """Seconds this machine needs to answer every request of the median rush even if each cost no
    more than the bare view (the Django stack, a session and a page of the same size): below this,
    no page of the rush can bring its p95."""
    from .common import median_of

    return median_of([{"n": sum(page["count"] for page in run["pages"].values())} for run in runs], "n") / bare_rps


def _targets(r: dict) -> list[str]:  # noqa: C901, PLR0912
    """Every target of issue 16 beside the figure this run measured (the sections below have the
    detail); a step left out of the run (``--only``) leaves its rows out."""
    rows: list[list] = []

    def row(what, figure, target, ok):
        rows.append([what, figure, target, _target(ok)])

    if "p1" in r:
        feed, home = r["p1"]["feed"], r["p1"]["home"]
        row("P1 news feed p95 / p99, 20 parents, 1 s think time", f"{feed['p95']:,.0f} / {feed['p99']:,.0f} ms",
            "≤ 50 / ≤ 150 ms", feed["p95"] <= 50 and feed["p99"] <= 150)
        row("P1 home page p50 / p95", f"{home['p50']:,.0f} / {home['p95']:,.0f} ms", "p95 ≤ 100 ms", home["p95"] <= 100)
        bare = r["p2"]["bare"]["rps"]
        share = r["p2"]["feed"]["rps"] / bare if bare else 0
        row("P2 feed closed loop, share of the bare view in the same run",
            f"{100 * share:.0f} % ({r['p2']['feed']['rps']:,.0f} of {bare:,.0f} req/s)", "≥ 50 %", share >= 0.5)
    if "p3_board" in r:
        demo, board = r.get("p3_demo", {}), r["p3_board"]
        constant = all(demo.get(page) in (None, board.get(page)) for page in ("home", "feed"))
        row("P3 queries: home / feed (demo parent; board parent)",
            f"{demo.get('home', '–')} / {demo.get('feed', '–')}; {board.get('home')} / {board.get('feed')}",
            "≤ 15 / ≤ 10, constant",
            constant and all(isinstance(x, int) and x <= 15 for x in (demo.get("home", 0), board.get("home")))
            and all(isinstance(x, int) and x <= 10 for x in (demo.get("feed", 0), board.get("feed"))))
    if "p6" in r:
        from .common import median_of

        runs = r["p6"]["runs"]
        page, book = (median_of([{"v": x["pages"].get(name, {}).get("p95")} for x in runs], "v")
                      for name in ("round page", "book (POST)"))
        row("P6 conference round opening, 300 families, 250 slots: round page / booking p95",
            f"{_ms(page)} / {_ms(book)}", "≤ 1 s each", page <= 1000 and book <= 1000)
        booked = median_of([x["counts"] for x in runs], "bookings")
        row("P6 slots booked when the rush is over (more families than slots)", f"{booked:.0f} of 250", "all 250",
            booked >= 250)
    if "p7" in r:
        from .common import median_of

        runs = r["p7"]["runs"]
        form, sign = (median_of([{"v": x["pages"].get(name, {}).get("p95")} for x in runs], "v")
                      for name in ("form page", "sign up (POST)"))
        row("P7 sign-up rush, 200 families: form / sign-up p95", f"{_ms(form)} / {_ms(sign)}", "≤ 1 s each",
            form <= 1000 and sign <= 1000)
    if bare_rps := r.get("p2", {}).get("bare", {}).get("rps"):
        floors = [_floor(r[name]["runs"], bare_rps) for name in ("p6", "p7") if name in r]
        if floors:
            row("P6 / P7 floor of this machine: all the rush's requests at the bare view's rate "
                f"({bare_rps:,.0f} req/s in this run)", " / ".join(f"{floor:,.1f} s" for floor in floors),
                "a p95 ≤ 1 s needs this ≤ about 1 s", None)
    if "p4" in r:
        from .common import median_of

        p4, p5 = r["p4"]["runs"], r["p4"]["p5_runs"]
        late = median_of(p5, "finished_s") - median_of(p4, "finished_s")
        lost = sum(x["lost_email"] + x["lost_push"] for x in p5)
        row(f"P5 a killed worker's notifications taken back (lease {p5[0].get('lease_s', '?')} s, no cron): "
            "P5 done after P4, lost", f"{late:+.1f} s, {lost} lost", "≤ 60 s, 0 lost", late <= 60 and lost == 0)
    if d := r.get("d1_clone"):
        row("D1 a newcomer's `git clone` → `make demo` → first page answered", f"{d['first_page_s']:.1f} s",
            "≤ 60 s", d["first_page_s"] <= 60)
    if c := r.get("cluster"):
        k = c.get("kill")
        if k:
            row("Cluster: one app server killed in the middle of P1, failed requests",
                f"{int(k['error_count'])} (at most {k['in_flight_bound']} in flight)", "only the in-flight ones",
                k["error_count"] <= k["in_flight_bound"])
        if "p6" in c:
            doubles = sum(int(x["counts"]["double_bookings"]) + int(x["counts"]["children_twice"])
                          for x in c["p6"]["runs"])
            row("Cluster: double bookings with the rush spread over both servers", doubles, "0", doubles == 0)
        if shared := c.get("shared"):
            row("Cluster: session, CSRF, lockout, rate limit shared by the two servers",
                f"locked at attempt {shared['locked_after']}, reset limited at {shared['reset_limited_after']}",
                "shared (8 and 11)",
                all(x == 200 for x in shared["session_statuses"] + shared["lb_statuses"])
                and len(shared["served_by"]) == 2 and shared["locked_after"] == 8
                and shared["reset_limited_after"] == 11)
    if r.get("total_s") and not r.get("only"):
        row("the whole `make bench`", f"{r['total_s'] / 60:.1f} min", "< 25 min", r["total_s"] < 25 * 60)
    if not rows:
        return []
    return ["## The targets (issue 16)", "", *_rows(["what", "figure", "target", ""], rows), ""]


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
    out += _targets(r)
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
        if d := r.get("d1_clone"):
            rows += [
                [
                    "a newcomer's `git clone` → `make demo` → login page answered (fresh venv, empty download caches)",
                    f"{d['first_page_s']:.1f} s",
                    "≤ 60 s",
                    _target(d["first_page_s"] <= 60),
                ],
                ["… of which `git clone`", f"{d['clone_s']:.1f} s", "", ""],
                ["… of which the venv (uv from the lock)", f"{fmt(d['venv_s'])} s", "", ""],
                *([["… of which after the venv (migrate, load_demo, the server's start, SQLite)",
                    f"{d['first_page_s'] - d['clone_s'] - d['venv_s']:.1f} s", "", ""]] if d.get("venv_s") else []),
            ]
        if d := r.get("d1_demo"):
            rows += [
                [
                    "the same with the venv in place (migrate + load_demo + first page, SQLite)",
                    f"{d['first_page_s']:.1f} s",
                    "",
                    "",
                ],
                ["… of which migrate", f"{d['migrate_s']:.1f} s", "", ""],
                *([["… of which collectstatic", f"{d['collectstatic_s']:.1f} s", "", ""]]
                  if "collectstatic_s" in d else []),
                ["… of which load_demo", f"{d['load_demo_s']:.1f} s", "", ""],
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


if __name__ == "__main__":  # re-render results.md from results.json: python -m bench.report [results.json]
    import json
    import sys

    source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    write_report(json.loads(source.read_text()), source.with_suffix(".md"))
