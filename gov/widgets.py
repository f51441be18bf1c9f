"""Form widgets that stay fast on pages rendered on every request.

Django renders a ``<select>`` through one template per option; a filter form with a few hundred
options then costs more than the page's queries. ``FastSelect`` writes the same HTML in Python.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(
        self,
        name: str,
        value: object,
        attrs: dict | None = None,
        renderer: object = None,
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
