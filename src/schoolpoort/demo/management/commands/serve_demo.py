"""``manage.py serve_demo``: the web server and the task worker side by side, as ``make demo``
runs them. Ctrl-C (or SIGTERM) stops both; if either stops by itself, the other is stopped too
and the command fails."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 10  # seconds a child gets to stop before it is killed


class Command(BaseCommand):
    help = "Serve the demo: the web server and the task worker in one command; Ctrl-C stops both."
    requires_system_checks = []  # the children run their own

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")

    def handle(self, *args, addr, port, **options):
        host = f"[{addr}]" if ":" in addr else addr
        self.stdout.write(
            f"Serving Schoolpoort on http://{host}:{port}/ with a task worker; {mail_destination()}. "
            "Ctrl-C stops both."
        )
        self.stdout.flush()

        stop_signal = None

        def on_signal(signum, frame):
            nonlocal stop_signal
            stop_signal = signum

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        children = {}
        ended = []
        # Every link the demo makes (agenda feed, e-mails, letters' QR codes) points where it serves,
        # unless the operator named the public address.
        site_url = os.environ.get("SITE_URL") or f"http://{host}:{port}"
        try:
            children["task worker"] = start("run_worker", "--queue-name", "*", "--no-reload", site_url=site_url)
            children["web server"] = start("runserver", "--noreload", f"{host}:{port}", site_url=site_url)
            while stop_signal is None and not ended:
                time.sleep(0.2)
                ended = [f"the {name} (exit code {c.returncode})" for name, c in children.items()
                         if c.poll() is not None]
        finally:
            stop(children.values(), stop_signal or signal.SIGINT)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if stop_signal is None:
            raise CommandError(f"Stopped because {' and '.join(ended)} ended; stopped the other as well.")


def start(*args: str, site_url: str) -> subprocess.Popen:
    """``manage.py <args>`` in a process group of its own, so that a Ctrl-C in the terminal
    reaches only this command, which passes it on once."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "PYTHONUNBUFFERED": "1",
           "SITE_URL": site_url}
    return subprocess.Popen([sys.executable, "-m", "django", *args], env=env, process_group=0)


def stop(children, signum: int) -> None:
    children = [child for child in children if child.poll() is None]
    for child in children:
        child.send_signal(signum)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def mail_destination() -> str:
    backend = settings.EMAIL_BACKEND
    if backend == "django.core.mail.backends.filebased.EmailBackend":
        return f"mail goes to files in {settings.EMAIL_FILE_PATH}"
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return f"mail goes out over SMTP via {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"mail goes through {backend}"
