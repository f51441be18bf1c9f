from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Petitions (đơn): complaints, denunciations, recommendations and feedback."""

    name = "complaints"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from . import scanning

        checks.register(scanning.check_scanner_address, checks.Tags.security)
        checks.register(scanning.check_scanner_deployed, checks.Tags.security, deploy=True)

        from gov.metrics import register_backlog

        from .tasks import acknowledgements_pending

        register_backlog(
            "acknowledgements_pending",
            "Petitions whose acknowledgement e-mail has not left",
            lambda: acknowledgements_pending().count(),
        )

        from gov.signals import reference_changed

        from .models import RoutingRule

        # The routing table is remembered per process (gov.memo): an edit forgets it.
        post_save.connect(reference_changed, sender=RoutingRule, dispatch_uid="memo-routing")
        post_delete.connect(reference_changed, sender=RoutingRule, dispatch_uid="memo-routing-d")
