"""P6, P7, P8 and the photo upload, as steps of bench/run.py: for each run a fresh state in the
database (bench/scenarios.py), the load generator bench/rush.py in its own process pinned to one
core against gunicorn with the production settings, and the counts read back from the database.
The median of ``--runs`` runs is reported; the safety counts (double bookings, capacity exceeded,
half sibling pairs) are summed over all runs, since one is one too many."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .common import LOAD_CORE, PYTHON, ROOT, Server, cpu_count, fmt, median_of, percentiles

RUSH_PORT = 8454


def _python_json(env: dict, *args: str) -> dict:
    out = subprocess.run([PYTHON, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_rush(spec: dict) -> dict:
    """bench/rush.py pinned to LOAD_CORE; its result with its own CPU seconds and, per request
    name, the percentiles, the count and the HTTP statuses."""
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, result_path = Path(tmp, "spec.json"), Path(tmp, "result.json")
        spec_path.write_text(json.dumps(spec))
        command = [PYTHON, str(ROOT / "bench" / "rush.py"), str(spec_path), str(result_path)]
        if cpu_count() > 1:
            command = ["taskset", "-c", LOAD_CORE, *command]
        process = subprocess.Popen(command, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("the rush load generator failed")
        result = json.loads(result_path.read_text())
    result["client_cpu_s"] = usage.ru_utime + usage.ru_stime
    by_name: dict[str, list] = defaultdict(list)
    statuses: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for name, code, ms, _at in result["requests"]:
        by_name[name].append(ms)
        statuses[name][str(code)] += 1
    result["pages"] = {
        name: {"count": len(times), **percentiles(sorted(times)), "statuses": dict(statuses[name])}
        for name, times in by_name.items()
    }
    result["server_errors"] = sum(1 for _n, code, _ms, _at in result["requests"] if code >= 500 or code == 0)
    result["wall_s"] = result["finished_at"] - result["opened_at"]
    return result


def _one_run(env: dict, name: str, server: Server, var: str, during=None) -> dict:
    spec = _python_json(env, "bench/scenarios.py", "prepare", name, server.url, var)
    state = spec.pop("state")
    result = run_rush(spec)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(state, f)
    try:
        counts = _python_json(env, "bench/scenarios.py", "count", name, f.name)
    finally:
        os.unlink(f.name)
    outcomes: dict[str, int] = defaultdict(int)
    for outcome in result["outcomes"]:
        outcomes[str(outcome.get("result", outcome.get("status")))] += 1
    run = {
        "counts": counts,
        "state": {k: v for k, v in state.items() if k != "pairs"},
        "pages": result["pages"],
        "server_errors": result["server_errors"],
        "crashed_clients": result["crashed"],
        "client_cpu_s": result["client_cpu_s"],
        "wall_s": result["wall_s"],
        "outcomes": dict(outcomes),
        "opened_at": result["opened_at"],
        "marks": result["marks"],
        "upload_outcomes": result["outcomes"] if name == "upload" else None,
    }
    return run


def _runs(results: dict, env: dict, args, name: str, workers: int = 0, server=None) -> list[dict]:
    """``server``: one already running (the cluster's load balancer, bench/cluster.py), else gunicorn."""
    var = env["SCHOOLPOORT_VAR_DIR"]
    runs = []
    if workers:
        _python_json(env, "bench/scenarios.py", "clear_tasks")
    with contextlib.nullcontext(server) if server else Server(env, RUSH_PORT) as server:
        procs = [
            subprocess.Popen([PYTHON, str(ROOT / "bench" / "worker.py")], env=env, cwd=ROOT) for _ in range(workers)
        ]
        try:
            if workers:
                time.sleep(3)  # the workers import Django and start polling
            for _ in range(args.runs):
                runs.append(_one_run(env, name, server, var))
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return runs


def _too_small(args, name: str) -> bool:
    """The rushes need a school of the full board (300 families in one school for P6)."""
    if args.scale < 1:
        print(f"{name} skipped: it needs the full board (--scale 1)")
        return True
    return False


def _page(runs: list[dict], page: str, key: str) -> float:
    return median_of([{"v": r["pages"].get(page, {}).get(key)} for r in runs], "v")


def _counts(runs: list[dict], key: str) -> float:
    return median_of([r["counts"] for r in runs], key)


def _total(runs: list[dict], key: str) -> int:
    return sum(int(r["counts"][key]) for r in runs)


def _latency_rows(runs: list[dict], pages: list[str]) -> list[list]:
    return [
        [
            page,
            _page(runs, page, "count"),
            _page(runs, page, "p50"),
            _page(runs, page, "p95"),
            _page(runs, page, "p99"),
        ]
        for page in pages
    ]


def _summary(runs: list[dict]) -> str:
    errors = sum(r["server_errors"] for r in runs)
    cpu = median_of([{"v": 100 * r["client_cpu_s"] / max(r["wall_s"], 1e-9)} for r in runs], "v")
    return (
        f"5xx or failed connections over {len(runs)} runs: {errors}; the load generator used {cpu:.0f} % of "
        "its core (median)."
    )


def p6(results: dict, env: dict, args, server=None) -> None:
    from .report import _rows, _target

    if _too_small(args, "p6"):
        return
    runs = _runs(results, env, args, "p6", server=server)
    doubles, halves = _total(runs, "double_bookings") + _total(runs, "children_twice"), _total(runs, "half_pairs")
    lines = [
        "300 families open the round's page at the same instant (a gate in the load generator) and book: "
        "280 one child (one of the first three free times; taken from the 16 groups in turn), 20 two "
        "children (the first back-to-back suggestion); a family whose time was taken tries again from "
        "the page it is sent back to (one of its one-tap alternatives), up to 5 times. 250 slots of 10 "
        "minutes with 16 teachers, each teacher's share by the group's families in the round (every group "
        f"has more families than times). Median of {len(runs)} runs; the state is rebuilt before each.",
        "",
    ]
    lines += _rows(
        ["request", "count", "p50 ms", "p95 ms", "p99 ms"], _latency_rows(runs, ["round page", "book (POST)"])
    )
    lines += [""]
    rows = [
        ["slots booked (of 250)", _counts(runs, "bookings")],
        ["families with a booking (of 300)", _counts(runs, "families_booked")],
        ["sibling pairs booked back to back (of 20)", _counts(runs, "pairs_both")],
        ["all runs: double bookings (slot or child twice)", doubles],
        ["all runs: half sibling pairs (one of two)", halves],
        ["time until the last family was done (s)", median_of(runs, "wall_s")],
    ]
    lines += _rows(["P6", "figure"], rows)
    p95 = max(_page(runs, "round page", "p95"), _page(runs, "book (POST)", "p95"))
    lines += [
        "",
        f"Target 0 over-bookings: {_target(doubles == 0)}; no half sibling pairs: {_target(halves == 0)}. "
        f"p95 of every request {fmt(p95)} ms. " + _summary(runs),
    ]
    results["p6"] = {"runs": runs, "lines": lines}
    print(f"P6: doubles {doubles}, half pairs {halves}, booked {_counts(runs, 'bookings')}, p95 {p95:.0f} ms")


def p7(results: dict, env: dict, args) -> None:
    from .report import _rows, _target

    if _too_small(args, "p7"):
        return
    runs = _runs(results, env, args, "p7")
    exceeded = _total(runs, "capacity_exceeded") + _total(runs, "taken_not_answers")
    lines = [
        "200 families open a volunteer form at the same instant (one answer per family, ten posts with "
        "4–12 places, 80 in all) and sign up for one post (one in three for two) that still shows free "
        "places; a refusal shows the places as they are now and they choose again, up to 4 times. "
        f"Median of {len(runs)} runs, a fresh form each.",
        "",
    ]
    lines += _rows(
        ["request", "count", "p50 ms", "p95 ms", "p99 ms"], _latency_rows(runs, ["form page", "sign up (POST)"])
    )
    lines += [""]
    rows = [
        ["places taken (of 80)", _counts(runs, "places_taken")],
        ["families signed up", _counts(runs, "responses")],
        ["all runs: options over capacity (taken or answers)", _total(runs, "capacity_exceeded")],
        ["all runs: options whose count differs from their answers", _total(runs, "taken_not_answers")],
    ]
    lines += _rows(["P7", "figure"], rows)
    lines += ["", f"Target capacity never exceeded over {len(runs)} runs: {_target(exceeded == 0)}. " + _summary(runs)]
    results["p7"] = {"runs": runs, "lines": lines}
    print(f"P7: exceeded {exceeded}, places {_counts(runs, 'places_taken')}")


def p8(results: dict, env: dict, args, server=None) -> None:
    from .common import percentile
    from .report import _rows, _target

    if _too_small(args, "p8"):
        return
    runs = _runs(results, env, args, "p8", server=server)
    for run in runs:
        reported, seen = run["marks"]["reported"], run["marks"]["seen"]
        lags = sorted(seen[s] - reported[s] for s in seen if s in reported)
        run["on_list"] = {"watched": len(seen), "p50": percentile(lags, 50), "max": lags[-1] if lags else None}
        run.pop("marks")
    post_p95 = _page(runs, "report (POST)", "p95")
    worst = max((r["on_list"]["max"] or 0) for r in runs)
    lines = [
        "800 parents report a sick child within 60 s (evenly spread), each as a phone would: the form, the "
        "report, the overview it redirects to; meanwhile the teachers of the six groups with the most "
        'reports reload their "today" list every 0.5 s. On the list: from the moment the parent has the '
        f"confirmation until the teacher's reload shows the pupil away. Median of {len(runs)} runs.",
        "",
    ]
    lines += _rows(
        ["request", "count", "p50 ms", "p95 ms", "p99 ms"],
        _latency_rows(runs, ["report form", "report (POST)", "absences page", "teacher's today list"]),
    )
    rows = [
        ["reports stored (of 800)", _counts(runs, "absences")],
        ["watched reports seen on the teacher's list", median_of([r["on_list"] for r in runs], "watched")],
        ["… on the list after, median (s)", median_of([r["on_list"] for r in runs], "p50")],
        ["… on the list after, worst of all runs (s)", worst],
    ]
    lines += [""] + _rows(["P8", "figure"], rows)
    lines += [
        "",
        f"Target p95 of the report ≤ 200 ms: {_target(post_p95 <= 200)} ({fmt(post_p95)} ms); on the list within "
        f"5 s: {_target(worst <= 5)} (the list reads the database, so the delay is the reload interval). "
        + _summary(runs),
    ]
    results["p8"] = {"runs": runs, "lines": lines}
    print(f"P8: report p95 {post_p95:.0f} ms, on the list worst {worst:.2f} s")


def upload(results: dict, env: dict, args) -> None:
    from .report import _rows

    if _too_small(args, "upload"):
        return
    runs = _runs(results, env, args, "upload", workers=2)
    for run in runs:
        c, opened = run["counts"], run["opened_at"]
        done = [o["done"] for o in run.pop("upload_outcomes")]
        run["uploaded_s"] = max(done) - opened if done else None
        run["thumbs_s"] = c["last_task_finished"] - opened if c["last_task_finished"] else None
        run["after_upload_s"] = (run["thumbs_s"] - run["uploaded_s"]) if run["thumbs_s"] and done else None
    mb = runs[0]["state"]["bytes"] / 1e6
    lines = [
        f"A teacher uploads 20 JPEGs of 12 megapixels (4000 × 3000, {mb:.0f} MB in all) from the album's upload "
        "page, two requests at a time as its script does; 2 task workers (`db_worker`) make the web "
        f"version and the thumbnail of each. Median of {len(runs)} runs, a new album each.",
        "",
    ]
    rows = [
        ["every file uploaded and accepted (s)", median_of(runs, "uploaded_s")],
        ["every thumbnail ready (s)", median_of(runs, "thumbs_s")],
        ["… of which after the last upload (s)", median_of(runs, "after_upload_s")],
        [
            "upload request p50 / p95 (ms)",
            f"{fmt(_page(runs, 'upload (POST)', 'p50'))} / {fmt(_page(runs, 'upload (POST)', 'p95'))}",
        ],
        ["photos ready / failed (per run)", f"{_counts(runs, 'ready'):.0f} / {_counts(runs, 'failed'):.0f}"],
    ]
    lines += _rows(["upload", "figure"], rows) + ["", _summary(runs)]
    results["upload"] = {"runs": runs, "lines": lines}
    print(f"upload: uploaded {median_of(runs, 'uploaded_s'):.1f} s, thumbnails {median_of(runs, 'thumbs_s'):.1f} s")


STEPS = {"p6": p6, "p7": p7, "p8": p8, "upload": upload}
