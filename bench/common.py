"""What every benchmark shares: the environment of the processes under test, the production
server (gunicorn), the load generator in its own pinned process with its CPU time, and figures."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
SERVER_WORKERS = 5  # gunicorn's rule for sync workers: 2 x cores + 1
LOAD_CORE = "1"  # the load generator's core; the server and PostgreSQL may use both


_UNSCOPED: list = []


def leave_school_scopes() -> None:
    """For the rest of a benchmark script: outside any school scope (django-scopes), on purpose.
    A script builds and reads every school's data; the server and the workers under benchmark keep
    the product's scopes. The context is kept: a dropped one would close and restore the scope."""
    from django_scopes import scopes_disabled

    context = scopes_disabled()
    context.__enter__()
    _UNSCOPED.append(context)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def base_env(database_url: str, var_dir: str, **extra) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SCHOOLPOORT_VAR_DIR": var_dir,
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        **extra,
    }


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=check, capture_output=True, text=True
    )


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


class Server:
    """gunicorn with the production settings (DEBUG off, whitenoise for static files)."""

    def __init__(self, env: dict, port: int, workers: int = SERVER_WORKERS):
        self.env, self.port, self.workers = env, port, workers
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        command = [
            GUNICORN,
            "schoolpoort.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT)
        wait_for_port(self.port)
        # Every worker imports the app lazily: a few requests warm them all.
        for _ in range(self.workers * 3):
            try:
                urllib.request.urlopen(self.url + "/inloggen/", timeout=30).read()
            except Exception:  # noqa: BLE001 - a 404 on the login path still warms the worker
                pass
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_load(spec: dict) -> dict:
    """Run bench/loadgen.py pinned to LOAD_CORE; returns its result with its own CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, result_path = Path(tmp, "spec.json"), Path(tmp, "result.json")
        spec_path.write_text(json.dumps(spec))
        command = [PYTHON, str(ROOT / "bench" / "loadgen.py"), str(spec_path), str(result_path)]
        if cpu_count() > 1:
            command = ["taskset", "-c", LOAD_CORE, *command]
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"the load generator failed ({process.returncode})")
        result = json.loads(result_path.read_text())
    result["client_cpu_s"] = usage.ru_utime + usage.ru_stime
    result["wall_s"] = time.monotonic() - started
    times = sorted(result.pop("times_ms"))
    result.update(percentiles(times))
    result["error_count"] = sum(result["errors"].values())
    return result


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lower = int(k)
    upper = min(lower + 1, len(sorted_values) - 1)
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (k - lower)


def percentiles(sorted_values: list[float]) -> dict[str, float]:
    return {f"p{p}": percentile(sorted_values, p) for p in (50, 95, 99)}


def median_of(runs: list[dict], key: str) -> float:
    values = [run[key] for run in runs if run.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:  # NaN
            return "–"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
