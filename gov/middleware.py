"""Language selection, and the Content-Security-Policy header.

Language: Vietnamese unless the visitor chose English. Django's LocaleMiddleware would follow
the browser's Accept-Language header, so a phone set to English would get an English portal
unasked. Here only the visitor's explicit choice (the language cookie set by Django's
``set_language`` view) counts.

Content-Security-Policy: the portal's pages load nothing from elsewhere and run no script, so the
browser is told to refuse anything else (an injected script or style, a frame around the page, a
form posting away). Django's admin and DRF's browsable API get styles inline too.

Idle sessions: a staff session ends after ``PORTAL_IDLE_SECONDS`` without a request, besides the
working day ``SESSION_COOKIE_AGE`` gives it at most.

Second factor: a session whose second factor is due (``gov.second_factor``) opens only the
verification and enrolment pages and the logout; anything else sends it there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_otp import user_has_device

from gov import second_factor


class CookieLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ContentSecurityPolicyMiddleware:
    """Sets ``PORTAL_CSP`` on every page, ``PORTAL_CSP_TOOLS`` under the admin and the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.tools = tuple(settings.PORTAL_CSP_TOOLS_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = (
            settings.PORTAL_CSP_TOOLS
            if request.path.startswith(self.tools)
            else settings.PORTAL_CSP
        )
        # The 500 page is plain and styled inline, so that it shows whatever else is broken.
        if policy and response.status_code < 500:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


class IdleTimeoutMiddleware:
    """Logs out a session that made no request for ``PORTAL_IDLE_SECONDS``. The time of the last
    request is written to the session at most once a minute, not on every page."""

    KEY = "portal_last_seen"
    RESOLUTION = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            last = session.get(self.KEY)
            idle = settings.PORTAL_IDLE_SECONDS
            if last is not None and now - last > idle:
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)s minutes without activity. "
                        "Please log in again."
                    )
                    % {"minutes": max(1, idle // 60)},
                )
            elif last is None or now - last >= min(self.RESOLUTION, idle):
                session[self.KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Sends a session whose second factor is due to its verification page (or, not enrolled
    yet, its enrolment page), coming back afterwards; the API answers 403."""

    OPEN_NAMES = ("gov:otp_verify", "gov:otp_enrol", "gov:logout", "admin:logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._is_open(request.path) or second_factor.satisfied(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Verify your second factor on the portal's login page first.")},
                status=403,
            )
        name = "gov:otp_verify" if user_has_device(request.user) else "gov:otp_enrol"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")

    def _is_open(self, path: str) -> bool:
        if self._open is None:  # the URLs are known only once the first request comes
            self._open = frozenset(reverse(name) for name in self.OPEN_NAMES)
        return path in self._open or path.startswith(settings.STATIC_URL)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every staff page, the API's items and the admin
    (``PORTAL_NO_STORE_PATHS``): a case with a denouncer's name must not stay in a shared
    computer's browser cache, nor in a proxy's. A stricter header a view set is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = tuple(settings.PORTAL_NO_STORE_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.paths) and "no-store" not in response.headers.get(
            "Cache-Control", ""
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response
