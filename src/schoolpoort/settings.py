"""Project wiring. Every setting comes from the environment with an embedded default, so a
fresh checkout runs without configuration; production sets DATABASE_URL, SECRET_KEY, EMAIL_*,
ALLOWED_HOSTS and friends (see README.md)."""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("SCHOOLPOORT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once into var/ and kept there."""
    if key := env_str("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in e-mails and on printed letters.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for FORM_RENDERER below
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "django_prose_editor",  # only its static files (the editor build); started by web/rich-editor.js
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "ninja",  # the JSON API (api/); its Swagger UI files come from its static, no CDN
    "schoolpoort.lib",
    "schoolpoort.core",
    "schoolpoort.accounts",
    "schoolpoort.notify",
    "schoolpoort.news",
    "schoolpoort.calendar",
    "schoolpoort.conferences",
    "schoolpoort.messaging",
    "schoolpoort.absences",
    "schoolpoort.albums",
    "schoolpoort.documents",
    "schoolpoort.signups",
    "schoolpoort.classlist",
    "schoolpoort.staff",
    "schoolpoort.timetable",
    "schoolpoort.imports",
    "schoolpoort.onboarding",
    "schoolpoort.records",
    "schoolpoort.records.results",
    "schoolpoort.privacy",
    "schoolpoort.api",
    "schoolpoort.web",
    "schoolpoort.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Queries of school data run in the scope of the user's schools (core/scopes.py).
    "schoolpoort.core.scopes.SchoolScopeMiddleware",
    "schoolpoort.accounts.middleware.LanguageMiddleware",
    "schoolpoort.accounts.middleware.StaffIdleTimeoutMiddleware",
    # Staff (and parents who chose it) reach nothing but the second-factor pages until verified.
    "schoolpoort.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # no-store for every signed-in response, Permissions-Policy (lib/headers.py).
    "schoolpoort.lib.headers.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A school's days off, asked once per request (lib/days_off.py).
    "schoolpoort.lib.days_off.RememberDaysOffMiddleware",
    # Last, so that it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

# One rendering for every form: the kernel's templates, labels without colons, errors tied to inputs.
FORM_RENDERER = "schoolpoort.lib.forms.Renderer"

ROOT_URLCONF = "schoolpoort.urls"
WSGI_APPLICATION = "schoolpoort.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schoolpoort.web.context_processors.site",
                "schoolpoort.notify.context_processors.notifications",
            ],
        },
    },
]

# --- Database: SQLite (WAL) under var/ unless DATABASE_URL names another database ---
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'schoolpoort.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" on lock upgrades; busy timeout waits instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory: the browser tests' live server reads it from other threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (sessions, rate limits): Redis when configured, memory otherwise ---
SILENCED_SYSTEM_CHECKS: list[str] = []
# Rate limits (password reset mails, registration codes) live in the "limits" cache, which every
# process shares: Redis when REDIS_URL is set, otherwise a table in the database (created by the
# accounts migrations; `manage.py createcachetable` after switching away from Redis). The
# database cache counts for all processes, but a burst of parallel requests can lose an
# increment; Redis counts exactly.
if redis_url := env_str("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url},
        "limits": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "limits"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # The kept reach and page parts (core/access.py), the calendar feeds' bodies: in files under
    # var/cache that every process of this machine shares (core/file_cache.py: diskcache, SQLite
    # indexes, safe across processes), so a parent's page kept by one app worker is kept for all of them and survives
    # a restart. Its keys carry the versions (core/versions.py), so sharing never shows a stale
    # value; a busy index answers "not kept" after 10 ms rather than wait. At most 1 GiB, the
    # least recently stored entries dropped first.
    CACHE_DIR = Path(env_str("SCHOOLPOORT_CACHE_DIR", str(VAR_DIR / "cache")))
    CACHE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # pickles: for this user's eyes only
    CACHES = {
        "default": {
            "BACKEND": "schoolpoort.core.file_cache.FileCache", "LOCATION": str(CACHE_DIR), "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.010,
            "OPTIONS": {"size_limit": 2**30},
        },
        # Django's database cache culls a third of its rows once it holds MAX_ENTRIES: room for the
        # counters of a login storm, so that a live counter is never culled (the limit starting over).
        "limits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "schoolpoort_limits",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        # The versions of the reach and of the content topics (core/versions.py): a few per user,
        # never expiring, never culled; in a table of their own, so that they and the counters never
        # cull each other. Each write is one statement (core/version_cache.py).
        "versions": {"BACKEND": "schoolpoort.core.version_cache.VersionCache", "LOCATION": "schoolpoort_versions"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # django-ratelimit knows the database cache is shared but not atomic (see above).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_USE_CACHE = "limits"
# Each user's reach (roles, children, groups, schools and their modules) and the parts of pages
# built from it (the feed's cards, the home blocks) are kept across requests for this long, under
# versions that every change bumps (core/versions.py); 0 = off. The versions live where every
# process sees them: Redis, or else the database cache (one query per request) while the values
# stay in the machine's file cache (var/cache).
REACH_CACHE_SECONDS = env_int("REACH_CACHE_SECONDS", 300)
REACH_VERSION_CACHE = "default" if redis_url else "versions"
RATELIMIT_VIEW = "schoolpoort.accounts.views.ratelimited"
# Messages stay on the server: a one-time registration code must not sit in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Background work: Django's Tasks API (django-tasks backport), database queue by default ---
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "urgent", "bulk"],
    }
}
# A worker (`manage.py run_worker`) holds its tasks on a lease it renews every quarter of this;
# a task whose worker stopped renewing is taken back by any other worker within about 1.25 x this.
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 45)

# --- Accounts ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schoolpoort.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10 characters for parents, 12 for staff and board (they open children's medical data).
    {
        "NAME": "schoolpoort.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10, "staff_min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "schoolpoort.accounts.validators.DutchCommonPasswordValidator"},
    {"NAME": "schoolpoort.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
# Activation links for guardians the school already has an e-mail address for.
ACTIVATION_LINK_DAYS = env_int("ACTIVATION_LINK_DAYS", 14)

# Sessions: parents may stay signed in on their own phone ("ingelogd blijven"); staff are
# signed out after 30 idle minutes (accounts.middleware.StaffIdleTimeoutMiddleware).
PARENT_SESSION_DAYS = env_int("PARENT_SESSION_DAYS", 90)
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = PARENT_SESSION_DAYS * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "schoolpoort.web.errors.csrf_failure"  # the product's own page, in the app shell
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
# HSTS: browsers keep to https for a year once they have seen the site over https (sent only on
# https responses). Subdomains included by default; preloading is the operator's own choice (it
# binds the whole domain and cannot quickly be undone), so it is off unless SECURE_HSTS_PRELOAD=1.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SITE_URL.startswith("https://") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # "preload not set": deliberately the operator's choice
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every page (django-csp): scripts, styles and everything else only
# from our own origin; no inline script or style, no eval (htmx runs with allowEval false, see
# base.html). Served files carry their own stricter policy (core/files.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Powerful browser features the app does not use (lib/headers.py). A photo from the phone's
# camera comes through a file input, which needs no permission; passkeys keep their default (self).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone",
        "midi", "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}

# Failed logins: throttled per account and per address, with a message that does not tell
# whether the account exists (django-axes).

# Failed logins (django-axes, accounts/throttle.py): LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address lock that pair only, so nobody can lock out someone else's account
# from elsewhere; LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, across accounts, lock
# that address. The message never tells whether the account exists.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 8)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
LOGIN_FAILURE_LIMITS = {
    "username+ip_address": AXES_FAILURE_LIMIT,
    "ip_address": env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 40),
}
AXES_HANDLER = "schoolpoort.accounts.throttle.LoginThrottle"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "schoolpoort.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "schoolpoort.accounts.views.locked_out"
AXES_VERBOSE = False
# The client address: the socket's (REMOTE_ADDR), never a header the client can write; behind
# TRUSTED_PROXY_COUNT proxies, the address the outermost trusted proxy saw (accounts.backends).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "schoolpoort.accounts.backends.client_ip"
RATELIMIT_IP_META_KEY = "schoolpoort.accounts.backends.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Second factor (django-otp): required for every staff and board account and for the Django
# admin, optional for parents (accounts/second_factor.py). "Remember this device" lasts at most
# 30 days; wrong codes are limited per account.
OTP_REMEMBER_DAYS = min(env_int("OTP_REMEMBER_DAYS", 30), 30)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Schoolpoort")
OTP_CODE_FAILURE_LIMIT = env_int("OTP_CODE_FAILURE_LIMIT", 5)
OTP_CODE_COOLOFF_MINUTES = env_int("OTP_CODE_COOLOFF_MINUTES", 15)
# Our own limit above replaces django-otp's growing delays, which would refuse a right code
# typed a second after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Passkeys (django-otp-webauthn) as a second factor, never instead of the password. The relying
# party is the site's host name; browsers refuse an IP address, so a SITE_URL on 127.0.0.1 (the
# demo) offers passkeys at http://localhost:PORT instead.
_site = urlsplit(SITE_URL)


def _is_ip(host: str | None) -> bool:
    try:
        ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return True


_site_is_ip = _is_ip(_site.hostname)
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "localhost" if _site_is_ip else (_site.hostname or "localhost"))
_site_port = f":{_site.port}" if _site.port else ""
WEBAUTHN_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS", f"http://localhost{_site_port}" if _site_is_ip else f"{_site.scheme}://{_site.netloc}"
)
OTP_WEBAUTHN_RP_ID = WEBAUTHN_RP_ID
OTP_WEBAUTHN_ALLOWED_ORIGINS = WEBAUTHN_ORIGINS
OTP_WEBAUTHN_RP_NAME = env_str("WEBAUTHN_RP_NAME", "Schoolpoort")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Registration codes printed on letters: rate limits per IP and per e-mail address.
REGISTRATION_RATE_PER_IP = env_str("REGISTRATION_RATE_PER_IP", "20/h")
REGISTRATION_RATE_PER_EMAIL = env_str("REGISTRATION_RATE_PER_EMAIL", "10/h")
# The JSON API: requests per token (api/auth.py), counted like the limits above.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "120/m")
# Webhooks go only to public https addresses (lib/outbound.py); the tests switch this on for a
# receiving server on 127.0.0.1. Never in production.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
# Password reset mails: per address and per e-mail address asked for (the page answers the same
# either way, so it never tells whether an account exists).
PASSWORD_RESET_RATE_PER_IP = env_str("PASSWORD_RESET_RATE_PER_IP", "10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env_str("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")

# Web push goes only to the browsers' push services (lib/outbound.py checks every endpoint at
# subscription and again before each send): "*.domain" allows its subdomains.
WEB_PUSH_ALLOWED_HOSTS = env_list(
    "WEB_PUSH_ALLOWED_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com",
)

# --- Language and time: Dutch by default, English complete ---
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and media: media is never served from a public URL ---
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# How files reach the browser after the access check (core.files.send_file): "" streams through
# Django; "x-accel" (nginx) or "x-sendfile" (Apache, lighttpd) lets the web server send them.
MEDIA_SENDFILE = env_str("MEDIA_SENDFILE", "")
if MEDIA_SENDFILE not in ("", "x-accel", "x-sendfile"):
    raise ImproperlyConfigured("MEDIA_SENDFILE must be empty, x-accel or x-sendfile")
MEDIA_ACCEL_PREFIX = env_str("MEDIA_ACCEL_PREFIX", "/protected-media/")
# S3-compatible object storage for uploads when a bucket is named (django-storages); the bucket
# stays private: every file still goes through send_file after the access check.
if S3_BUCKET := env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- E-mail: SMTP when EMAIL_HOST is set, files under var/mail/ otherwise ---
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Schoolpoort <noreply@schoolpoort.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST := env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
