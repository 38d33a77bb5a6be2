"""Settings of the server under benchmark: the product's own settings (DEBUG off, whitenoise,
DATABASE_URL from the environment) with the benchmark's URLconf, which adds the reference view.
Nothing else changes, so the figures are the product's."""

from schoolpoort.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Sessions are made directly in the database (bench/sessions.py), so no password is ever hashed
# in a run; should one be, it must not cost argon2's deliberate 50 ms.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The load comes from one address: per-address login throttling would only measure itself.
AXES_ENABLED = False
# The push service of the benchmark is a sink on loopback (bench/urgent.py), which the product
# refuses to post to (lib/outbound.py); here, and only here, the endpoint check is off.
WEB_PUSH_CHECK_ENDPOINTS = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # noqa: F405 - no line per 404 of a probe
