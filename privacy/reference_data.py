"""Load the retention periods shipped in ``privacy/data/retention.json``; rows are matched on
their kind and start date and updated in place (``gov.reference_data`` calls this)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .models import RetentionRule

DATA = Path(__file__).resolve().parent / "data" / "retention.json"


def reference_data_load(report: object) -> None:
    for row in json.loads(DATA.read_text(encoding="utf-8"))["rules"]:
        RetentionRule.objects.update_or_create(
            record_kind=row["record_kind"],
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            defaults={
                "years": row["years"],
                "counted_from": row["counted_from"],
                "source": row["source"],
                "confidence": row["confidence"],
            },
        )
        report.add("retention periods")
