"""Settings for ``make bench`` only: production-like (DEBUG off, PostgreSQL, Redis cache,
sessions in the database, no debug toolbar), served by gunicorn on 127.0.0.1 without TLS.

The public API's per-address throttles stay on, as in production; the bench's clients send a
distinct ``X-Forwarded-For`` per request and ``NUM_PROXIES`` is 1, so each request counts
against its own address and the throttle still costs what it costs (one counter increment)
without refusing the bench. Never deploy with these settings.
"""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PORTAL_FIELD_KEYS = ["YmVuY2gtb25seS1maWVsZC1rZXktbm90LXNlY3JldC0="]
PORTAL_PSEUDONYM_KEY = "bench-only-pseudonym-key-not-secret-0123456789"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
PORTAL_NUM_PROXIES = 1
REST_FRAMEWORK["NUM_PROXIES"] = 1
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
