"""Settings of the cluster step (bench/cluster.py): the benchmark's settings with the product's login
lockout back on, since the step shows that two app servers count a parent's failed logins together.
The load itself never logs in through the form (bench/sessions.py), so the lockout costs it nothing.
REDIS_URL and the S3_* variables come from the environment, as in production."""

from bench.settings import *  # noqa: F403

AXES_ENABLED = True
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "ERROR"}  # noqa: F405 - no log line per failed attempt of the check
