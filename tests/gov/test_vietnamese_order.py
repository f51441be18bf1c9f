"""Names are listed in Vietnamese alphabetical order, the same in Python, on SQLite and on
PostgreSQL (whose ICU collation ``vi-x-icu`` the SQLite connection imitates)."""

from __future__ import annotations

import pytest

from gov.db import in_vietnamese_order
from gov.models import AdministrativeUnit
from gov.text import vietnamese_sort_key

pytestmark = pytest.mark.django_db


def test_the_alphabet_orders_letters_then_tones() -> None:
    names = ["Đoàn Kết", "Bình Lư", "Anh", "Dào San", "Ăn", "Bản Bo", "An Bình", "Á", "A"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "A",
        "Á",
        "An Bình",
        "Anh",
        "Ăn",
        "Bản Bo",
        "Bình Lư",
        "Dào San",
        "Đoàn Kết",
    ]


def test_the_database_orders_the_units_as_python_does(reference_data: None) -> None:
    units = AdministrativeUnit.objects.exclude(name="")
    names = list(units.order_by(in_vietnamese_order("name"), "pk").values_list("name", flat=True))
    assert len(names) > 100
    assert names == sorted(names, key=vietnamese_sort_key)
    # Where binary order goes wrong: "Bình" (í, U+00EC) sorted before "Bản" (ả, U+1EA3).
    assert names.index("Bản Bo") < names.index("Bình Lư")


def test_a_server_without_the_collation_keeps_its_own_order(monkeypatch: object) -> None:
    from django.db import connection

    from gov import db

    key = (connection.vendor, str(connection.settings_dict.get("HOST", "")))
    monkeypatch.setitem(db._HAS_VIETNAMESE, key, False)
    sql = str(AdministrativeUnit.objects.order_by(in_vietnamese_order("name")).query)
    assert "COLLATE" not in sql.upper() and "name" in sql
    monkeypatch.setitem(db._HAS_VIETNAMESE, key, True)
    sql = str(AdministrativeUnit.objects.order_by(in_vietnamese_order("name")).query)
    assert 'COLLATE "vi-x-icu"' in sql
