"""Language selection, and the Content-Security-Policy header.

Language: Vietnamese unless the visitor chose English. Django's LocaleMiddleware would follow
the browser's Accept-Language header, so a phone set to English would get an English portal
unasked. Here only the visitor's explicit choice (the language cookie set by Django's
``set_language`` view) counts.

Content-Security-Policy: the portal's pages load nothing from elsewhere and run no script, so the
browser is told to refuse anything else (an injected script or style, a frame around the page, a
form posting away). Django's admin and DRF's browsable API get styles inline too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
