"""Test settings: the same services as the environment names (PostgreSQL and Redis in CI),
fast password hashing, and mail kept in memory."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by a test writes its mail to files the test can count.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default="/tmp/laichau-test-mail")
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/laichau-test-media")
# Tests count the overview afresh after every change; the one test of the cache turns it on.
PORTAL_OVERVIEW_CACHE_SECONDS = 0
# Identities at rest (gov.crypto): fixed keys, not secret.
PORTAL_FIELD_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS1ub3Qtc2VjcmV0LTA="]
PORTAL_PSEUDONYM_KEY = "test-only-pseudonym-key-not-secret-0123456789"
