"""A second factor for staff (xác thực hai lớp), on django-otp.

After the password, a staff account proves a second factor: the 6-digit code of an authenticator
app (TOTP, RFC 6238: django-otp's ``TOTPDevice``) or one of its single-use recovery codes
(``gov.models.RecoveryCodeDevice``, a django-otp device of ours that keeps only keyed hashes of
the codes: they are shown once, when made, and kept nowhere in clear). Until then ``gov.middleware.SecondFactorMiddleware`` lets the
session open only the verification or enrolment pages and the logout, and the admin refuses it
(``gov.admin_site``).

Who must: the roles in ``PORTAL_OTP_REQUIRED_ROLES`` (leaders, handlers and administrators by
default) and every account that may use the admin. Others (reception officers) may enrol on their
own; once they have, they verify too. API tokens (DRF ``TokenAuthentication``) are not concerned:
a token is issued to a system by an administrator, and carries no session.

An administrator (within their scope), or the leader of the account's own agency, can reset an
account's second factor; the account then enrols again at its next login.
"""

from __future__ import annotations

import base64
import logging
from typing import TYPE_CHECKING, cast

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gov import login_guard
from gov.models.second_factor import RecoveryCode, RecoveryCodeDevice, normalise_code, random_code

if TYPE_CHECKING:
    from django.http import HttpRequest

    from gov.models import User

logger = logging.getLogger(__name__)
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def required(user: User) -> bool:
    """Whether ``user`` may not work without a verified second factor, enrolled or not."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.role in settings.PORTAL_OTP_REQUIRED_ROLES)
    )


def satisfied(request: HttpRequest) -> bool:
    """Whether this session may open staff pages: verified in this session, or not needing it
    (an optional account that has not enrolled)."""
    cached = getattr(request, "_second_factor_satisfied", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated:
        ok = True
    elif getattr(user, "is_verified", None) is None:  # no OTPMiddleware: never verified
        ok = not required(user) and not user_has_device(user)
    else:
        ok = user.is_verified() or (not required(user) and not user_has_device(user))
    request._second_factor_satisfied = ok
    return ok


def enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: unconfirmed until its first code, the same secret on
    every visit until then."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The otpauth:// address as a QR code: SVG markup drawn here, put in the page as it is (no
    script, no style attribute, no image from elsewhere)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="qr")


def normalise(code: str) -> str:
    return normalise_code(code)


def recovery_code_display(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """New single-use recovery codes for ``user``; the former ones stop working. Returned once,
    to be shown once: only their keyed hashes are stored."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    codes: set[str] = set()
    while len(codes) < settings.PORTAL_OTP_RECOVERY_CODES:
        codes.add(random_code())
    device.codes_replace(sorted(codes))
    return [recovery_code_display(code) for code in sorted(codes)]


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def totp_enrol(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being enrolled with its first code and verify the session.
    Returns the new recovery codes, or ``None`` if the code is wrong."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_generate(user=user)
        _audit(kind="otp_enrolled", actor=user, request=request, user=user)
    _verified(request, device)
    return codes


def verify_wait(*, user: User) -> int:
    """Seconds before this account's next code may be checked; 0 to go ahead, which claims the
    check. The password's rule (``gov.login_guard``), counted apart: after 3 wrong codes, 2, 4,
    8... seconds since the last one, one check per wait, whichever device the codes were for
    (django-otp's own per-device throttling is off: ``OTP_*_THROTTLE_FACTOR``)."""
    wait, _why = login_guard.account_wait(str(user.pk), login_guard.SECOND_FACTOR)
    return wait


def verify(*, request: HttpRequest, code: str) -> Device | None:
    """Check a code from the authenticator, or a recovery code (then used up), and mark the
    session verified. ``None`` if the code is wrong: counted against the account and written
    to the audit log (without the code)."""
    code = normalise(code)
    user = cast("User", request.user)  # the views ask for a login first
    device = _device_for(user, code)
    verified = verify_token(user, device.persistent_id, code) if device is not None else None
    if verified is None:
        _failed(request, user, device)
        return None
    login_guard.account_cleared(str(user.pk), login_guard.SECOND_FACTOR)
    _verified(request, verified)
    return verified


def _failed(request: HttpRequest, user: User, device: Device | None) -> None:
    from gov.audit import audit_record

    failures = login_guard.account_failed(str(user.pk), login_guard.SECOND_FACTOR)
    if failures == settings.PORTAL_LOGIN_FREE_FAILURES:
        logger.warning("Second factor slowed down after %s wrong codes for one account", failures)
    factor = {TOTPDevice: "authenticator", RecoveryCodeDevice: "recovery"}.get(type(device), "")
    audit_record(
        kind="otp_failed",
        request=request,
        subject=user,
        data={"factor": factor, "failures": failures},
    )


def can_reset(*, by: User, user: User) -> bool:
    """An administrator for accounts in their scope, a leader for their own agency's accounts;
    never one's own (that would let one factor replace the other), and only a superuser for a
    superuser. ``user.agency.unit`` is read: select it with the account."""
    from gov.scoping import can_see_anything, scope_root

    if by.pk == user.pk or not can_see_anything(by):
        return False
    if by.is_superuser:
        return True
    if user.is_superuser or user.agency_id is None:
        return False
    if by.role == by.Role.ADMINISTRATOR:
        return user.agency.unit.path.startswith(scope_root(by).path)
    return by.role == by.Role.LEADER and by.agency_id == user.agency_id


def second_factor_reset(*, user: User, by: User, request: HttpRequest | None = None) -> None:
    """Remove ``user``'s authenticator and recovery codes: they enrol again at their next login,
    and a session they verified with them is no longer verified."""
    if not can_reset(by=by, user=user):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        _audit(kind="otp_reset", actor=by, request=request, user=user)


def _device_for(user: User, code: str) -> Device | None:
    """The device a code of this shape belongs to: digits to the authenticator, letters and
    digits to the recovery codes."""
    if code.isdigit() and len(code) in (6, 8):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if code.isalnum() and len(code) <= 16:
        return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()
    return None


def _verified(request: HttpRequest, device: Device) -> None:
    # A new session key once the second factor is proven: a key seen before it (on a shared
    # computer, in a proxy's log) is worth nothing after.
    request.session.cycle_key()
    otp_login(request, device)
    request._second_factor_satisfied = True


def _audit(*, kind: str, actor: User, request: HttpRequest | None, user: User) -> None:
    """The audit log's record of an enrolment or a reset: the account is its subject, and its
    agency's leaders read it."""
    from gov.audit import audit_record

    audit_record(
        kind=kind,
        actor=actor,
        request=request,
        subject=user,
        agency=user.agency,
    )
