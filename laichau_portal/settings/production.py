"""Production: every secret comes from the environment and has no default, so a missing one
stops the start. ``manage.py check --deploy --fail-level WARNING`` passes once they are set."""

from __future__ import annotations

from gov.observability import logging_config

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES, env

DEBUG = False
PORTAL_LOG_FORMAT = env("PORTAL_LOG_FORMAT", default="json")
LOGGING = logging_config(PORTAL_LOG_FORMAT, env("DJANGO_LOG_LEVEL", default="INFO"))
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Identities at rest (gov.crypto): the Fernet keys of the encrypted identity fields, newest
# first, and the key of the submitters' pseudonyms. Never in the database, never the same as
# DJANGO_SECRET_KEY; back them up apart from the database backups.
PORTAL_FIELD_KEYS = env.list("PORTAL_FIELD_KEYS")
PORTAL_PSEUDONYM_KEY = env("PORTAL_PSEUDONYM_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The portal sits behind a TLS-terminating reverse proxy (nginx) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer or Prometheus may ask these over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
