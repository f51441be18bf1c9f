"""Settings shared by every environment, read from the environment through django-environ.

Embedded defaults need no external service: with ``DATABASE_URL`` unset the portal uses a SQLite
file, with ``CELERY_BROKER_URL`` unset tasks run in-process, with ``REDIS_URL`` unset the cache is
local memory. Set them to use PostgreSQL (psycopg 3), a Redis or RabbitMQ broker and a Redis cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from gov.observability import init_sentry, logging_config
from laichau_portal.databases import database_settings, replica_aliases
from laichau_portal.media import S3_BACKEND, media_s3_options

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.is_file():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    # Django's admin, on the portal's site (gov.admin_site): a second factor is required there.
    "gov.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "formtools",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gov",
    "complaints",
    "reception",
    "dialogues",
    "reminders",
    "dashboard",
    "privacy",
    # Demo and bench data (seed_demo, demo_code, generate_data): imports the domain apps, never imported by them.
    "demo",
]

MIDDLEWARE = [
    # Outermost: runs a request again when its connection was lost before it wrote (gov.retry).
    "gov.retry.RetryLostConnectionMiddleware",
    # The request's id in every log line and its answer; its latency in /metrics.
    "gov.observability.RequestObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gov.middleware.ContentSecurityPolicyMiddleware",
    "gov.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # With read replicas: a browser that has just written reads from the primary (gov.replicas).
    "gov.replicas.ReadYourWritesMiddleware",
    "gov.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A NUL or a lone surrogate in a query string or a form: 400 (gov.input).
    "gov.input.UnstorableInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session left idle ends (PORTAL_IDLE_SECONDS); one whose second factor is due opens only
    # the verification pages (gov.second_factor).
    "gov.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gov.middleware.SecondFactorMiddleware",
    # Refused writes and 404s of staff object routes go to the audit log (gov.refusals).
    "gov.refusals.AccessRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "laichau_portal.urls"
WSGI_APPLICATION = "laichau_portal.wsgi.application"
ASGI_APPLICATION = "laichau_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gov.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# postgres://user@host:5432/name selects the portal's PostgreSQL backend, on psycopg 3; read
# replicas (DATABASE_REPLICA_URLS, gov.replicas) and a pooler in transaction mode
# (PORTAL_DB_POOLER) as laichau_portal/databases.py says.
DATABASES = database_settings(env, default_url=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
PORTAL_DB_REPLICAS = replica_aliases(DATABASES)
if PORTAL_DB_REPLICAS:
    DATABASE_ROUTERS = ["gov.replicas.ReplicaRouter"]
# After a request that may have written (POST, PUT, PATCH, DELETE), the same browser reads from
# the primary this long, so that it sees its own change whatever the replicas' lag.
PORTAL_REPLICA_PIN_SECONDS = env.int("PORTAL_REPLICA_PIN_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The performance layer (gov/fast/, complaints/fast.py, reminders/fast.py): raw SQL and private
# APIs of Django and psycopg, each bought by a figure of docs/performance.md. False runs the
# plain ORM path everywhere instead (same results, slower): to tell a bug of the fast paths
# from one of the portal, and to upgrade Django or psycopg safely (CI runs the suite both ways).
PORTAL_FAST_PATHS = env.bool("PORTAL_FAST_PATHS", default=True)

# --- Cache --------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "gov.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="laichau"),
            # An unreachable Redis costs a request at most this long before the cache goes on
            # in the process's memory (gov.cache); redis-py would otherwise wait on the system.
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_TIMEOUT_SECONDS", default=0.5),
                "socket_timeout": env.float("REDIS_TIMEOUT_SECONDS", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------
# Unset broker: tasks run in-process (eager), so the embedded default needs no service.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# What the processes write that is neither code nor data to keep (beat's schedule, gunicorn's
# control sockets): outside the checkout in a deployment (e.g. /var/lib/laichau).
PORTAL_STATE_DIR = Path(env("PORTAL_STATE_DIR", default=str(BASE_DIR / "var")))
CELERY_BEAT_SCHEDULE_FILENAME = str(PORTAL_STATE_DIR / "celerybeat-schedule")
# Backups (gov.backup, manage.py backup/restore): where, encrypted under what, kept how long.
PORTAL_BACKUP_DIR = Path(env("PORTAL_BACKUP_DIR", default=str(PORTAL_STATE_DIR / "backups")))
PORTAL_BACKUP_PASSPHRASE = env("PORTAL_BACKUP_PASSPHRASE", default="")
PORTAL_BACKUP_KEEP_DAYS = env.int("PORTAL_BACKUP_KEEP_DAYS", default=30)

# One beat schedule, in Vietnam's time (CELERY_TIMEZONE). Run exactly one beat process.
CELERY_BEAT_SCHEDULE = {
    # Every morning before office hours: reminders of deadlines in 3 and 1 working days,
    # overdue work to leaders, and to the superior level after PORTAL_ESCALATE_AFTER_DAYS.
    "deadline-sweep": {
        "task": "reminders.tasks.sweep_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Early afternoon, again: a deadline moved during the morning (an extension) is reminded today.
    "deadline-sweep-afternoon": {
        "task": "reminders.tasks.sweep_task",
        "schedule": crontab(hour=13, minute=0),
    },
    # Every 10 minutes: resend what a dead or failing worker left pending.
    "reminder-dispatch": {
        "task": "reminders.tasks.dispatch_task",
        "schedule": crontab(minute="*/10"),
    },
    # Every 10 minutes: acknowledgements the broker missed while it was down.
    "acknowledgements-pending": {
        "task": "complaints.tasks.acknowledgements_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    # Every 10 minutes: the overview's monthly figures (this month and the last) rolled up.
    "figures-refresh": {
        "task": "dashboard.tasks.figures_refresh_task",
        "schedule": crontab(minute="*/10"),
    },
    # Every 10 minutes: citizens' files held while the antivirus was unreachable, or stored
    # before one was configured, scanned (complaints.scanning); staff open them once clean.
    "attachments-scan-pending": {
        "task": "complaints.tasks.attachments_scan_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    # Every night at 2:15, when no one is filling in the form: files of step-by-step forms
    # abandoned for more than PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS deleted.
    "abandoned-uploads-sweep": {
        "task": "complaints.tasks.abandoned_uploads_sweep_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Every night at 2:30: erase the identities of records whose retention period ended
    # (privacy.services.retention_sweep; Law 91/2025). Safe to run twice.
    "retention-sweep": {
        "task": "privacy.tasks.retention_sweep_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Monday 7:00: each leader's weekly digest.
    "weekly-digest": {
        "task": "reminders.tasks.weekly_digest_task",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "gov.User"
LOGIN_URL = "gov:login"
LOGIN_REDIRECT_URL = "gov:staff_home"
LOGOUT_REDIRECT_URL = "home"
# At least 12 characters, and none of the common passwords shipped in gov/data (Django's list
# and passwords common in Vietnam: gov/data/README.md says where they come from).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gov.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": BASE_DIR / "gov" / "data" / "common-passwords.txt.gz"},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Second factor (gov.second_factor): a time-based code (TOTP, RFC 6238) from an authenticator
# app, or a single-use recovery code. Required for these roles and for every account that may
# use the admin; optional for the others (reception officers), who may enrol on their own.
PORTAL_OTP_REQUIRED_ROLES = env.list(
    "PORTAL_OTP_REQUIRED_ROLES", default=["leader", "handler", "administrator"]
)
PORTAL_OTP_RECOVERY_CODES = 10
# A refused write or a 404 of a staff object route is audited once per account and route in
# this many seconds (gov.refusals), so that a crawler cannot flood the audit log.
PORTAL_AUDIT_REFUSAL_SECONDS = env.int("PORTAL_AUDIT_REFUSAL_SECONDS", default=60)
OTP_TOTP_ISSUER = "Lai Chau portal"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes are slowed per account by gov.login_guard's rule (gov.second_factor.verify_wait:
# after PORTAL_LOGIN_FREE_FAILURES wrong codes, 2, 4, 8... s, one check per wait), not per
# device by django-otp's throttling, which is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# --- Language, time, formats --------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
# Sent only to the portal's own pages (not on requests other sites start), and never read by a
# script (there is none); production also sends it over HTTPS only.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own vi/en locales parse "05/04/2025" month-first; ours are day-first.
FORMAT_MODULE_PATH = ["laichau_portal.formats"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
# Development and tests serve static files from the finders; production from STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served from a URL: no route, and the web server must not serve
# MEDIA_ROOT. Staff download attachments through the scoped, logged view (complaints.views).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Or a private S3-compatible bucket, shared by every web node (laichau_portal/media.py).
PORTAL_MEDIA_S3 = media_s3_options(env)
if PORTAL_MEDIA_S3:
    STORAGES["default"] = {"BACKEND": S3_BACKEND, "OPTIONS": PORTAL_MEDIA_S3}

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Cổng tiếp nhận đơn <noreply@localhost>"
)

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "gov.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lai Châu petitions portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Answers from outside the views (401/403 from DRF, 414 from the server in front).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gov.openapi.declare_refusals",
    ],
}

# --- Logging: never personal data, so only logger names, levels and messages we write. ----
# Each line says the request's id and the account's id (gov.observability); "json": one JSON
# object per line (production's default), for a log collector.
PORTAL_LOG_FORMAT = env("PORTAL_LOG_FORMAT", default="plain")
LOGGING = logging_config(PORTAL_LOG_FORMAT, env("DJANGO_LOG_LEVEL", default="INFO"))

# --- What an operator watches (gov.health, gov.metrics) ---------------------------------------
# /metrics asks for "Authorization: Bearer <token>" when set; unset, it answers only on loopback.
PORTAL_METRICS_TOKEN = env("PORTAL_METRICS_TOKEN", default="")
# Error reports (sentry-sdk), off unless set; never request bodies, cookies or local variables.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Portal -------------------------------------------------------------------------------
PORTAL_PROVINCE_CODE = "lc"
PORTAL_NAME = _("Lai Châu citizen petitions portal")

# Detection thresholds (complaints.detection). The 5 people come from Luật Tiếp công dân Art. 29
# and the plan's "khiếu kiện đông người"; the 30-day window and similarities are the portal's.
PORTAL_MASS_MIN_PEOPLE = env.int("PORTAL_MASS_MIN_PEOPLE", default=5)
PORTAL_MASS_MIN_PETITIONS = env.int("PORTAL_MASS_MIN_PETITIONS", default=5)
PORTAL_MASS_WINDOW_DAYS = env.int("PORTAL_MASS_WINDOW_DAYS", default=30)
PORTAL_MASS_SIMILARITY = env.float("PORTAL_MASS_SIMILARITY", default=0.45)
PORTAL_DUPLICATE_SIMILARITY = env.float("PORTAL_DUPLICATE_SIMILARITY", default=0.6)
# Reminders: working days before a deadline, and working days overdue before escalation.
# Dialogues each commune's People's Committee holds a year, at least (Law 72/2025/QH15 Art. 43
# and Quy chế 06-QC/TU, from secondary sources: shared/domain.md, "Dialogue").
PORTAL_COMMUNE_DIALOGUES_PER_YEAR = env.int("PORTAL_COMMUNE_DIALOGUES_PER_YEAR", default=1)
PORTAL_REMINDER_DAYS = [int(d) for d in env.list("PORTAL_REMINDER_DAYS", default=["3", "1"])]
PORTAL_ESCALATE_AFTER_DAYS = env.int("PORTAL_ESCALATE_AFTER_DAYS", default=5)
# The leaders' overview warns when the sweep has not succeeded today by this time (beat: 6:30).
PORTAL_SWEEP_EXPECTED_BY = env("PORTAL_SWEEP_EXPECTED_BY", default="07:00")
# A claim older than this (a sender killed mid-send) may be taken again.
PORTAL_CLAIM_STALE_SECONDS = env.int("PORTAL_CLAIM_STALE_SECONDS", default=900)
PORTAL_SMS_BACKEND = env("PORTAL_SMS_BACKEND", default="reminders.channels.NoSmsBackend")
PORTAL_SITE_URL = env("PORTAL_SITE_URL", default="http://127.0.0.1:8000")
# The leaders' overview: its figures are counted at most once per this many seconds per scope
# (dashboard.selectors.overview_figures); 0 counts them on every visit.
PORTAL_OVERVIEW_CACHE_SECONDS = env.int("PORTAL_OVERVIEW_CACHE_SECONDS", default=60)
# Need-to-know inside the province (gov.scoping): the provincial agencies that read every
# petition item of the province, as "<agency kind>" (every role) or "<kind>:<role>|<role>".
# The provincial chairman answers for reception and petitions in the whole province (Luật Tiếp
# công dân 2013 Art. 12; Luật Khiếu nại 2011 Art. 21), the Citizen Reception Board receives for
# the province and follows what becomes of it (Decree 154/2026), and the provincial Inspectorate
# manages and inspects the handling at departments and communes (Decree 154/2026 Art. 6.7.a).
# Every other provincial agency (departments, the office, the council) reads the items it holds
# and those referred to it or by it; a commune's agencies read their commune.
PORTAL_PROVINCE_READERS = env.list(
    "PORTAL_PROVINCE_READERS",
    default=["inspectorate", "reception_board", "peoples_committee:leader"],
)
# Commitments are "due soon" this many days before their deadline.
PORTAL_COMMITMENT_DUE_SOON_DAYS = env.int("PORTAL_COMMITMENT_DUE_SOON_DAYS", default=7)
# Reverse proxies in front of the portal (nginx: 1); the visitor's address is read behind them.
PORTAL_NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = PORTAL_NUM_PROXIES
# Submissions per address (complaints.volume): one budget for the form's last step and the API
# ("30/minute": DRF's notation), generous because many citizens reach the portal through one
# mobile carrier's shared address; after this many petitions from one address in a day, the form
# asks a question first and the API sends the caller to the form.
PORTAL_SUBMIT_RATE = env("PORTAL_SUBMIT_RATE", default="30/minute")
PORTAL_STATUS_RATE = env("PORTAL_STATUS_RATE", default="30/minute")
PORTAL_SUBMIT_CHALLENGE_AFTER = env.int("PORTAL_SUBMIT_CHALLENGE_AFTER", default=5)
# Days the link that confirms a sender's e-mail (in the acknowledgement) stays valid.
PORTAL_CONTACT_CONFIRM_DAYS = env.int("PORTAL_CONTACT_CONFIRM_DAYS", default=30)
# Public status page: failed code + secret attempts allowed per visitor per hour.
PORTAL_STATUS_ATTEMPTS_PER_HOUR = env.int("PORTAL_STATUS_ATTEMPTS_PER_HOUR", default=20)
PORTAL_STATUS_WRONG_PER_CODE_PER_DAY = env.int("PORTAL_STATUS_WRONG_PER_CODE_PER_DAY", default=10)
# Staff logins (gov.login_guard). An account's wrong passwords are free up to
# PORTAL_LOGIN_FREE_FAILURES; after that each attempt waits 2, 4, 8... seconds after the last
# wrong one, at most PORTAL_LOGIN_MAX_WAIT_SECONDS; the count is kept a day, and a right
# password clears it. One address may make PORTAL_LOGIN_FAILURES x 4 wrong attempts across
# accounts per PORTAL_LOGIN_WINDOW_SECONDS.
PORTAL_LOGIN_FREE_FAILURES = env.int("PORTAL_LOGIN_FREE_FAILURES", default=3)
PORTAL_LOGIN_MAX_WAIT_SECONDS = env.int("PORTAL_LOGIN_MAX_WAIT_SECONDS", default=900)
PORTAL_LOGIN_MEMORY_SECONDS = env.int("PORTAL_LOGIN_MEMORY_SECONDS", default=24 * 3600)
# Staff logins (gov.login_guard): wrong passwords per account before its login pauses for the
# window; an address may make four times as many across accounts.
# Audit alerts (gov.audit): the leaders who read the log are told, once a day per account, when
# one account reveals protected identities or exports more than this many times in a day.
PORTAL_AUDIT_REVEAL_ALERT = env.int("PORTAL_AUDIT_REVEAL_ALERT", default=20)
PORTAL_AUDIT_EXPORT_ALERT = env.int("PORTAL_AUDIT_EXPORT_ALERT", default=10)
PORTAL_LOGIN_FAILURES = env.int("PORTAL_LOGIN_FAILURES", default=5)
PORTAL_LOGIN_WINDOW_SECONDS = env.int("PORTAL_LOGIN_WINDOW_SECONDS", default=900)
# Content-Security-Policy (gov.middleware): the pages use only the portal's own files and no
# script; the admin and the browsable API also need inline styles. Empty: no header.
_CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PORTAL_CSP = env("PORTAL_CSP", default=f"{_CSP}; style-src 'self'")
PORTAL_CSP_TOOLS = env("PORTAL_CSP_TOOLS", default=f"{_CSP}; style-src 'self' 'unsafe-inline'")
PORTAL_CSP_TOOLS_PATHS = ["/quan-tri/", "/api/"]
# Pages no browser or proxy may keep (gov.middleware.NoStoreMiddleware).
PORTAL_NO_STORE_PATHS = ["/can-bo/", "/api/v1/items/", "/quan-tri/"]
# A session lasts a working day (Django's default is two weeks): staff on a shared computer at a
# commune office are logged out by the next morning.
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_SECONDS", default=8 * 3600)
# ...and ends sooner when left idle this long (gov.middleware.IdleTimeoutMiddleware).
PORTAL_IDLE_SECONDS = env.int("PORTAL_IDLE_SECONDS", default=30 * 60)
# People named in one petition (the signer and the representatives; a group names up to 5 by
# law, gov.legal): a bound, so that a request cannot carry thousands.
PORTAL_MAX_SUBMITTERS = env.int("PORTAL_MAX_SUBMITTERS", default=20)
# Attachments: size and types a citizen may upload; each is checked by its bytes and images are
# re-encoded (complaints.uploads). Pixels are capped before an image is decoded (a
# decompression bomb is refused unread); the citizen's file name is kept to this many bytes.
PORTAL_ATTACHMENT_MAX_BYTES = env.int("PORTAL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
PORTAL_ATTACHMENT_TYPES = ["pdf", "jpg", "jpeg", "png", "doc", "docx"]
PORTAL_ATTACHMENT_MAX_PIXELS = env.int("PORTAL_ATTACHMENT_MAX_PIXELS", default=50_000_000)
# A PDF's pages are walked to check and clean it (complaints.pdfs), a fraction of a millisecond
# each: 10 MB can hold 80,000 empty pages. A scanned dossier of 10 MB has about a hundred.
PORTAL_ATTACHMENT_MAX_PAGES = env.int("PORTAL_ATTACHMENT_MAX_PAGES", default=1000)
# The antivirus (complaints.scanning): clamd's address, clamd://HOST:PORT or unix:///PATH;
# empty, files are not scanned (make run). How long one file's scan may take before the file is
# held for the periodic job instead (seconds).
PORTAL_UPLOAD_SCANNER = env.str("PORTAL_UPLOAD_SCANNER", default="")
PORTAL_UPLOAD_SCAN_TIMEOUT = env.float("PORTAL_UPLOAD_SCAN_TIMEOUT", default=15.0)
PORTAL_ATTACHMENT_NAME_MAX_BYTES = 200
# Files the step-by-step form keeps between steps are deleted this long after their upload when
# the form was never sent (complaints.uploads.abandoned_uploads_sweep, daily). Longer than a
# session (PORTAL_SESSION_SECONDS), so no form still open loses its files.
PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS = env.int("PORTAL_WIZARD_UPLOAD_MAX_AGE_HOURS", default=24)
