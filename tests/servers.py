"""Real servers for the tests that need more than one process: a Redis of our own, and gunicorn
app servers on the test database (the shape of a board's cluster, on loopback)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the server on port {port} stopped with exit code {process.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def redis_server():
    """A Redis server on a free loopback port, stopped afterwards; skips where none is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, 10, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_database_url() -> str:
    """The test database, as another process must find it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@contextlib.contextmanager
def load_balancer(urls: list[str], workdir: Path):
    """HAProxy in front of the app servers, configured as the benchmark's cluster (round robin per
    request, the answering server in ``X-Served-By``); yields its URL. Skips where none is installed."""
    from bench.cluster import haproxy_config

    binary = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if binary is None:
        pytest.skip("haproxy is not installed (apt-get install haproxy; .ci/run does)")
    for url in urls:  # a worker loads the app on its first request: not within a health check's time
        urllib.request.urlopen(url + "/inloggen/", timeout=120).close()
    port = free_port()
    config = workdir / "haproxy.cfg"
    config.write_text(haproxy_config(port, urls, maxconn=1))  # app_servers run one worker each
    balancer = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, 10, balancer)
        yield f"http://127.0.0.1:{port}"
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)


@contextlib.contextmanager
def app_servers(count: int, settings, **env_extra):
    """``count`` gunicorn app servers with the production settings on the test database; yields
    their base URLs."""
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "SCHOOLPOORT_VAR_DIR": str(settings.VAR_DIR),  # the same secret key and records key
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
        "DEBUG": "false",
        **env_extra,
    }
    for name in ("EMAIL_HOST",):
        env.pop(name, None)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers, urls = [], []
    try:
        for number in range(count):
            port = free_port()
            log = open(Path(settings.MEDIA_ROOT).parent / f"app-server-{number}.log", "w")  # noqa: SIM115
            command = [gunicorn, "schoolpoort.wsgi", "--workers", "1", "--timeout", "120",
                       "--bind", f"127.0.0.1:{port}"]
            servers.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
            log.close()
            urls.append(f"http://127.0.0.1:{port}")
        for server, url in zip(servers, urls, strict=True):
            wait_for_port(int(url.rsplit(":", 1)[1]), 60, server)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
