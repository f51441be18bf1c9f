"""Load the reference data shipped in ``gov/data/``: Lai Châu's administrative units (current
and former), sectors, agencies and legal time limits. Safe to run again: rows are matched on
their codes and updated in place, never duplicated."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction

from .models import AdministrativeUnit, Agency, Sector, TimeLimitRule
from .text import ascii_slug

DATA_DIR = Path(__file__).resolve().parent / "data"
REFORM_DATE = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = REFORM_DATE - dt.timedelta(days=1)

# The word that precedes a unit's name in official names: "Ủy ban nhân dân xã Mường Kim".
TYPE_WORD = {
    AdministrativeUnit.UnitType.PROVINCE: "tỉnh",
    AdministrativeUnit.UnitType.PROVINCIAL_CITY: "thành phố",
    AdministrativeUnit.UnitType.DISTRICT: "huyện",
    AdministrativeUnit.UnitType.COMMUNE: "xã",
    AdministrativeUnit.UnitType.WARD: "phường",
    AdministrativeUnit.UnitType.TOWN: "thị trấn",
}
CODE_PREFIX = {
    "commune": "xa",
    "ward": "phuong",
    "town": "tt",
    "district": "huyen",
    "provincial_city": "tp",
}


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _unit(code: str, **values: Any) -> AdministrativeUnit:
    unit, _ = AdministrativeUnit.objects.update_or_create(code=code, defaults=values)
    return unit


@transaction.atomic
def reference_data_load() -> LoadReport:
    """Load gov's data, then every other app's ``<app>.reference_data.reference_data_load``."""
    report = LoadReport()
    _load_units(report)
    _load_sectors_and_agencies(report)
    _load_time_limits(report)
    for app in apps.get_app_configs():
        if app.name != "gov" and importlib.util.find_spec(f"{app.name}.reference_data"):
            importlib.import_module(f"{app.name}.reference_data").reference_data_load(report)
    return report


def _load_units(report: LoadReport) -> None:
    data = _read("laichau_units.json")
    src = data["sources"]
    p = data["province"]
    province = _unit(
        p["code"],
        name=p["name"],
        unit_type=p["unit_type"],
        gso_code=p["gso_code"],
        parent=None,
        source=src["province"],
        confidence="S",
    )
    report.add("units")
    districts = {}
    for d in data["former_districts"]:
        districts[d["code"]] = _unit(
            f"{CODE_PREFIX[d['unit_type']]}-{ascii_slug(d['name'])}",
            name=d["name"],
            unit_type=d["unit_type"],
            parent=province,
            valid_to=LAST_DAY_BEFORE_REFORM,
            successor=province,
            source=src["districts"],
            confidence="S",
        )
        report.add("units")
    new_units = {}
    for u in data["units"]:
        new_units[u["name"]] = _unit(
            f"{CODE_PREFIX[u['unit_type']]}-{ascii_slug(u['name'])}",
            name=u["name"],
            unit_type=u["unit_type"],
            parent=province,
            valid_from=REFORM_DATE,
            former_district=districts[u["former_district"]],
            confidence=u["confidence"],
            source=src["units"] + (f"; {u['note']}" if u.get("note") else ""),
        )
        report.add("units")
    former = _read("laichau_former_communes.json")
    sources = {s["id"]: s["title"] for s in former["sources"]}
    for c in former["former_communes"]:
        _unit(
            f"{ascii_slug(c['name'])}-{c['gso_code']}",
            name=c["name"],
            unit_type=c["unit_type"],
            gso_code=c["gso_code"] or "",
            parent=districts[c["former_district"]],
            valid_to=LAST_DAY_BEFORE_REFORM,
            successor=new_units[c["successor"]],
            confidence=c["confidence"],
            source=sources[c["source"]][:255],
        )
        report.add("former communes")


def _load_sectors_and_agencies(report: LoadReport) -> None:
    data = _read("agencies.json")
    for s in data["sectors"]:
        Sector.objects.update_or_create(code=s.pop("code"), defaults=s)
        report.add("sectors")
    all_sectors = list(Sector.objects.all())
    units = {u.code: u for u in AdministrativeUnit.objects.filter(level__lte=3)}
    rows = list(data["agencies"])
    rows.sort(key=lambda a: a.get("successor") is not None)  # successors first
    for a in rows:
        _agency(a, units, report)
    gen = data["generated"]
    for unit in units.values():
        if unit.level != AdministrativeUnit.Level.COMMUNE or unit.valid_to:
            continue
        word = TYPE_WORD[AdministrativeUnit.UnitType(unit.unit_type)]
        for prefix, spec, kind in (
            ("ubnd", gen["commune_peoples_committee"], Agency.Kind.PEOPLES_COMMITTEE),
            ("hdnd", gen["commune_peoples_council"], Agency.Kind.PEOPLES_COUNCIL),
        ):
            _agency(
                {
                    "code": f"{prefix}-{unit.code}",
                    "name": spec["name"].format(type=word, name=unit.name),
                    "short_name": f"{prefix.upper()} {word} {unit.name}",
                    "kind": kind,
                    "unit": unit.code,
                    "parent": spec["parent"],
                    "head_title": spec["head_title"],
                    "valid_from": REFORM_DATE.isoformat(),
                    "sectors": "all",
                    "source": gen["commune_peoples_committee"]["source"],
                    "confidence": "S",
                },
                units,
                report,
                all_sectors,
            )
    spec = gen["district_peoples_committee"]
    for unit in units.values():
        if unit.level == AdministrativeUnit.Level.DISTRICT:
            word = TYPE_WORD[AdministrativeUnit.UnitType(unit.unit_type)]
            _agency(
                {
                    "code": f"ubnd-{unit.code}",
                    "name": spec["name"].format(type=word, name=unit.name),
                    "short_name": f"UBND {word} {unit.name}",
                    "kind": Agency.Kind.PEOPLES_COMMITTEE,
                    "unit": unit.code,
                    "parent": spec["parent"],
                    "head_title": spec["head_title"],
                    "valid_to": spec["valid_to"],
                    "successor": "ubnd-tinh",
                    "sectors": "all",
                    "source": "District level abolished 1/7/2025 [S]",
                    "confidence": "S",
                },
                units,
                report,
                all_sectors,
            )


def _agency(a: dict, units: dict, report: LoadReport, all_sectors: list | None = None) -> None:
    a = dict(a)
    sectors = a.pop("sectors")
    values = {
        **a,
        "unit": units[a["unit"]],
        "parent": Agency.objects.get(code=a["parent"]) if a.get("parent") else None,
        "successor": Agency.objects.get(code=a["successor"]) if a.get("successor") else None,
        "valid_from": _date(a.get("valid_from")),
        "valid_to": _date(a.get("valid_to")),
    }
    agency, _ = Agency.objects.update_or_create(code=values.pop("code"), defaults=values)
    if sectors == "all":
        agency.sectors.set(all_sectors or Sector.objects.all())
    else:
        agency.sectors.set(Sector.objects.filter(code__in=sectors))
    report.add("agencies")


def _load_time_limits(report: LoadReport) -> None:
    """Insert the shipped rules that are missing. Rows already present are left as they are:
    an administrator may have corrected them in the admin, and a reload must not undo that."""
    for r in _read("time_limits.json")["rules"]:
        key = {k: r[k] for k in ("kind", "stage", "variant")}
        _, created = TimeLimitRule.objects.get_or_create(
            **key,
            effective_from=_date(r["effective_from"]),
            defaults={
                k: r[k] for k in ("days", "day_type", "source", "confidence", "note", "max_times")
            },
        )
        report.add("time limit rules (new)" if created else "time limit rules (kept)")
