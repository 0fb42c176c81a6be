"""Yuqi's settings: one module, driven by the environment, safe by default.

Zero configuration gives an embedded SQLite database and the database task queue in the data
folder; ``DATABASE_URL`` and ``YUQI_TASKS_BACKEND`` switch to PostgreSQL and Redis workers.
See the configuration table in docs/configuration.md.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from yuqi import __version__
from yuqi.config.environment import (
    ConfigurationError,
    data_dir,
    ensure_data_dir,
    env_bool,
    env_int,
    env_list,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ensure_data_dir(data_dir())
VERSION = __version__

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("YUQI_DEBUG", False)
ALLOWED_HOSTS = env_list("YUQI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("YUQI_CSRF_TRUSTED_ORIGINS", [])
SECURE_COOKIES = env_bool("YUQI_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = env_int("YUQI_SESSION_HOURS", 12) * 3600
# Django's database sessions, read with one precompiled statement per request (yuqi.core.sessions)
SESSION_ENGINE = "yuqi.core.sessions"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("YUQI_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers must come back over HTTPS only (sent on HTTPS answers only, by Django).
    SECURE_HSTS_SECONDS = env_int("YUQI_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YUQI_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = False
# Signed-in sessions end after this many minutes without a request (0: only the absolute
# YUQI_SESSION_HOURS limit). See yuqi.core.security_headers.
SESSION_IDLE_SECONDS = env_int("YUQI_SESSION_IDLE_MINUTES", 30) * 60

# Content-Security-Policy (Django's own middleware). No inline script at all;
# inline <style> only with the per-request nonce (the public survey page); ECharts and htmx
# are served from static/vendor. Checked in headless Chromium by tests/browser/test_csp.py.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
#: Browser features no page of Yuqi uses, refused (Permissions-Policy header).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "auditlog",
    "axes",
    "django_tasks_db",
    "yuqi.core",
    "yuqi.accounts",
    "yuqi.audit",
    "yuqi.imports",
    "yuqi.customers",
    "yuqi.interactions",
    "yuqi.operations",
    "yuqi.calendars",
    "yuqi.notifications",
    "yuqi.complaints",
    "yuqi.commitments",
    "yuqi.surveys",
    "yuqi.insights",
    "yuqi.textmining",
    "yuqi.knowledge",
    "yuqi.quality",
    "yuqi.workforce",
    "yuqi.improvement",
    "yuqi.privacy",
    "yuqi.mailbox",
    "yuqi.channels",
]

MIDDLEWARE = [
    "yuqi.core.middleware.RequestIdMiddleware",
    "yuqi.core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yuqi.core.security_headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    # last, so the page it may render knows the user; before any view middleware reads a body
    "yuqi.core.body_limit.RequestBodyLimitMiddleware",
    # after the body limit, which must answer before a body is read
    "yuqi.core.nul_guard.NulCharacterMiddleware",
    # each business calendar read once per GET page (many clocks, panels or measures)
    "yuqi.calendars.middleware.CalendarsPerRequestMiddleware",
    # reads that several panels of one GET page repeat, answered once (yuqi.core.request_memo)
    "yuqi.core.request_memo.RequestMemoMiddleware",
]

# templates.W003: the one library name used twice is i18n, on purpose (TEMPLATES above);
# tests/core/test_i18n_literal.py fails on any other name used twice.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

ROOT_URLCONF = "yuqi.config.urls"
WSGI_APPLICATION = "yuqi.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "yuqi.core.context_processors.shell",
            ],
            # Django's i18n tags, a literal {% translate %} translated directly (this name
            # shadowing Django's own library is what templates.W003 warns of: silenced below)
            "libraries": {"i18n": "yuqi.core.templatetags.i18n_literal"},
        },
    },
]

# --- database -------------------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{DATA_DIR / 'yuqi.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL
try:
    _default_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL: {exc}") from exc
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    _default_db["CONN_MAX_AGE"] = 0
    _default_db["OPTIONS"] = {
        # WAL lets the web server and the worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _default_db["ENGINE"] == "django.db.backends.postgresql" and env_bool("YUQI_PG_PREPARE", True):
    # Parameters bound by the server, so psycopg can prepare a statement a connection runs
    # again (a page's reads, with CONN_MAX_AGE): planning was about half the database's CPU on
    # the ticket page. Off (YUQI_PG_PREPARE=0) behind a pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer without max_prepared_statements).
    _default_db.setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": env_int("YUQI_PG_PREPARE_AFTER", 2)}
    )
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with each user's permissions kept between requests (yuqi.accounts.backends)
    "yuqi.accounts.backends.KeptPermissionsBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("YUQI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("YUQI_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yuqi.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("YUQI_PROXY_COUNT", 0) or None
# Customer look-ups by a whole phone/ID number/e-mail per user and hour, for roles that see them
# masked (yuqi.customers.search_limit); 0: no ceiling.
YUQI_PERSONAL_SEARCH_PER_HOUR = env_int("YUQI_PERSONAL_SEARCH_PER_HOUR", 60)

# --- audit ----------------------------------------------------------------------------------
AUDITLOG_CID_GETTER = "yuqi.core.request_id.current_request_id"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("YUQI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Chinese date inputs drawn in ISO 8601, which <input type="date"> needs (yuqi.config.formats)
FORMAT_MODULE_PATH = ["yuqi.config.formats"]
TIME_ZONE = os.environ.get("YUQI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"
EXPORTS_DIR = DATA_DIR / "exports"
# Everything under the data folder is private (yuqi.core.private_files): 0600 files, 0700 folders.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Request bodies (yuqi.core.body_limit): 413 above these, before anything reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("YUQI_MAX_BODY_KB", 2560) * 1024
UPLOAD_MAX_BODY_BYTES = (500 + 1) * 1024 * 1024  # the largest upload form's file, + fields
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Address customers reach the site at, for links sent by SMS/e-mail (survey invitations).
PUBLIC_URL = os.environ.get("YUQI_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# What customers see of the centre (the public survey pages) and the 【signature】 Chinese SMS
# gateways require at the start of every text (prefixed once, yuqi.notifications.sms).
YUQI_CENTRE_NAME = os.environ.get("YUQI_CENTRE_NAME", "").strip()[:60]
YUQI_CENTRE_LOGO_URL = os.environ.get("YUQI_CENTRE_LOGO_URL", "").strip()
YUQI_SMS_SIGNATURE = os.environ.get("YUQI_SMS_SIGNATURE", "").strip().strip("【】[]").strip()
if YUQI_CENTRE_LOGO_URL:
    _logo = urlsplit(YUQI_CENTRE_LOGO_URL)
    if not (
        (_logo.scheme in ("http", "https") and _logo.netloc)
        or (not _logo.scheme and not _logo.netloc and _logo.path.startswith("/"))
    ) or any(c in YUQI_CENTRE_LOGO_URL for c in " \"'<>"):
        raise ConfigurationError(
            f"YUQI_CENTRE_LOGO_URL={YUQI_CENTRE_LOGO_URL!r}: expected an http(s) address or a "
            "path starting with /"
        )
    if _logo.netloc:  # the public page's Content-Security-Policy must let the image in
        SECURE_CSP["img-src"].append(f"{_logo.scheme}://{_logo.netloc}")
if len(YUQI_SMS_SIGNATURE) > 20:
    raise ConfigurationError("YUQI_SMS_SIGNATURE: at most 20 characters (without 【】)")

# --- complaints -----------------------------------------------------------------------------
# Compensation or a fee waiver above this amount (yuan) needs a second person's approval.
YUQI_COMPENSATION_LIMIT = env_int("YUQI_COMPENSATION_LIMIT", 200)

# --- background jobs ------------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("YUQI_TASKS_BACKEND", "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache holds the public pages' rate limits (yuqi.channels.throttle: codes per number and
# per client address, form posts). In memory it is per process: with several server processes
# (or machines) each would count on its own, so set REDIS_URL and they share one count.
if os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yuqi",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ConfigurationError(
        f"YUQI_TASKS_BACKEND={TASKS_BACKEND!r}: expected database, redis or immediate"
    )
TASK_RESULT_RETENTION_DAYS = env_int("YUQI_TASK_RESULT_RETENTION_DAYS", 14)
# A running job's lease: a worker that has not shown a sign of life for this long is taken for
# dead (kill -9, lost machine) and its job is put back in the queue (yuqi.core.leases), at most
# YUQI_TASK_MAX_ATTEMPTS runs in all; then the job fails.
TASK_LEASE_SECONDS = env_int("YUQI_TASK_LEASE_SECONDS", 120)
TASK_MAX_ATTEMPTS = env_int("YUQI_TASK_MAX_ATTEMPTS", 3)
if TASK_LEASE_SECONDS < 2 or TASK_MAX_ATTEMPTS < 1:
    raise ConfigurationError(
        "YUQI_TASK_LEASE_SECONDS must be at least 2 and YUQI_TASK_MAX_ATTEMPTS at least 1"
    )
# An import without progress for this long and with no live job behind it (a killed
# ``yuqi import``, a job out of attempts) is marked interrupted.
IMPORT_STALE_MINUTES = env_int("YUQI_IMPORT_STALE_MINUTES", 10)
# What one import file may make the server hold (yuqi.ingest.limits, security review F-1).
IMPORT_XLSX_MAX_TOTAL_MB = env_int("YUQI_XLSX_MAX_TOTAL_MB", 1024)
IMPORT_XLSX_MAX_PART_MB = env_int("YUQI_XLSX_MAX_PART_MB", 16)
IMPORT_XLSX_MAX_RATIO = env_int("YUQI_XLSX_MAX_RATIO", 100)
IMPORT_MAX_ROW_MB = env_int("YUQI_IMPORT_MAX_ROW_MB", 2)
IMPORT_MAX_CELL_CHARS = env_int("YUQI_IMPORT_MAX_CELL_CHARS", 131_072)
# Uploaded import files are deleted this many days after upload (the run and its counts stay).
UPLOAD_RETENTION_DAYS = env_int("YUQI_UPLOAD_RETENTION_DAYS", 30)

# --- notifications --------------------------------------------------------------------------
# E-mail through Django's mailers: console (default: a masked line per message), smtp, file
# (into <data dir>/outbox/mail), locmem, dummy, or a backend's dotted path. Tests use locmem.
_EMAIL_BACKENDS = {  # console and file: masked summaries only, private files (F-13)
    "console": "yuqi.notifications.mail.ConsoleEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "yuqi.notifications.mail.FileEmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
_email_backend = os.environ.get("YUQI_EMAIL_BACKEND", "console")
_email_path = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
if "." not in _email_path:
    raise ConfigurationError(
        f"YUQI_EMAIL_BACKEND={_email_backend!r}: expected console, smtp, file, locmem, dummy "
        "or a dotted path"
    )
_email_options: dict[str, object] = {}
if _email_backend == "smtp":
    _email_options = {
        "host": os.environ.get("YUQI_EMAIL_HOST", "localhost"),
        "port": env_int("YUQI_EMAIL_PORT", 25),
        "username": os.environ.get("YUQI_EMAIL_USER", ""),
        "password": os.environ.get("YUQI_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("YUQI_EMAIL_USE_TLS", False),
        "use_ssl": env_bool("YUQI_EMAIL_USE_SSL", False),
        "timeout": env_int("YUQI_EMAIL_TIMEOUT", 20),
    }
elif _email_backend == "file":
    _email_options = {"file_path": str(DATA_DIR / "outbox" / "mail")}
MAILERS = {"default": {"BACKEND": _email_path, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("YUQI_EMAIL_FROM", "yuqi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS: file (default: <data dir>/outbox/sms.jsonl), console, locmem, or the dotted path of a
# yuqi.notifications.channels.SmsBackend subclass that talks to a real gateway.
SMS_BACKEND = os.environ.get("YUQI_SMS_BACKEND", "file")
# Real gateways (yuqi.notifications.gateways; pip install 'yuqi[sms]'): YUQI_SMS_BACKEND=aliyun
# or tencent. Credentials from the environment only; the endpoint can be overridden (tests).
SMS_ALIYUN = {
    "access_key_id": os.environ.get("YUQI_SMS_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("YUQI_SMS_ALIYUN_ACCESS_KEY_SECRET", ""),
    "endpoint": os.environ.get("YUQI_SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com"),
    "protocol": os.environ.get("YUQI_SMS_ALIYUN_PROTOCOL", "https"),
}
SMS_TENCENT = {
    "secret_id": os.environ.get("YUQI_SMS_TENCENT_SECRET_ID", ""),
    "secret_key": os.environ.get("YUQI_SMS_TENCENT_SECRET_KEY", ""),
    "sdk_app_id": os.environ.get("YUQI_SMS_TENCENT_APP_ID", ""),
    "region": os.environ.get("YUQI_SMS_TENCENT_REGION", "ap-guangzhou"),
    "endpoint": os.environ.get("YUQI_SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com"),
    "scheme": os.environ.get("YUQI_SMS_TENCENT_SCHEME", "https"),
}
# Message kind (the template's name, e.g. complaint_received) -> the provider's approved
# template code, as JSON; rows in Settings > SMS templates take precedence.
try:
    SMS_TEMPLATES: dict[str, str] = json.loads(os.environ.get("YUQI_SMS_TEMPLATES", "") or "{}")
except ValueError as exc:
    raise ConfigurationError("YUQI_SMS_TEMPLATES: expected a JSON object") from exc
if not isinstance(SMS_TEMPLATES, dict):
    raise ConfigurationError("YUQI_SMS_TEMPLATES: expected a JSON object")
# The one-time code a customer asks for on the public pages (message kind verification_code):
# the provider's approved template code and the values filling its variables, in order
# (``code``, ``minutes``); a row in Settings > SMS templates or YUQI_SMS_TEMPLATES wins.
SMS_CODE_TEMPLATE = os.environ.get("YUQI_SMS_CODE_TEMPLATE", "").strip()[:60]
SMS_CODE_TEMPLATE_PARAMS = tuple(env_list("YUQI_SMS_CODE_TEMPLATE_PARAMS", ["code"]))
if not set(SMS_CODE_TEMPLATE_PARAMS) <= {"code", "minutes"}:
    raise ConfigurationError("YUQI_SMS_CODE_TEMPLATE_PARAMS: only code and minutes")
SMS_TIMEOUT_SECONDS = env_int("YUQI_SMS_TIMEOUT", 10)
SMS_MAX_ATTEMPTS = max(1, env_int("YUQI_SMS_MAX_ATTEMPTS", 4))
SMS_RETRY_BASE_SECONDS = max(1, env_int("YUQI_SMS_RETRY_BASE_SECONDS", 60))
_real_gateway = SMS_BACKEND in ("aliyun", "tencent")
# Quiet hours ("21:00-08:00", local time; "" for none) and the daily limit per phone number
# (0 for none): on by default with a real gateway only.
SMS_QUIET_HOURS = os.environ.get("YUQI_SMS_QUIET_HOURS", "21:00-08:00" if _real_gateway else "")
SMS_DAILY_LIMIT_PER_PHONE = env_int("YUQI_SMS_DAILY_LIMIT", 10 if _real_gateway else 0)
# Quiet hours end later on rest days (weekends, holidays by the business calendar); texts of
# these templates are never held (one-time codes the customer is waiting for).
SMS_QUIET_REST_DAY_END = os.environ.get("YUQI_SMS_QUIET_REST_DAY_END", "09:00")
SMS_QUIET_EXEMPT = tuple(env_list("YUQI_SMS_QUIET_EXEMPT", ["verification_code", "otp_code"]))
try:
    from yuqi.domain.sms_policy import QuietHours, QuietHoursError

    QuietHours.parse(SMS_QUIET_HOURS, SMS_QUIET_REST_DAY_END)
except QuietHoursError as exc:
    raise ConfigurationError(f"YUQI_SMS_QUIET_HOURS / _REST_DAY_END: {exc}") from exc
# Delivery receipts: /notifications/sms/receipt/<provider>/<token>/ (404 while empty).
SMS_RECEIPT_TOKEN = os.environ.get("YUQI_SMS_RECEIPT_TOKEN", "").strip()

# --- e-mail intake (yuqi.mailbox) ------------------------------------------------------------
# A periodic job reads this IMAP mailbox; nothing happens while YUQI_IMAP_HOST is empty.
IMAP_HOST = os.environ.get("YUQI_IMAP_HOST", "").strip()
IMAP_SSL = env_bool("YUQI_IMAP_SSL", True)
IMAP_PORT = env_int("YUQI_IMAP_PORT", 993 if IMAP_SSL else 143)
IMAP_USER = os.environ.get("YUQI_IMAP_USER", "")
IMAP_PASSWORD = os.environ.get("YUQI_IMAP_PASSWORD", "")
IMAP_FOLDER = os.environ.get("YUQI_IMAP_FOLDER", "INBOX").strip() or "INBOX"
# Processed messages are moved here ("" leaves them in IMAP_FOLDER, marked seen).
IMAP_DONE_FOLDER = os.environ.get("YUQI_IMAP_DONE_FOLDER", "").strip()
IMAP_EVERY_MINUTES = max(1, env_int("YUQI_IMAP_EVERY_MINUTES", 2))
IMAP_BATCH = max(1, env_int("YUQI_IMAP_BATCH", 50))
IMAP_TIMEOUT = max(1, env_int("YUQI_IMAP_TIMEOUT", 30))
IMAP_MAX_MESSAGE_MB = max(1, env_int("YUQI_IMAP_MAX_MESSAGE_MB", 30))
IMAP_MAX_ATTACHMENT_MB = max(1, env_int("YUQI_IMAP_MAX_ATTACHMENT_MB", 10))
IMAP_MAX_ATTACHMENTS = max(0, env_int("YUQI_IMAP_MAX_ATTACHMENTS", 10))
# An unknown sender becomes a new customer (true) or the message waits for staff (false).
IMAP_CREATE_CUSTOMERS = env_bool("YUQI_IMAP_CREATE_CUSTOMERS", True)

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "yuqi.core.pagination.BoundedLimitOffsetPagination"

# --- logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "yuqi.core.request_id.RequestIdLogFilter"},
        "personal_data": {"()": "yuqi.core.log_masking.PersonalDataLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("YUQI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # font subsetting for the PDF export chatters at INFO
    },
}
