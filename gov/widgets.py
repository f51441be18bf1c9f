"""Form widgets that stay fast on pages rendered on every request, and say what each box is.

Django renders a ``<select>`` through one template per option; a filter form with a few hundred
options then costs more than the page's queries. ``FastSelect`` writes the same HTML in Python.
``DateRangeInputs``: the two dates of a range, each named for a screen reader.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class FastSelect(forms.Select):
    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else str(o["value"]), flatatt(o["attrs"]), o["label"])
                    for o in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # each part was escaped by format_html
        )


class DateRangeInputs(django_filters.widgets.DateRangeWidget):
    """Two date boxes (``type="date"``: the phone's own date picker) under the field's legend.
    The legend names the pair; a screen reader reaching either box alone hears only "date", so
    each box is named too: its start and its end."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"type": "date", **(attrs or {})})
        for widget, name in zip(self.widgets, (_("start date"), _("end date")), strict=True):
            widget.attrs["aria-label"] = name
