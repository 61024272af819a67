"""Settings of baesang, driven by environment variables only.

- ``DATABASE_URL``: where the data lives (default: an SQLite file ``var/baesang.sqlite3``).
- ``BAESANG_SECRET_KEY``: Django's secret key. Unset in development, a key is generated once
  and kept in ``var/secret_key``; with ``BAESANG_ENV=production`` a missing key stops start-up.
- ``BAESANG_FIELD_KEY``: key for personal data encrypted at rest; same rules as the secret key,
  and production refuses a weak one (fewer than 32 characters or about 128 bits of entropy).
- ``BAESANG_ACCOUNT_CHANGE_DAYS``: a payment to an account changed fewer days than this before
  the batch is flagged at approval (default 30).
- ``BAESANG_ENV``: ``development`` (default) or ``production``.
- ``BAESANG_ALLOWED_HOSTS``: comma-separated host names (production).
- ``BAESANG_DB_CONN_MAX_AGE``: seconds a PostgreSQL connection is kept for the next request (60).
- ``BAESANG_DOCUMENT_STORAGE``: ``local`` (default: files under ``BAESANG_MEDIA_ROOT``, by default
  ``var/media``) or ``s3`` (an S3-compatible store: ``BAESANG_S3_BUCKET``, ``BAESANG_S3_ENDPOINT_URL``,
  ``BAESANG_S3_REGION``, ``BAESANG_S3_PREFIX``, ``BAESANG_S3_ACCESS_KEY_ID``,
  ``BAESANG_S3_SECRET_ACCESS_KEY``; install with ``pip install 'baesang[s3]'``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from baesang.core.keys import key_weakness

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BAESANG_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("BAESANG_ENV", "development").strip().lower()
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"BAESANG_ENV must be 'development' or 'production', not {ENV!r}")
PRODUCTION = ENV == "production"


def _development_secret(name: str, env_var: str) -> str:
    """A secret for development: generated once, kept under var/. Never used in production."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _secret(env_var: str, file_name: str) -> str:
    value = os.environ.get(env_var, "").strip()
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{env_var} is not set. With BAESANG_ENV=production every secret must come from "
            f"the environment; set {env_var} to a long random value."
        )
    return _development_secret(file_name, env_var)


SECRET_KEY = _secret("BAESANG_SECRET_KEY", "secret_key")
# Key for personal data encrypted at rest (see baesang.pii); any long random string. Production
# refuses a weak one (baesang.core.keys: length and entropy); `check --deploy` warns of it too.
FIELD_KEY = _secret("BAESANG_FIELD_KEY", "field_key")
# Earlier field keys that still decrypt: None reads BAESANG_FIELD_KEY_OLD when needed (baesang.pii.crypto).
FIELD_KEY_OLD = None
FIELD_KEY_WEAKNESS = key_weakness(FIELD_KEY)
if PRODUCTION and FIELD_KEY_WEAKNESS:
    raise ImproperlyConfigured(
        f"BAESANG_FIELD_KEY is too weak to protect personal data: {FIELD_KEY_WEAKNESS}. Set it to a long random "
        "value, e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
    )
DEBUG = not PRODUCTION and os.environ.get("BAESANG_DEBUG", "1") == "1"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BAESANG_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API documentation's scripts from this site (content security policy)
    "baesang.core",
    "baesang.pii",
    "baesang.ledger",
    "baesang.donations",
    "baesang.judgments",
    "baesang.cases",
    "baesang.creditors",
    "baesang.staff",
    "baesang.web",
    "baesang.api",
    "baesang.public",
    "baesang.demo",
    "baesang.identity",
]

# The command line and the API prove who acts with an API token (baesang.staff.backends); staff
# sign in on the web with a password and, for some roles, a second factor.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # first: sessions name it
    "baesang.staff.backends.ApiTokenBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "baesang.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baesang.web.middleware.LanguageMiddleware",  # Korean unless the user chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "baesang.core.middleware.ChannelMiddleware",  # audit rows name the channel: web (session) or API
    "baesang.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "baesang.urls"
WSGI_APPLICATION = "baesang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baesang.web.context_processors.staff",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'baesang.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or _default_db
if DATABASE_URL == _default_db:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: each server thread keeps its connection for this many seconds
    # instead of connecting for every request (`baesang serve`: workers × threads connections per
    # app server), and checks it is still alive before reusing it (a restarted database).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BAESANG_DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: PostgreSQL compiles a query whose estimated cost is high (a chunk of
    # 5,000 claims read with their holders, at 1.7 million claims) for 0.4–0.6 s, where the query
    # itself takes 60–75 ms (measured on the 1.7 M world, BENCHMARKS.md). The passes over every
    # claim run hundreds of such queries.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options", ""), "-c jit=off"]))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers serialise
    # instead of failing at commit; the timeout lets the second one wait.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "baesang" / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("BAESANG_MEDIA_ROOT", "").strip() or VAR_DIR / "media")
# Where documents (judgments, certificates, consent forms) are kept: the local folder MEDIA_ROOT by
# default, or an S3-compatible object store shared by several app servers (docs/deploy.md).
DOCUMENT_STORAGE = os.environ.get("BAESANG_DOCUMENT_STORAGE", "local").strip().lower()
if DOCUMENT_STORAGE == "local":
    _documents = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif DOCUMENT_STORAGE == "s3":
    _bucket = os.environ.get("BAESANG_S3_BUCKET", "").strip()
    if not _bucket:
        raise ImproperlyConfigured("BAESANG_DOCUMENT_STORAGE=s3 needs BAESANG_S3_BUCKET (the bucket's name)")
    _documents = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": _bucket,
        "endpoint_url": os.environ.get("BAESANG_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": os.environ.get("BAESANG_S3_REGION", "").strip() or None,
        "location": os.environ.get("BAESANG_S3_PREFIX", "").strip(),
        # Credentials: BAESANG_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY, else boto3's own chain
        # (AWS_* variables, an instance role).
        "access_key": os.environ.get("BAESANG_S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": os.environ.get("BAESANG_S3_SECRET_ACCESS_KEY", "").strip() or None,
        "default_acl": None,  # private objects: the bucket's policy applies, never public-read
        "querystring_auth": True,  # a link to a document is signed and expires
        "file_overwrite": False,  # a document is never replaced under the same name
        "object_parameters": {"ServerSideEncryption": "AES256"},
    }}
else:
    raise ImproperlyConfigured(f"BAESANG_DOCUMENT_STORAGE must be 'local' or 's3', not {DOCUMENT_STORAGE!r}")
STORAGES = {
    "default": _documents,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Sign-in (baesang.staff.signin): failed attempts lock a user name or a client address for a while;
# approvers and administrators need a second factor (TOTP).
BAESANG_LOGIN_MAX_FAILURES = int(os.environ.get("BAESANG_LOGIN_MAX_FAILURES", "5"))
BAESANG_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("BAESANG_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
BAESANG_LOGIN_LOCK_MINUTES = int(os.environ.get("BAESANG_LOGIN_LOCK_MINUTES", "15"))
BAESANG_SECOND_FACTOR_ROLES = ("approver", "administrator")
# Behind a reverse proxy: the META key of the header carrying the client address (e.g. HTTP_X_FORWARDED_FOR).
BAESANG_CLIENT_ADDRESS_HEADER = os.environ.get("BAESANG_CLIENT_ADDRESS_HEADER", "")

# Sessions end after BAESANG_SESSION_IDLE_MINUTES without a request, and when the browser closes.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("BAESANG_SESSION_IDLE_MINUTES", "30"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# Response headers (also in development): never framed, no referrer to other sites, a content
# security policy (baesang.web.middleware; override with BAESANG_CSP).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("BAESANG_CSP", "").strip():
    BAESANG_CSP = os.environ["BAESANG_CSP"].strip()

# Amounts: the rounding policy applied once, at the end of a computation (DOMAIN.md §3).
BAESANG_ROUNDING = os.environ.get("BAESANG_ROUNDING", "truncate")
# Order of the waiting list where the fund cannot pay everyone: "earliest_final" (earliest final
# judgment first) or "oldest_living" (oldest living victim first).
BAESANG_WAITING_POLICY = os.environ.get("BAESANG_WAITING_POLICY", "earliest_final")
# Totals over every claim computed again behind the page after a change, the staff screens showing
# the earlier ones marked with their time meanwhile (PostgreSQL; docs/workflow.md §8). "0": the
# screen computes them at once (the tests, which run in one transaction).
BAESANG_FIGURES_BEHIND = os.environ.get("BAESANG_FIGURES_BEHIND", "1") != "0"

# The foundation as printed on donation receipts (기부금 영수증). Empty name: the default name
# of the foundation in the reader's language; empty registration number or address: a dash.
BAESANG_FOUNDATION_NAME = os.environ.get("BAESANG_FOUNDATION_NAME", "").strip()
BAESANG_FOUNDATION_BRN = os.environ.get("BAESANG_FOUNDATION_BRN", "").strip()
BAESANG_FOUNDATION_ADDRESS = os.environ.get("BAESANG_FOUNDATION_ADDRESS", "").strip()

# A payment to a bank account changed less than this many days before the batch is flagged
# when the batch is approved (the change itself needs a second person's approval).
BAESANG_ACCOUNT_CHANGE_DAYS = int(os.environ.get("BAESANG_ACCOUNT_CHANGE_DAYS", "30"))

# The creditors' portal (docs/portal.md): where its links point, the outbox backends per channel,
# the upload limit and the virus scanner (clamd socket or host:port; without it, outside production,
# a stub that flags only the EICAR test file).
BAESANG_PORTAL_URL = os.environ.get("BAESANG_PORTAL_URL", "").strip()
BAESANG_OUTBOX_EMAIL = os.environ.get("BAESANG_OUTBOX_EMAIL", "console").strip()
BAESANG_OUTBOX_SMS = os.environ.get("BAESANG_OUTBOX_SMS", "console").strip()
BAESANG_OUTBOX_DIR = os.environ.get("BAESANG_OUTBOX_DIR", "").strip()
BAESANG_SMS_URL = os.environ.get("BAESANG_SMS_URL", "").strip()
BAESANG_SMS_TOKEN = os.environ.get("BAESANG_SMS_TOKEN", "").strip()
BAESANG_SMS_SENDER = os.environ.get("BAESANG_SMS_SENDER", "").strip()
BAESANG_PORTAL_MAX_UPLOAD_MB = int(os.environ.get("BAESANG_PORTAL_MAX_UPLOAD_MB", "10"))
# Passkeys (WebAuthn): the relying party id (a domain, e.g. baesang.example.org) and the origin the
# browser reports (e.g. https://baesang.example.org); empty: the host of each request.
BAESANG_PORTAL_RP_ID = os.environ.get("BAESANG_PORTAL_RP_ID", "").strip()
BAESANG_PORTAL_ORIGIN = os.environ.get("BAESANG_PORTAL_ORIGIN", "").strip()
BAESANG_CLAMD = os.environ.get("BAESANG_CLAMD", "").strip()
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "baesang@localhost")

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = os.environ.get("BAESANG_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Personal data never reaches a log: every handler masks resident registration numbers, phone
# numbers, accounts and e-mail addresses (baesang.pii.logging), and Django's own loggers send
# their records through the same handler instead of their unfiltered defaults.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "baesang.pii.logging.RedactPersonalData"},
                "quiet_forbidden": {"()": "baesang.core.logging.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_forbidden", "redact_pii"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
# Error pages and error reports mask personal data typed into forms, URLs and headers.
DEFAULT_EXCEPTION_REPORTER_FILTER = "baesang.pii.reporting.RedactingExceptionReporterFilter"
