"""Pages of the second factor (``gov.second_factor``): verification after the password,
enrolment of an authenticator app, recovery codes, and the reset of someone else's.

Every page here shows or takes a secret, so none is kept by a browser or a proxy (no-store)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from . import second_factor
from .forms import EnrolCodeForm, SecondFactorCodeForm, wait_text
from .models import RecoveryCodeDevice, User
from .scoping import get_scoped_or_404


def _next(request: HttpRequest) -> str:
    """Where to go once verified: the page asked for, if it is one of the portal's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("gov:staff_home")


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect(f"{reverse('gov:otp_enrol')}?{request.GET.urlencode()}")
    if request.user.is_verified():
        return redirect(_next(request))
    form = SecondFactorCodeForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        wait = second_factor.verify_wait(user=request.user)
        device = None if wait else second_factor.verify(request=request, code=code)
        if device is not None:
            if isinstance(device, RecoveryCodeDevice):
                left = second_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(n)d is left. Make new ones on your "
                        "account's security page.",
                        "You used a recovery code: %(n)d are left. Make new ones on your "
                        "account's security page.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(_next(request))
        if wait:
            form.add_error(
                "code",
                _("Too many wrong codes. Try again in %(wait)s.") % {"wait": wait_text(wait)},
            )
        else:
            form.add_error("code", _("This code is not right, or was already used."))
    return render(request, "gov/otp_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    if second_factor.enrolled(request.user):
        # A second authenticator needs the first (verified) or a reset by someone else.
        if request.user.is_verified():
            return redirect("gov:account_security")
        return redirect(f"{reverse('gov:otp_verify')}?{request.GET.urlencode()}")
    device = second_factor.totp_device_pending(user=request.user)
    form = EnrolCodeForm(request.POST or None)
    if form.is_valid():
        codes = second_factor.totp_enrol(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            messages.success(request, _("Your authenticator app is set up."))
            return _codes_shown(request, codes, next_url=_next(request))
        form.add_error(
            "code",
            _("This code is not right. Check that your phone's clock is set automatically."),
        )
    return render(
        request,
        "gov/otp_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "required": second_factor.required(request.user),
            "qr": second_factor.qr_svg(
                device, title=_("QR code to scan with an authenticator app")
            ),
            "secret": second_factor.secret_text(device),
        },
    )


def _codes_shown(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    """The recovery codes just made, shown this once: in the answer to the request that made
    them, kept nowhere (not in the session either: only their hashes are stored)."""
    response = render(request, "gov/recovery_codes.html", {"codes": codes, "next": next_url})
    add_never_cache_headers(response)
    return response


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Where an old link to the codes leads: they were shown once, when made."""
    messages.info(request, _("Recovery codes are shown only once, when they are made."))
    return redirect("gov:account_security")


@never_cache
@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "gov/account_security.html",
        {
            "enrolled": second_factor.enrolled(request.user),
            "required": second_factor.required(request.user),
            "codes_left": second_factor.recovery_codes_left(request.user),
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not second_factor.enrolled(request.user):
        return redirect("gov:otp_enrol")
    codes = second_factor.recovery_codes_generate(user=request.user)
    return _codes_shown(request, codes, next_url=reverse("gov:account_security"))


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset a colleague's second factor (an administrator, or their agency's leader)."""
    user = get_scoped_or_404(
        request.user, User.objects.select_related("agency__unit"), pk=pk, is_active=True
    )
    second_factor.second_factor_reset(user=user, by=request.user, request=request)
    messages.success(
        request,
        _(
            "The second factor of %(name)s was reset: they will set up an authenticator app "
            "at their next login."
        )
        % {"name": user.display_name},
    )
    if user.agency_id:
        return redirect("gov:staff_agency", code=user.agency.code)
    return redirect("gov:staff_home")
