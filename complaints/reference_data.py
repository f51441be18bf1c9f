"""Default routing rules (``data/routing_rules.json``), loaded with the reference data."""

from __future__ import annotations

import json
from pathlib import Path

from gov.models import Agency, Sector
from gov.reference_data import LoadReport

from .models import RoutingRule

DATA = Path(__file__).resolve().parent / "data" / "routing_rules.json"


def reference_data_load(report: LoadReport) -> None:
    """Add the shipped rules that are missing; rows an administrator edited stay as they are."""
    sectors = {s.code: s for s in Sector.objects.all()}
    agencies = {a.code: a for a in Agency.objects.filter(valid_to__isnull=True)}
    for r in json.loads(DATA.read_text(encoding="utf-8"))["rules"]:
        _, created = RoutingRule.objects.get_or_create(
            unit_level=r["unit_level"],
            target=r["target"],
            kind=r["kind"],
            sector=sectors.get(r["sector"]) if r["sector"] else None,
            agency=agencies.get(r["agency"]) if r["agency"] else None,
            agency_kind=r["agency_kind"],
            defaults={"priority": r["priority"], "note": r["note"], "source": r["source"]},
        )
        report.add("routing rules (new)" if created else "routing rules (kept)")
