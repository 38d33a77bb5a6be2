"""Benchmark: an urgent message from school to every family, by e-mail, through real workers.

    .venv/bin/python bench/notify_urgent.py --recipients 10000 --workers 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5434/postgres .venv/bin/python bench/notify_urgent.py ...

Against DATABASE_URL (PostgreSQL: a fresh database ``schoolpoort_bench_<pid>`` is created on that
server and dropped afterwards) or, without it, a temporary SQLite file, the script

1. starts an SMTP sink (aiosmtpd on 127.0.0.1, a free port) in a process of its own, which counts
   the messages it accepts per recipient, and points the app at it (EMAIL_HOST / EMAIL_PORT);
2. migrates, creates one school with N guardians (users, pupils, guardianships; bulk inserts);
3. starts W real ``manage.py db_worker --queue-name '*'`` processes and waits until they run;
4. calls ``notify(all guardians, urgent=True)`` in one transaction, the clock starts at its commit;
5. waits until the sink has accepted every e-mail and no delivery is left pending or sending.

It prints the time until the in-app notifications were all visible, until the fan-out finished,
until every e-mail was accepted by the SMTP server, the messages per second, and per recipient at
the sink the duplicates and the lost. The issue's target: 10,000 e-mails accepted within 60 s
with two workers on a 2-core machine. Not a test: it generates its own data and prints figures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


# --- The SMTP sink, in its own process ----------------------------------------------------------


def sink_main(port: int, accepted, last_accept, ready, stop, results) -> None:
    import asyncio  # noqa: F401 - aiosmtpd runs an event loop in a thread
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    counts: Counter = Counter()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            for address in envelope.rcpt_tos:
                counts[address] += 1
            with accepted.get_lock():
                accepted.value += 1
                last_accept.value = time.time()
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.put(dict(counts))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The database -------------------------------------------------------------------------------


def fresh_postgres_database(url: str) -> tuple[str, callable]:
    """A new database on the server of ``url``; returns its URL and a function that drops it."""
    import psycopg

    name = f"schoolpoort_bench_{os.getpid()}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path="/" + name)), drop


def create_guardians(n: int) -> list[int]:
    from django.utils import timezone

    from schoolpoort.accounts.models import User
    from schoolpoort.core.models import Board, Guardianship, ModuleSwitch, School, Student
    from schoolpoort.core.modules import MODULES

    board = Board.objects.create(name="Stichting Bench")
    school = School.objects.create(board=board, name="De Benchmark", brin="99ZZ")
    ModuleSwitch.objects.bulk_create(ModuleSwitch(school=school, module=code, enabled=True) for code in MODULES)
    now = timezone.now()
    users = User.objects.bulk_create(
        [User(email=f"ouder{i}@bench.example", first_name=f"Ouder {i}", password="!", date_joined=now)
         for i in range(n)],
        batch_size=2000,
    )
    if users[0].pk is None:  # databases that do not return ids
        users = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    students = Student.objects.bulk_create(
        [Student(school=school, first_name=f"Kind {i}", last_name="Bench", sis_id=str(i)) for i in range(n)],
        batch_size=2000,
    )
    if students[0].pk is None:
        students = list(Student.objects.filter(school=school).order_by("pk"))
    Guardianship.objects.bulk_create(
        [Guardianship(student=s, user=u) for s, u in zip(students, users, strict=True)], batch_size=2000
    )
    return [u.pk for u in users]


# --- Workers ------------------------------------------------------------------------------------


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    command = [PYTHON, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*", "--interval", "0.1",
               "--no-startup-delay", "--no-reload", "-v", "0"]
    return [subprocess.Popen(command, env=env, cwd=ROOT) for _ in range(count)]


def wait_for_workers(count: int, timeout: float = 60) -> None:
    """Each worker runs one heartbeat task; returns when all of them have been run."""
    from django_tasks_db.models import DBTaskResult

    from schoolpoort.core.tasks import worker_heartbeat

    results = [worker_heartbeat.enqueue(f"bench {i}") for i in range(count)]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DBTaskResult.objects.filter(pk__in=[r.id for r in results], status="SUCCESSFUL").count() == count:
            return
        time.sleep(0.05)
    raise SystemExit("the workers did not start")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


# --- The run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="schoolpoort-bench-")
    port = free_port()
    database_url = os.environ.get("DATABASE_URL", "")
    drop_database = None
    if database_url.startswith(("postgres://", "postgresql://")):
        database_url, drop_database = fresh_postgres_database(database_url)
    elif not database_url:
        database_url = f"sqlite:///{var_dir}/bench.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
        "DATABASE_URL": database_url,
        "SCHOOLPOORT_VAR_DIR": var_dir,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)

    # The sink is forked before Django is set up, so it carries nothing of it.
    mp = multiprocessing.get_context("fork")
    accepted, last_accept = mp.Value("q", 0), mp.Value("d", 0.0)
    ready, stop, results = mp.Event(), mp.Event(), mp.Queue()
    sink = mp.Process(target=sink_main, args=(port, accepted, last_accept, ready, stop, results), daemon=True)
    sink.start()
    ready.wait(10)

    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from bench.common import leave_school_scopes

    leave_school_scopes()
    from django.core.management import call_command
    from django.db import connection, transaction

    from schoolpoort.notify.api import notify
    from schoolpoort.notify.models import Delivery, Notification

    workers: list[subprocess.Popen] = []
    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        ids = create_guardians(args.recipients)
        print(f"{connection.vendor}: {len(ids)} guardians ready in {time.monotonic() - started:.1f} s")
        workers = start_workers(args.workers, env)
        wait_for_workers(args.workers)
        print(f"{args.workers} workers running; SMTP sink on 127.0.0.1:{port}")

        with transaction.atomic():
            broadcast = notify(
                ids, event="news.published", key="news.post:1", module="news", title="School is closed today",
                url="/nieuws/1/", urgent=True,
            )
        t0 = time.time()
        in_app_at = None
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            if in_app_at is None and Notification.objects.filter(broadcast=broadcast).count() >= len(ids):
                in_app_at = time.time()
            if accepted.value >= len(ids) and in_app_at is not None:
                if not Delivery.objects.filter(status__in=["pending", "sending"]).exists():
                    break
            time.sleep(0.05)
        else:
            print(f"TIMEOUT after {args.timeout:.0f} s")
        finished = time.time()
    finally:
        stop_workers(workers)
        used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers: the sink is not reaped yet
        worker_cpu = used.ru_utime + used.ru_stime
        stop.set()
        counts = results.get(timeout=30) if sink.is_alive() else {}
        sink.join(10)

    broadcast.refresh_from_db()
    statuses = Counter(Delivery.objects.filter(broadcast=broadcast).values_list("status", flat=True))
    emails = {f"ouder{i}@bench.example" for i in range(len(ids))}
    duplicates = sum(c - 1 for address, c in counts.items() if address in emails and c > 1)
    lost = len(emails - set(counts))
    all_accepted = last_accept.value - t0 if accepted.value >= len(ids) else float("nan")
    fan_out = (broadcast.fanned_out_at - broadcast.created_at).total_seconds() if broadcast.fanned_out_at else None

    print()
    print(f"recipients                       {len(ids)}")
    print(f"workers                          {args.workers}")
    print(f"database                         {connection.vendor}")
    print(f"in-app rows all visible after    {in_app_at - t0:.2f} s" if in_app_at else "in-app rows: NOT ALL VISIBLE")
    print(f"fan-out finished after           {fan_out:.2f} s" if fan_out is not None else "fan-out: NOT FINISHED")
    print(f"all e-mails accepted after       {all_accepted:.2f} s")
    print(f"e-mails per second               {accepted.value / all_accepted:.0f}")
    print(f"messages accepted by the sink    {accepted.value}")
    print(f"duplicates (per recipient)       {duplicates}")
    print(f"lost (recipients without mail)   {lost}")
    print(f"delivery rows                    {dict(statuses)}")
    print(f"worker CPU per e-mail            {worker_cpu / max(accepted.value, 1) * 1000:.2f} ms "
          f"(whole worker processes: start-up, fan-out, polling; {worker_cpu:.1f} s in all)")
    print(f"target (60 s)                    {'met' if all_accepted <= 60 and not lost else 'MISSED'}")
    print(f"(measured until the last delivery row was final: {finished - t0:.2f} s)")
    if drop_database:
        drop_database()
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
