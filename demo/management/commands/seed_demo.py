from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accountability import demo_seed as dialogues_demo_seed
from demo.accounts import DEMO_PASSWORD, demo_seed, demo_totp_uri
from demo.petitions import demo_seed as complaints_demo_seed
from demo.reception import demo_seed as reception_demo_seed


class Command(BaseCommand):
    help = "Create the demo data and one demo account per role (idempotent). Not for production."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Under overridden settings (a test's live server) SETTINGS_MODULE reads None.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("Demo data and demo passwords are never created in production.")
        accounts = demo_seed()
        petitions = complaints_demo_seed()
        sessions = reception_demo_seed()
        accountability = dialogues_demo_seed()  # after petitions: mediates a demo petition
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"  demo petitions created: {len(petitions)}")
        self.stdout.write(f"  demo reception sessions created: {len(sessions)}")
        for what, n in (accountability or {"dialogue and council records": 0}).items():
            self.stdout.write(f"  demo {what.replace('_', ' ')} created: {n}")
        if options["quiet_logins"]:
            return
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for a in accounts:
            name = f"{a.first_name} {a.last_name} – {a.position}"
            self.stdout.write(f"  {a.username:<20} {a.role:<18} {name}")
        # `make run HOST=… PORT=…` serves elsewhere; the Makefile passes both on.
        site = f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or 8000}"
        self.stdout.write(f"  Log in at {site}/dang-nhap/ ; admin at {site}/quan-tri/ (quantri)\n")
        self.stdout.write(
            "Second factor of the leaders, handlers and quantri (reception officers have none):\n"
            "  the code `python manage.py demo_code` prints, or add this demo secret to an\n"
            f"  authenticator app: {demo_totp_uri()}\n"
        )
