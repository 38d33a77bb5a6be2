"""The cluster step of `make bench` (issue 16): a board's shape on this machine, started and stopped
by the benchmark itself, and the benchmarks of one server run on it.

    .venv/bin/python bench/run.py --only cluster

The cluster: the bench's PostgreSQL (port 5450), Redis (Debian's ``redis-server``: cache, sessions,
rate limits, login lockout), an S3 API for media (moto in server mode on loopback; any
S3-compatible store in production), two gunicorn app servers behind HAProxy (round robin per
request, health checks every second) and two task workers (``manage.py run_worker``). On it:

- the shared state: one parent's requests alternating between the servers (session, CSRF), the
  login lockout and a rate limit counted across both, media from S3 through either server;
- P1 (feed, home) through the load balancer, with the CPU seconds of the app servers, PostgreSQL
  and Redis per request (for docs/scaling.md), and P1 again with one app server killed (kill -9 of
  its master and workers) halfway: only its in-flight requests may fail;
- P6 (round opening: the rush spread over both servers) and P8 (absence peak), as on one server;
- P4/P5 (urgent message to every guardian; kill -9 of one worker halfway) with the product's lease,
  with the task workers' CPU seconds per notification.
Each figure is one run (the one-server figures above are medians of three): the step must stay a
few minutes of `make bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.cookiejar
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pages
from .common import PYTHON, ROOT, Server, fmt, wait_for_port
from .sessions import cookie_header

REDIS_PORT, S3_PORT, LB_PORT, STATS_PORT = 6450, 8464, 8460, 8463
APP_PORTS = (8461, 8462)
APP_WORKERS = 3  # per app server: the two share this machine's two cores (one server would run 5)
BUCKET = "schoolpoort-bench-media"
S3_KEYS = {"S3_REGION": "eu-west-1", "S3_ACCESS_KEY_ID": "bench", "S3_SECRET_ACCESS_KEY": "bench"}


# --- The parts of the cluster -------------------------------------------------------------------


def system_binary(name: str, package: str) -> str:
    """A Debian binary, installed with apt-get (as root) when missing, as `make bench` installs
    PostgreSQL."""
    if binary := shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin"):
        return binary
    if os.geteuid() != 0:
        raise SystemExit(f"{name} is not installed: apt-get install {package} (as root), or run make bench as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


@contextlib.contextmanager
def process(command: list[str], port: int, log: Path, env: dict | None = None):
    """A server process of the cluster, stopped (SIGTERM, then SIGKILL) afterwards."""
    with open(log, "w") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, 60)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def haproxy_config(port: int, servers: list[str], stats_port: int | None = None, maxconn: int = APP_WORKERS) -> str:
    """HAProxy in front of the app servers: round robin per request (not per connection); at most
    ``maxconn`` requests on a server at once (its sync workers: the rest wait in HAProxy's queue, not
    in gunicorn's backlog, so a health check is answered after one request, not after the whole
    queue); a health check every 2 s, a server down after two failures (a dead one refuses at once);
    a server that refuses one connection is taken out at once (``observe layer4``, no waiting for
    the health check) and the request retried on the other (only a refused connection:
    a request the dead server had already received is not sent twice); the answering server's name in
    ``X-Served-By``. Also used by tests/test_cluster.py."""
    lines = [
        "global",
        "    maxconn 4096",
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout queue 120s",
        "    timeout check 10s",
        "    option redispatch 1",  # every retry of a refused connection goes to another server
        "    retries 2",
        "frontend web",
        f"    bind 127.0.0.1:{port}",
        "    default_backend app",
        "backend app",
        "    balance roundrobin",
        "    option httpchk",
        "    http-check send meth GET uri /inloggen/ ver HTTP/1.1 hdr Host 127.0.0.1",
        "    http-response set-header X-Served-By %s",
    ]
    lines += [
        f"    server app{i + 1} {url.removeprefix('http://')} maxconn {maxconn} check inter 2s fall 2 rise 2 "
        "observe layer4 error-limit 1 on-error mark-down"
        for i, url in enumerate(servers)
    ]
    if stats_port:
        lines += ["listen stats", f"    bind 127.0.0.1:{stats_port}", "    stats enable", "    stats uri /stats"]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def haproxy(binary: str, port: int, servers: list[str], workdir: Path, stats_port: int | None = None):
    config = workdir / "haproxy.cfg"
    config.write_text(haproxy_config(port, servers, stats_port))
    subprocess.run([binary, "-c", "-q", "-f", str(config)], check=True)
    with process([binary, "-db", "-f", str(config)], port, workdir / "haproxy.log") as proc:
        yield proc


def backend_stats() -> dict[str, dict]:
    """HAProxy's counters per app server: status and responses by class."""
    with urllib.request.urlopen(f"http://127.0.0.1:{STATS_PORT}/stats;csv", timeout=10) as response:
        text = response.read().decode().lstrip("# ")
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["svname"]: {
            "status": row["status"],
            "responses": sum(int(row[f"hrsp_{k}xx"] or 0) for k in range(1, 6)),
            "5xx": int(row["hrsp_5xx"] or 0),
            "retries": int(row.get("wretr") or 0),
            "redispatched": int(row.get("wredis") or 0),
        }
        for row in rows
        if row["pxname"] == "app"
    }


def wait_until_up(names: list[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = backend_stats()
        if all(stats.get(name, {}).get("status") == "UP" for name in names):
            return
        time.sleep(0.2)
    raise RuntimeError(f"HAProxy did not see {names} up: {backend_stats()}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its living children (gunicorn's workers, the
    PostgreSQL backends)."""
    import psutil

    try:
        root = psutil.Process(pid)
        own = root.cpu_times()
        total = own.children_user + own.children_system  # the children it has reaped already
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def kill_server(server: Server) -> None:
    """kill -9 of an app server: its master and every worker at once, as a crashed machine."""
    import psutil

    master = psutil.Process(server.process.pid)
    for proc in [*master.children(recursive=True), master]:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGKILL)
    server.process.wait()


@contextlib.contextmanager
def s3_media(workdir: Path, media_root: Path):
    """moto's S3 server with the board's bucket; the sample photos' thumbnails uploaded to it."""
    import boto3

    with process([PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)], S3_PORT, workdir / "moto.log"):
        endpoint = f"http://127.0.0.1:{S3_PORT}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=S3_KEYS["S3_REGION"],
            aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_KEYS["S3_REGION"]})
        # The generator hard-links two pictures under every photo's names; the thumbnails are
        # the small one (the pages show thumbnails; the web versions would only fill moto's memory).
        thumb = (media_root / "bench" / "source-t.jpg").stat()
        files = [
            p
            for p in media_root.rglob("*")
            if p.is_file() and p.stat().st_ino == thumb.st_ino and not p.name.startswith("source-")
        ]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: client.upload_file(str(p), BUCKET, str(p.relative_to(media_root))), files))
        yield (
            endpoint,
            {
                "files": len(files),
                "bytes": sum(p.stat().st_size for p in files),
                "web_bytes": (media_root / "bench" / "source-w.jpg").stat().st_size,  # one photo's web version
                "thumb_bytes": thumb.st_size,
            },
        )


# --- A browser for the shared-state checks --------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One cookie jar whose requests go to whichever server the check names."""

    def __init__(self, cookies: dict | None = None):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())

    def request(self, url: str, data: dict | None = None, referer: str | None = None) -> tuple:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": referer or url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=60) as response:
                return response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    @staticmethod
    def csrf_token(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def shared_state(lb: str, servers: list[str], info: dict) -> dict:
    """What two servers must share, checked request by request (each alternating A, B, A, B)."""
    a, b = servers
    parent = Browser()
    parent.cookie = cookie_header(info["sessions"][0])
    session = [parent.request(url + info["paths"]["home"])[0] for url in (a, b, a, b)]
    through_lb = [parent.request(lb + info["paths"]["feed"]) for _ in range(6)]
    served_by = sorted({headers.get("X-Served-By", "?") for _s, _p, headers in through_lb})
    media = parent.request(lb + info["sample_thumb"])[0] if info.get("sample_thumb") else None
    # The login form of one server posted to the other (CSRF), with a wrong password until locked.
    visitor = Browser()
    lockout = []
    for attempt in range(12):
        form_server, post_server = (a, b) if attempt % 2 == 0 else (b, a)
        _status, page, _headers = visitor.request(form_server + "/inloggen/")
        status, _page, _headers = visitor.request(
            post_server + "/inloggen/",
            {"csrfmiddlewaretoken": visitor.csrf_token(page), "username": "ouder1@bench.example", "password": "wrong"},
            referer=form_server + "/inloggen/",
        )
        lockout.append(status)
    # Password reset requests for unknown addresses, alternating: the per-address limit counts both.
    limited = []
    for attempt in range(12):
        server = (a, b)[attempt % 2]
        _status, page, _headers = visitor.request(server + "/wachtwoord-vergeten/")
        status, _page, _headers = visitor.request(
            server + "/wachtwoord-vergeten/",
            {"csrfmiddlewaretoken": visitor.csrf_token(page), "email": f"nobody{attempt}@bench.example"},
        )
        limited.append(status)
    return {
        "session_statuses": session,
        "lb_statuses": [s for s, _p, _h in through_lb],
        "served_by": served_by,
        "media_status": media,
        "lockout_statuses": lockout,
        "locked_after": next((i + 1 for i, s in enumerate(lockout) if s == 429), None),
        "reset_statuses": limited,
        "reset_limited_after": next((i + 1 for i, s in enumerate(limited) if s == 429), None),
    }


# --- The step -------------------------------------------------------------------------------------


def _answered() -> int:
    """Responses of the two app servers so far (HAProxy's count; health checks are not in it)."""
    stats = backend_stats()
    return stats["app1"]["responses"] + stats["app2"]["responses"]


def idle_cpu(cpu_of: dict[str, int], seconds: float = 5) -> dict[str, float]:
    """CPU seconds per second each part spends with no request: the task workers' polling, autovacuum
    after the board was generated, health checks. Subtracted from the figures per request."""
    before = {name: cpu_seconds(pid) for name, pid in cpu_of.items()}
    time.sleep(seconds)
    return {name: max(0.0, cpu_seconds(pid) - before[name]) / seconds for name, pid in cpu_of.items()}


def measured_p1(lb: str, visits: list[dict], seconds: float, cpu_of: dict[str, int], idle: dict) -> dict:
    """One P1 run through the load balancer, with the CPU seconds each part used meanwhile (less
    what it uses idle)."""
    before = {name: cpu_seconds(pid) for name, pid in cpu_of.items()}
    answered = _answered()
    started = time.monotonic()
    result = pages.open_model(lb, visits, seconds, 1)
    wall = time.monotonic() - started
    requests = _answered() - answered
    cpu = {name: max(0.0, cpu_seconds(pid) - before[name] - idle.get(name, 0) * wall) for name, pid in cpu_of.items()}
    result["cpu_s"] = cpu
    result["requests"] = requests
    result["cpu_ms_per_request"] = {name: 1000 * v / max(requests, 1) for name, v in cpu.items()}
    result["wall_s"] = wall
    return result


def cluster_benchmark(results: dict, env: dict, args, pg, steps: dict) -> None:  # noqa: PLR0915
    """``steps``: the one-server steps to run again on the cluster, as bench/run.py names them
    (p4 for P4/P5, p6, p8); each is called with the cluster's environment and, for the rushes,
    the load balancer as its server."""
    from .report import _rows, _target

    redis_bin = system_binary("redis-server", "redis-server")
    haproxy_bin = system_binary("haproxy", "haproxy")
    workdir = Path(tempfile.mkdtemp(prefix="schoolpoort-bench-cluster-"))
    media_root = Path(env["SCHOOLPOORT_VAR_DIR"]) / "media"
    one = argparse.Namespace(**{**vars(args), "runs": 1})
    out: dict = {}
    try:
        with contextlib.ExitStack() as stack:
            redis = stack.enter_context(
                process(
                    [redis_bin, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                    REDIS_PORT,
                    workdir / "redis.log",
                )
            )
            out["redis_empty"] = _redis_info(redis_bin)
            endpoint, uploaded = stack.enter_context(s3_media(workdir, media_root))
            cenv = {
                **env,
                "DJANGO_SETTINGS_MODULE": "bench.cluster_settings",
                "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
                "S3_BUCKET": BUCKET,
                "S3_ENDPOINT_URL": endpoint,
                **S3_KEYS,
            }
            servers = [stack.enter_context(Server(cenv, port, APP_WORKERS)) for port in APP_PORTS]
            balancer = stack.enter_context(haproxy(haproxy_bin, LB_PORT, [s.url for s in servers], workdir, STATS_PORT))
            lb = f"http://127.0.0.1:{LB_PORT}"
            wait_until_up(["app1", "app2"])
            workers = [
                subprocess.Popen([PYTHON, str(ROOT / "bench" / "worker.py")], env=cenv, cwd=ROOT) for _ in range(2)
            ]
            try:
                info = _prepare(cenv)
                out["shared"] = shared_state(lb, [s.url for s in servers], info)
                print("cluster shared state:", out["shared"])
                headers = [{"Cookie": cookie_header(key)} for key in info["sessions"]]
                postmaster = int((Path(pg.dir) / "data" / "postmaster.pid").read_text().split()[0])
                cpu_pids = {"postgres": postmaster, "redis": redis.pid, "HAProxy": balancer.pid}
                p1 = {}
                idle = idle_cpu(_pids(cpu_pids, [s.process.pid for s in servers]))
                out["idle_cpu_per_s"] = idle
                for name in ("feed", "home"):
                    visits = [{"path": info["paths"][name], "headers": h} for h in headers]
                    p1[name] = _measured(lb, visits, args.seconds, cpu_pids, [s.process.pid for s in servers], idle)
                    print(
                        f"cluster P1 {name}: p50 {p1[name]['p50']:.1f} ms, p95 {p1[name]['p95']:.1f} ms, "
                        f"errors {p1[name]['runs'][0]['errors']}, CPU ms/request {p1[name]['cpu_ms_per_request']}"
                    )
                out["p1"] = p1
                out["kill"] = _p1_with_a_kill(lb, servers, headers, info, args.seconds)
                print("cluster P1 with app server 1 killed halfway:", out["kill"]["summary"])
                # Rushes spread over both servers by the load balancer, with the cluster's workers.
                lb_server = argparse.Namespace(url=lb)
                for name in ("p6", "p8"):
                    if name in steps:
                        sub: dict = {}
                        before, cpu = backend_stats(), _cpu(servers, cpu_pids)
                        steps[name](sub, cenv, one, server=lb_server)
                        after, cpu = backend_stats(), {k: v - cpu[k] for k, v in _cpu(servers, cpu_pids).items()}
                        if name in sub:
                            per_server = {k: after[k]["responses"] - before[k]["responses"] for k in ("app1", "app2")}
                            sub[name]["per_server"] = per_server
                            # Includes the scenario's own preparation queries (PostgreSQL), not the app's.
                            sub[name]["cpu_ms_per_request"] = {
                                k: 1000 * v / max(sum(per_server.values()), 1) for k, v in cpu.items()
                            }
                            out[name] = sub[name]
            finally:
                for worker in workers:
                    worker.send_signal(signal.SIGTERM)
                for worker in workers:
                    try:
                        worker.wait(30)
                    except subprocess.TimeoutExpired:
                        worker.kill()
            # P4/P5 start their own two workers (bench/urgent.py kills one of them).
            if "p4" in steps:
                sub = {}
                before = cpu_seconds(postmaster)
                steps["p4"](sub, cenv, one)
                sub["p4"]["postgres_cpu_s"] = cpu_seconds(postmaster) - before
                out["p4"] = sub["p4"]
            out["load_average"] = os.getloadavg()  # the machine is shared: say how busy it was
            out["database_mb"] = _database_mb(pg)
            out["redis"] = _redis_info(redis_bin)
            out["s3"] = uploaded
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out["lines"] = _lines(out, results, _rows, _target)
    results["cluster"] = out


def _cpu(servers: list[Server], cpu_pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far: both app servers together, and each other part."""
    return {
        "app servers": sum(cpu_seconds(s.process.pid) for s in servers),
        **{name: cpu_seconds(pid) for name, pid in cpu_pids.items()},
    }


def _pids(cpu_pids, app_pids) -> dict[str, int]:
    return {**cpu_pids, **{f"app{i + 1}": pid for i, pid in enumerate(app_pids)}}


def _measured(lb, visits, seconds, cpu_pids, app_pids, idle) -> dict:
    """P1 with the app servers' CPU (both masters and their workers) beside PostgreSQL's and Redis'."""
    result = measured_p1(lb, visits, seconds, _pids(cpu_pids, app_pids), idle)
    app = sum(v for k, v in result["cpu_s"].items() if k.startswith("app"))
    result["cpu_s"] = {"app servers": app, **{k: v for k, v in result["cpu_s"].items() if not k.startswith("app")}}
    result["cpu_ms_per_request"] = {k: 1000 * v / max(result["requests"], 1) for k, v in result["cpu_s"].items()}
    return result


def _p1_with_a_kill(lb: str, servers: list[Server], headers: list[dict], info: dict, seconds: float):
    """P1 (feed) through the load balancer; halfway, kill -9 of app server 1 (master and workers).
    Afterwards it is started again, so the rushes have both servers."""
    visits = [{"path": info["paths"]["feed"], "headers": h} for h in headers]
    duration = max(seconds, 10)
    before = backend_stats()
    killed: dict = {}

    def kill_halfway():
        time.sleep(2 + duration / 2)  # the load generator's 2 s warm-up, then half the window
        killed["at"] = time.time()
        kill_server(servers[0])

    thread = threading.Thread(target=kill_halfway)
    thread.start()
    result = pages.open_model(lb, visits, duration, 1)
    thread.join()
    after = backend_stats()
    # Back up for what follows: a new app server 1 on the same port.
    servers[0].__enter__()
    wait_until_up(["app1", "app2"])
    per_server = {k: after[k]["responses"] - before[k]["responses"] for k in ("app1", "app2")}
    result["per_server"] = per_server
    result["lb_5xx"] = after["BACKEND"]["5xx"] - before["BACKEND"]["5xx"]  # its own 503s and the servers' 5xx
    result["redispatched"] = sum(after[k]["redispatched"] - before[k]["redispatched"] for k in ("app1", "app2"))
    result["in_flight_bound"] = APP_WORKERS
    result["summary"] = (
        f"{int(result['count'])} requests measured, {int(result['error_count'])} failed "
        f"({result['runs'][0]['errors']}), app1 {per_server['app1']} / app2 {per_server['app2']} answers, "
        f"p95 {result['p95']:.0f} ms"
    )
    return result


def _prepare(cenv: dict) -> dict:
    import json

    out = subprocess.run(
        [PYTHON, "bench/prepare.py", "board"], env=cenv, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise RuntimeError(f"prepare failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _database_mb(pg) -> float:
    command = [
        str(pg.bin / "psql"),
        "-h",
        "127.0.0.1",
        "-p",
        str(pg.port),
        "-U",
        "postgres",
        "-At",
        "-c",
        "select pg_database_size('board')",
    ]
    size = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    return int(size) / 1e6


def _redis_info(redis_bin: str) -> dict:
    cli = str(Path(redis_bin).with_name("redis-cli"))
    if not Path(cli).exists():
        return {}
    text = subprocess.run([cli, "-p", str(REDIS_PORT), "info"], capture_output=True, text=True).stdout
    info = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    keys = subprocess.run([cli, "-p", str(REDIS_PORT), "dbsize"], capture_output=True, text=True).stdout.strip()
    return {"used_memory_mb": int(info.get("used_memory", 0)) / 1e6, "keys": int(keys or 0)}


def _lines(out: dict, results: dict, _rows, _target) -> list[str]:  # noqa: C901
    s = out["shared"]
    lines = [
        f"PostgreSQL, Redis, moto's S3 server ({out['s3']['files']:,} thumbnails in the bucket), HAProxy "
        f"(round robin per request, at most {APP_WORKERS} requests per server, the rest queued, health check "
        "every 2 s) in front of two gunicorn app servers of "
        f"{APP_WORKERS} sync workers, two task workers (`run_worker`), all on this machine's two cores, "
        "started and stopped by `make bench` (alone: `bench/run.py --only cluster`). One run of each figure. Load "
        f"average at the end of the step {out['load_average'][0]:.1f} / {out['load_average'][1]:.1f} / "
        f"{out['load_average'][2]:.1f} (1 / 5 / 15 min): every part of the cluster and the load generator share "
        "the two cores, so the CPU per request carries over to other machines better than the latencies do.",
        "",
        "Shared state, request by request (servers A, B, A, B, …):",
        "",
    ]
    session_ok = all(x == 200 for x in s["session_statuses"] + s["lb_statuses"]) and len(s["served_by"]) == 2
    rows = [
        ["a parent's session on A, B, A, B (home)", " ".join(map(str, s["session_statuses"])), _target(session_ok)],
        ["… the feed six times through the load balancer, answered by", ", ".join(s["served_by"]), _target(session_ok)],
        ["a thumbnail from S3 through the load balancer", s["media_status"], _target(s["media_status"] == 200)],
        [
            "login form of one server posted to the other, wrong password: locked (429) at attempt",
            s["locked_after"],
            _target(s["locked_after"] == 8),
        ],
        [
            "password reset, alternating servers: limited (429) at request",
            s["reset_limited_after"],
            _target(s["reset_limited_after"] == 11),
        ],
    ]
    lines += _rows(["check", "result", ""], rows)
    lines += [
        "",
        "The lockout counts 8 wrong passwords for one account and address (LOGIN_FAILURE_LIMIT), the reset",
        "10 requests per address an hour: both reached only if the two servers count together (Redis).",
        "The CSRF token of one server's form was accepted by the other on every attempt (no 403).",
        "",
        "P1 through the load balancer (20 parents, 1 s think time) and the CPU it cost, per request:",
        "",
    ]
    rows = []
    for name in ("feed", "home"):
        x = out["p1"][name]
        ms = x["cpu_ms_per_request"]
        rows.append(
            [
                name,
                x["p50"],
                x["p95"],
                x["p99"],
                int(x["error_count"]),
                ms["app servers"],
                ms["postgres"],
                ms["redis"],
                ms["HAProxy"],
            ]
        )
    lines += _rows(
        [
            "page",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "app CPU ms",
            "PostgreSQL CPU ms",
            "Redis CPU ms",
            "HAProxy CPU ms",
        ],
        rows,
    )
    k = out["kill"]
    lines += [
        "",
        f"P1 (feed) with app server 1 killed (kill -9 of master and workers) halfway through its "
        f"{k['seconds']:.0f} s: {k['summary']}; HAProxy counted {k['lb_5xx']} answers 5xx. At most "
        f"{k['in_flight_bound']} requests were in flight on the killed server (one per sync worker): "
        f"{_target(k['error_count'] <= k['in_flight_bound'])}.",
        "",
    ]
    if "p6" in out:
        lines += [
            "P6 on the cluster (one run), the rush spread by the load balancer: "
            f"app1 answered {out['p6']['per_server']['app1']:,}, app2 {out['p6']['per_server']['app2']:,}.",
            "",
        ]
        lines += out["p6"]["lines"] + [""]
    if "p8" in out:
        lines += [
            "P8 on the cluster (one run): "
            f"app1 answered {out['p8']['per_server']['app1']:,}, app2 {out['p8']['per_server']['app2']:,}.",
            "",
        ]
        lines += out["p8"]["lines"] + [""]
    if "p4" in out:
        p4 = out["p4"]["runs"][0]
        cpu = p4.get("worker_cpu_s")
        per = f"{1000 * cpu / p4['recipients']:.1f} ms of worker CPU per guardian (e-mail, push, in-app)" if cpu else ""
        lines += [
            "P4 and P5 on the cluster (one run each; the workers use Redis and S3 as the app servers do). "
            + per
            + f"; PostgreSQL {out['p4']['postgres_cpu_s']:.0f} CPU s over P4 and P5.",
            "",
        ]
        lines += out["p4"]["lines"] + [""]
    pupils = results.get("board", {}).get("counts", {}).get("pupils")
    if pupils:
        lines += [
            f"Sizes: the board's database {fmt(out['database_mb'])} MB ({1000 * out['database_mb'] / pupils:.0f} kB "
            f"per pupil); Redis {fmt(out['redis'].get('used_memory_mb'))} MB with {out['redis'].get('keys', 0):,} keys "
            "after the step. What they mean beyond this machine: docs/scaling.md.",
        ]
    return lines
