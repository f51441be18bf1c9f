"""FastSelect writes the HTML Django's Select writes, without a template per option."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation

from gov.widgets import DateRangeInputs, FastSelect

CHOICES = [
    ("", "Tất cả"),
    ("a", "Đất đai & <nhà ở>"),
    ("Nhóm", [("b", "Bồi thường"), ("c", 'Chính sách "xã hội"')]),
    (3, "Số"),
]


def _normal(html: str) -> object:
    """The parsed HTML: attribute order and whitespace between tags do not matter."""
    return parse_html(re.sub(r">\s+<", "><", html.strip()))


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, ["a", "c"]])
@pytest.mark.parametrize("multiple", [False, True])
def test_fast_select_renders_what_select_renders(value: object, multiple: bool) -> None:
    attrs = {"id": "id_x", "aria-describedby": "x_help", "class": "wide"}
    fast_multiple = type("FastMultiple", (FastSelect,), {"allow_multiple_selected": True})
    slow, fast = (forms.SelectMultiple, fast_multiple) if multiple else (forms.Select, FastSelect)
    expected = slow(choices=CHOICES, attrs=attrs).render("x", value)
    got = fast(choices=CHOICES, attrs=attrs).render("x", value)
    assert _normal(got) == _normal(expected)
    assert "&lt;nhà ở&gt;" in got and "&quot;xã hội&quot;" in got


def test_the_inbox_filter_uses_it() -> None:
    from complaints.filters import InboxFilter
    from complaints.models import PetitionItem

    form = InboxFilter({}, queryset=PetitionItem.objects.none()).form
    assert isinstance(form.fields["status"].widget, FastSelect)
    assert isinstance(form.fields["ordering"].widget, FastSelect)
    assert isinstance(form.fields["overdue"].widget, FastSelect)


def test_each_date_of_a_range_is_named_for_a_screen_reader() -> None:
    html = DateRangeInputs().render("due_on", None, attrs={"id": "id_due_on"})
    boxes = re.findall(r"<input[^>]*>", html)
    assert len(boxes) == 2
    assert all('type="date"' in box for box in boxes)
    with translation.override("vi"):
        html = DateRangeInputs().render("due_on", None, attrs={"id": "id_due_on"})
    assert 'aria-label="từ ngày"' in html and 'aria-label="đến ngày"' in html
