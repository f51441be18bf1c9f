"""Local development: the embedded defaults of ``make run`` (SQLite, in-process tasks)."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import PORTAL_STATE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# `make run`'s mail: one file per message in var/mail/ (README names it), read with any viewer.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(PORTAL_STATE_DIR / "mail"))
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="local-development-only-key-never-used-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Identities at rest (gov.crypto): fixed keys for development only; production has no default.
PORTAL_FIELD_KEYS = env.list(
    "PORTAL_FIELD_KEYS", default=["bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXk="]
)
PORTAL_PSEUDONYM_KEY = env(
    "PORTAL_PSEUDONYM_KEY", default="local-development-only-pseudonym-key-0123456789"
)

# The embedded default only: SQLite keeps no non-key columns in an index (the inbox's covering
# index on PostgreSQL, item_open_due), which costs a toy database nothing. Said once here
# instead of at every command; on PostgreSQL the check stays on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
