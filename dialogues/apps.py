from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    """Accountability: dialogues, grassroots mediation, People's Council questions, commitments."""

    name = "dialogues"
    verbose_name = _("Dialogues and commitments")
