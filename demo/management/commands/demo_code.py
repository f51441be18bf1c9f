from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import demo_totp_code


class Command(BaseCommand):
    help = (
        "Print the demo accounts' current second-factor code (what an authenticator app set up "
        "with the demo secret shows). Not for production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("There are no demo accounts in production.")
        self.stdout.write(demo_totp_code())
