"""WSGI entry point (gunicorn laichau_portal.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laichau_portal.settings.production")

application = get_wsgi_application()
