"""docs/scaling.md's model (bench/scaling.py) from the cluster step's figures: it grows with the
number of pupils, never plans fewer than two of a stateless part, and reads what the step writes."""

from bench.scaling import inputs, markdown, model


def cluster_results(app_ms: float = 40.0) -> dict:
    per_request = {"app servers": app_ms, "postgres": 10.0, "redis": 0.2, "HAProxy": 0.3}
    return {
        "board": {"counts": {"pupils": 8000, "guardians": 14000}},
        "cluster": {
            "p1": {"feed": {"cpu_ms_per_request": per_request}, "home": {"cpu_ms_per_request": per_request}},
            "p4": {
                "runs": [{"recipients": 14000, "worker_cpu_s": 56.0, "email_s": 35.0, "push_s": 36.0, "workers": 2}],
                "postgres_cpu_s": 28.0,
            },
            "p6": {"cpu_ms_per_request": {"app servers": 1.5 * app_ms}, "per_server": {"app1": 1200, "app2": 1200}},
            "database_mb": 340.0,
            "redis_empty": {"used_memory_mb": 0.9},
            "redis": {"used_memory_mb": 1.5, "keys": 1000},
            "s3": {"web_bytes": 300_000, "thumb_bytes": 20_000},
        },
    }


def test_the_model_grows_with_the_pupils_and_keeps_two_of_each_stateless_part():
    rows = model(inputs(cluster_results()))
    assert [r["pupils"] for r in rows] == [8_000, 40_000, 1_500_000]
    assert all(r["app_servers"] >= 2 and r["workers"] >= 2 for r in rows)
    for smaller, larger in zip(rows, rows[1:], strict=False):
        assert larger["app_cores"] > smaller["app_cores"] and larger["db_gb"] > smaller["db_gb"]
        assert larger["workers"] >= smaller["workers"] and larger["media_tb"] > smaller["media_tb"]


def test_dearer_requests_need_more_app_servers():
    cheap, dear = model(inputs(cluster_results(20.0))), model(inputs(cluster_results(200.0)))
    assert dear[1]["app_cores"] > cheap[1]["app_cores"]


def test_the_table_names_every_size():
    x = inputs(cluster_results())
    table = markdown(x, model(x))
    assert "large board" in table and "national service" in table and "PostgreSQL size" in table
