"""Rate limits are shared by every web process: in the database by default, in Redis when
REDIS_URL is set. Each "process" here is a real Python process with its own cache client."""

import os
import subprocess
import sys
import time
import uuid
import zlib
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import redis_server

ROOT = Path(__file__).resolve().parents[2]

# One web process: ask a limit (reset mails, or registration attempts) for one client address and
# e-mail address, N times.
PROCESS = """
import sys, django
django.setup()
from django.test import RequestFactory
from schoolpoort.accounts.limits import password_reset_limited, registration_limited
address, email, times, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
for _ in range(times):
    request = RequestFactory().post("/", {"email": email}, REMOTE_ADDR=address)
    if kind == "reset":
        limited = password_reset_limited(request, email)[1]
    else:
        limited = registration_limited(request, email)
    print("limited" if limited else "sent")
"""


def run_process(env: dict, address: str, email: str, times: int, kind: str = "reset") -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROCESS, address, email, str(times), kind],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def mailbox_far_from_its_window_end() -> str:
    """An e-mail address whose hourly count is not reset during the test: django-ratelimit's
    windows end at a moment that depends on the counted value, and a window that ended between
    two processes (one CI run in a hundred) would start the count again."""
    while True:
        email = f"{uuid.uuid4().hex}@example.org"
        seconds_left = (zlib.crc32(email.encode()) % 3600 - int(time.time()) % 3600) % 3600
        if seconds_left > 1800:
            return email


def process_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="schoolpoort.settings")
    env.update(extra)
    return env


def test_two_processes_share_the_reset_mail_count_in_redis(redis_url):
    env = process_env(REDIS_URL=redis_url, PASSWORD_RESET_RATE_PER_EMAIL="3/h", PASSWORD_RESET_RATE_PER_IP="100/h")
    email = mailbox_far_from_its_window_end()
    assert run_process(env, "10.0.0.1", email, 2) == ["sent", "sent"]
    # A second process, another client address: the same mailbox has one mail left, not three.
    assert run_process(env, "10.0.0.2", email, 2) == ["sent", "limited"]
    env.update(REGISTRATION_RATE_PER_EMAIL="3/h", REGISTRATION_RATE_PER_IP="100/h")
    assert run_process(env, "10.0.0.3", email, 2, "register") == ["sent", "sent"]
    assert run_process(env, "10.0.0.4", email, 2, "register") == ["sent", "limited"]


def test_without_redis_two_processes_share_the_count_in_the_database(tmp_path):
    """The embedded default: SQLite, the limits cache in a table of the database."""
    database = tmp_path / "limits.sqlite3"
    env = process_env(
        DATABASE_URL=f"sqlite:///{database}",
        PASSWORD_RESET_RATE_PER_EMAIL="3/h",
        PASSWORD_RESET_RATE_PER_IP="100/h",
        REGISTRATION_RATE_PER_EMAIL="3/h",
        REGISTRATION_RATE_PER_IP="100/h",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "accounts", "-v0"], env=env, cwd=ROOT, check=True, timeout=300
    )
    email = mailbox_far_from_its_window_end()
    assert run_process(env, "10.0.0.1", email, 2) == ["sent", "sent"]
    assert run_process(env, "10.0.0.2", email, 2) == ["sent", "limited"]
    # Registration attempts with codes from a letter: the same shared count.
    assert run_process(env, "10.0.0.3", email, 2, "register") == ["sent", "sent"]
    assert run_process(env, "10.0.0.4", email, 2, "register") == ["sent", "limited"]


def test_the_settings_put_the_limits_in_a_shared_cache():
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache", "django_redis.cache.RedisCache")
