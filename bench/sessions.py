"""Signed-in sessions made straight in the session table, as ``login()`` would leave them:
logging 14,000 parents in through the form would measure argon2, which is slow on purpose. A staff
member's session is one that has proved the second factor (without it every page of theirs is a
redirect to the second-factor page, and a benchmark of teachers would time redirects)."""

from __future__ import annotations

import datetime

BACKEND = "schoolpoort.accounts.backends.EmailBackend"
CSRF_TOKEN = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django accepts the bare secret


def make_sessions(user_ids) -> dict[int, str]:
    """A session key per user id, valid for a day."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from schoolpoort.accounts.models import User
    from schoolpoort.accounts.second_factor import VERIFIED_KEY
    from schoolpoort.core.models import BoardMembership, StaffMembership

    user_ids = list(user_ids)
    staff = set(StaffMembership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    staff |= set(BoardMembership.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    store = SessionStore()
    expires = timezone.now() + datetime.timedelta(days=1)
    keys, rows = {}, []
    for user in User.objects.filter(pk__in=user_ids):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: BACKEND, HASH_SESSION_KEY: user.get_session_auth_hash()}
        if user.pk in staff or user.is_staff:
            data[VERIFIED_KEY] = user.pk  # as ``second_factor.mark_verified`` leaves it
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def cookie_header(session_key: str) -> str:
    """The Cookie header of a signed-in browser, with a CSRF cookie for the POSTs."""
    return f"sessionid={session_key}; csrftoken={CSRF_TOKEN}"  # the product keeps Django's cookie names


def post_headers(session_key: str, base_url: str) -> dict[str, str]:
    return {"Cookie": cookie_header(session_key), "X-CSRFToken": CSRF_TOKEN, "Referer": base_url + "/"}
