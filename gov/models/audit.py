"""The audit log (nhật ký): who did what to what, append-only.

A row is never changed nor removed: the model refuses ``save()`` of an existing row and
``delete()``, its manager refuses ``update()`` and ``delete()`` on a queryset, and on PostgreSQL
a trigger (migration ``gov.0003``) refuses UPDATE and DELETE from any client, the Django shell and
a ``psql`` session alike. A record never carries a plain identity or search term: ``data`` holds
an HMAC (``gov.audit.digest``) where such a value must be matched later.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Agency


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit record."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are append-only.")

    # Django's bulk paths that rewrite existing rows.
    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records are append-only.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")


class AuditRecord(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        CASE_VIEW = "case_view", _("Case viewed")
        SEARCH = "search", _("Search")
        EXPORT = "export", _("Export")
        IDENTITY_REVEAL = "identity_reveal", _("Identity revealed")
        ATTACHMENT_DOWNLOAD = "attachment_download", _("Attachment downloaded")
        ROLE_CHANGE = "role_change", _("Role changed")
        AGENCY_CHANGE = "agency_change", _("Agency changed")
        PASSWORD_SET = "password_set", _("Password set by another account")
        PERMISSION_CHANGE = "permission_change", _("Permissions changed")
        ACCOUNT_CREATED = "account_created", _("Account created")
        OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
        OTP_RESET = "otp_reset", _("Second factor reset")
        OTP_FAILED = "otp_failed", _("Wrong second-factor code")
        ACCESS_REFUSED = "access_refused", _("Access refused")
        PERSONAL_DATA_EXPORT = "personal_data_export", _("Personal data exported")
        ANONYMISED = "anonymised", _("Anonymised")
        ALERT = "alert", _("Alert raised")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_records",
    )
    actor_agency = models.ForeignKey(
        Agency,
        verbose_name=_("account's agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name typed"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    subject_type = models.CharField(_("object type"), max_length=60, blank=True)
    subject_id = models.CharField(_("object"), max_length=64, blank=True)
    # The agencies the record concerns besides the actor's (e.g. the old and the new agency of
    # an account moved), so that their leaders read it too.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    other_agency = models.ForeignKey(
        Agency,
        verbose_name=_("other agency concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        # Every filter of the audit page, each followed by the time the page orders by, so that
        # a page of the newest rows of one agency, account or kind is read from one index at
        # millions of rows (docs/performance.md).
        indexes = [
            models.Index(fields=["actor_agency", "-at"], name="audit_actor_agency_at"),
            models.Index(fields=["agency", "-at"], name="audit_agency_at"),
            models.Index(fields=["other_agency", "-at"], name="audit_other_agency_at"),
            models.Index(fields=["actor", "kind", "-at"], name="audit_actor_kind_at"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
            models.Index(fields=["username", "-at"], name="audit_username_at"),
        ]
        constraints = [
            # One alert per account, limit and day, however many workers cross the limit at once
            # (gov.audit._alert_if_over_limit).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=models.Q(kind="alert"),
                name="audit_alert_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor_id or self.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are append-only.")
