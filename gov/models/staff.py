from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency


# django-stubs cannot follow the user key that django-otp's (untyped) Device gives
# gov.RecoveryCodeDevice.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A staff account. Citizens need none. A staff member belongs to one agency, has one role,
    and sees only the subtree of the agency's unit (``gov.scoping``)."""

    # gov.scoping: where this row sits in the unit tree.
    SCOPE_PATH = "agency__unit__path"

    class Role(models.TextChoices):
        RECEPTION_OFFICER = "reception_officer", _("Reception officer")
        HANDLER = "handler", _("Handler")
        LEADER = "leader", _("Leader")
        ADMINISTRATOR = "administrator", _("Administrator")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    position = models.CharField(
        _("position"), max_length=120, blank=True, help_text=_("e.g. Chủ tịch UBND xã")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(agency__isnull=False),
                name="staff_role_needs_agency",
                violation_error_message=_("A staff account with a role must belong to an agency."),
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role and not self.agency_id:
            raise ValidationError(
                {"agency": _("A staff account with a role must belong to an agency.")}
            )

    @property
    def display_name(self) -> str:
        """The person's full name (family name first: ``first_name`` holds "họ", as in
        "Vàng A Lử"), or the login when an account has none."""
        return self.get_full_name() or self.username

    @property
    def staff_label(self) -> str:
        """How a person is named where one is chosen or shown: "Lò Văn Pâng – Chủ tịch UBND
        xã", the role where no title is set."""
        return f"{self.display_name} – {self.position or self.get_role_display()}"
