"""Reception frequency rules (``data/frequency_rules.json``), loaded with the reference data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gov.reference_data import LoadReport

from .models import FrequencyRule

DATA = Path(__file__).resolve().parent / "data" / "frequency_rules.json"


def reference_data_load(report: LoadReport) -> None:
    """Add the shipped rules that are missing; rows an administrator edited stay as they are."""
    for r in json.loads(DATA.read_text(encoding="utf-8"))["rules"]:
        _, created = FrequencyRule.objects.get_or_create(
            agency_kind=r["agency_kind"],
            unit_level=r["unit_level"],
            effective_from=dt.date.fromisoformat(r["effective_from"]),
            defaults={
                k: r[k] for k in ("days", "period", "delegation_allowed", "source", "confidence")
            },
        )
        report.add(
            "reception frequency rules (new)" if created else "reception frequency rules (kept)"
        )
