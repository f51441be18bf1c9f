"""Template filters of the portal's pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def code(value: object) -> SafeString:
    """A tracking code or secret ("LC26-7K3QX9", "ABCD-EFGH-JKMN") that never wraps at its
    dashes: a citizen copies it by eye, and a code split over two lines is misread."""
    return format_html('<span class="code">{}</span>', value)
