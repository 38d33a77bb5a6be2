"""P4 and P5: an urgent message to every guardian of the board, by e-mail and web push, with two
real task workers; P5 kills one of them with SIGKILL halfway and starts it again.

    DATABASE_URL=... python bench/urgent.py [--kill]

Against the board database of bench/generate.py: every guardian gets a push subscription whose
endpoint is a push server on loopback (it answers 201 like a push service and counts per device);
the SMTP server is aiosmtpd on loopback (it counts per recipient) — both in a process of their own,
forked before Django is set up (the sinks of bench/notify_urgent.py, with push beside them). The
clock starts when ``notify()`` commits; the figures: in-app rows all visible, every e-mail and
every push accepted, lost and duplicated messages. Prints JSON on its last line.

P5 and the lease: the workers are the product's ``manage.py run_worker`` with its own settings. A
claim (of a task, and of a batch of deliveries) left by the killed worker is taken back by the other
worker's heartbeat once the lease (``WORKER_LEASE_SECONDS``, 45 s) has run out: no shortcut, no cron.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.notify_urgent import sink_main  # noqa: E402 - the SMTP sink

SMTP_PORT, PUSH_PORT = 8453, 8452


def push_main(port: int, accepted, last_accept, ready, stop, results) -> None:
    """A push service on loopback: 201 for every POST, counted per device (the path)."""
    import threading

    counts: Counter = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as pywebpush's session expects

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                counts[self.path] += 1
            with accepted.get_lock():
                accepted.value += 1
                last_accept.value = time.time()
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    stop.wait()
    server.shutdown()
    results.put(dict(counts))


def device_keys() -> tuple[str, str]:
    """One real P-256 public key and auth secret for every subscription: pywebpush encrypts to it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), base64.urlsafe_b64encode(os.urandom(16)).rstrip(
        b"="
    ).decode()


def prepare(guardian_ids: list[int]) -> None:
    """A clean outbox and one push device per guardian."""
    from django_tasks_db.models import DBTaskResult

    from schoolpoort.notify.models import Broadcast, PushSubscription

    Broadcast.objects.all().delete()  # cascades to notifications and deliveries of earlier runs
    DBTaskResult.objects.all().delete()
    PushSubscription.objects.filter(user_id__in=guardian_ids).delete()
    p256dh, auth = device_keys()
    PushSubscription.objects.bulk_create(
        [
            PushSubscription(
                user_id=pk, endpoint=f"http://127.0.0.1:{PUSH_PORT}/push/{pk}", p256dh=p256dh, auth=auth, label="bench"
            )
            for pk in guardian_ids
        ],
        batch_size=5000,
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a living worker has used (/proc/<pid>/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "bench" / "worker.py")], env=env, cwd=ROOT)


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill", action="store_true", help="P5: kill -9 one worker halfway, then restart it")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()

    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "bench.settings"),  # or the cluster's
    }
    os.environ.update(env)

    mp = multiprocessing.get_context("fork")
    mail_n, mail_last, push_n, push_last = mp.Value("q", 0), mp.Value("d", 0.0), mp.Value("q", 0), mp.Value("d", 0.0)
    mail_ready, push_ready, stop = mp.Event(), mp.Event(), mp.Event()
    mail_results, push_results = mp.Queue(), mp.Queue()
    sinks = [
        mp.Process(target=sink_main, args=(SMTP_PORT, mail_n, mail_last, mail_ready, stop, mail_results), daemon=True),
        mp.Process(target=push_main, args=(PUSH_PORT, push_n, push_last, push_ready, stop, push_results), daemon=True),
    ]
    for sink in sinks:
        sink.start()
    mail_ready.wait(10)
    push_ready.wait(10)

    import django

    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()
    from django.conf import settings
    from django.db import transaction

    from schoolpoort.accounts.models import User
    from schoolpoort.core.models import School
    from schoolpoort.notify.api import notify
    from schoolpoort.notify.models import Delivery, Notification

    guardian_ids = list(User.objects.filter(guardianships__isnull=False).distinct().values_list("pk", flat=True))
    emails = dict(User.objects.filter(pk__in=guardian_ids).values_list("email", "pk"))
    prepare(guardian_ids)
    n = len(guardian_ids)
    workers = [start_worker(env) for _ in range(args.workers)]
    from bench.notify_urgent import wait_for_workers

    wait_for_workers(args.workers)

    school = School.objects.order_by("pk").first()
    with transaction.atomic():
        broadcast = notify(
            guardian_ids,
            event="news.published",
            key="news.post:bench-urgent",
            module="news",
            title="School closed today: storm",
            url="/nieuws/",
            school=school,
            urgent=True,
        )
    t0 = time.time()
    marks: dict[str, float] = {}
    killed_at, restarted = None, False
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        now = time.time()
        if "in_app" not in marks and Notification.objects.filter(broadcast=broadcast).count() >= n:
            marks["in_app"] = now - t0
        if "email" not in marks and mail_n.value >= n:
            marks["email"] = mail_last.value - t0
        if "push" not in marks and push_n.value >= n:
            marks["push"] = push_last.value - t0
        if args.kill and killed_at is None and mail_n.value + push_n.value >= n:
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            killed_at = now - t0
            workers[0] = start_worker(env)
            restarted = True
        if (
            len(marks) == 3
            and not Delivery.objects.filter(broadcast=broadcast, status__in=["pending", "sending"]).exists()
        ):
            break
        time.sleep(0.2 if killed_at is None else 1.0)
    finished = time.time() - t0
    worker_cpu = sum(cpu_seconds(worker.pid) for worker in workers)  # for docs/scaling.md (P4: no kill)
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    stop.set()
    mails = mail_results.get(timeout=30)
    pushes = push_results.get(timeout=30)
    for sink in sinks:
        sink.join(10)
    mail_by_user = Counter({emails[a]: c for a, c in mails.items() if a in emails})
    push_by_user = Counter({int(p.rsplit("/", 1)[1]): c for p, c in pushes.items()})
    statuses = Counter(Delivery.objects.filter(broadcast=broadcast).values_list("status", flat=True))
    result = {
        "recipients": n,
        "workers": args.workers,
        "in_app_s": marks.get("in_app"),
        "email_s": marks.get("email"),
        "push_s": marks.get("push"),
        "finished_s": finished,
        "emails_accepted": mail_n.value,
        "pushes_accepted": push_n.value,
        "lost_email": sum(1 for pk in guardian_ids if mail_by_user[pk] == 0),
        "lost_push": sum(1 for pk in guardian_ids if push_by_user[pk] == 0),
        "duplicate_email": sum(c - 1 for c in mail_by_user.values() if c > 1),
        "duplicate_push": sum(c - 1 for c in push_by_user.values() if c > 1),
        "killed_at_s": killed_at,
        "restarted": restarted,
        "lease_s": settings.WORKER_LEASE_SECONDS,
        "statuses": dict(statuses),
        "worker_cpu_s": worker_cpu,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
