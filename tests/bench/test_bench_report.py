"""The benchmark report is written from whatever steps ran: ``bench/run.py --only pages`` (no P3)
used to fail on the missing ``p3_board`` key (issue 16)."""

from bench.report import write_report

FIGURES = {"p50": 12.0, "p95": 20.0, "p99": 30.0, "error_count": 0, "rps": 100.0, "client_cpu_pct": 40.0}


def test_a_pages_only_run_writes_its_report(tmp_path):
    sizes = {name: {"status": 200, "bytes": 1000} for name in ("feed", "home", "album", "ical", "static")}
    results = {
        "machine": {"commit": "abc", "date": "2026-12-06", "cpu": "cpu", "cores": 2, "memory_gib": 24, "os": "linux",
                    "python": "3.11", "load_before": 0.1},
        "scale": 1, "runs": 3, "sizes": sizes,
        "p1": {"feed": FIGURES, "home": FIGURES, "bare": FIGURES},
        "p2": {"feed": FIGURES, "bare": FIGURES, "static": FIGURES},
        "extra_pages": {"ical": FIGURES, "album": FIGURES},
        "album_photos": 200,
    }
    write_report(results, tmp_path / "results.md")
    report = (tmp_path / "results.md").read_text()
    assert "album page of 200 photos" in report and "P3 queries" not in report
