"""Legal time limits as data: the rule in force on the case's start date."""

from __future__ import annotations

import datetime as dt

import pytest

from gov.models import TimeLimitRule
from gov.selectors import NoTimeLimitRule, deadline_for, time_limit_rule

pytestmark = pytest.mark.django_db
D = dt.date


def test_complaint_acceptance_changed_on_1_july_2026() -> None:
    before = time_limit_rule(kind="complaint", stage="acceptance", on=D(2026, 6, 30))
    after = time_limit_rule(kind="complaint", stage="acceptance", on=D(2026, 7, 1))
    assert (before.days, before.day_type) == (10, "working")
    assert (after.days, after.day_type) == (7, "working")
    assert "136/2025" in after.source


def test_remote_and_complex_variants_of_first_complaint_resolution() -> None:
    on = D(2025, 3, 1)
    days = {
        v: time_limit_rule(kind="complaint", stage="resolution", variant=v, on=on).days
        for v in ["normal", "complex", "remote", "remote_complex"]
    }
    assert days == {"normal": 30, "complex": 45, "remote": 45, "remote_complex": 60}


def test_a_variant_the_law_does_not_distinguish_falls_back_to_normal() -> None:
    rule = time_limit_rule(kind="complaint", stage="acceptance", variant="remote", on=D(2025, 3, 1))
    assert rule.variant == "normal"


def test_processing_falls_back_to_the_rule_for_any_petition() -> None:
    rule = time_limit_rule(kind="feedback", stage="processing", on=D(2025, 3, 1))
    assert (rule.kind, rule.days, rule.day_type) == ("any", 10, "working")
    # Denunciations have their own processing rule (Luật Tố cáo Art. 24).
    assert time_limit_rule(kind="denunciation", stage="processing", on=D(2025, 3, 1)).days == 7


def test_no_rule_before_the_law_existed() -> None:
    with pytest.raises(NoTimeLimitRule):
        time_limit_rule(kind="denunciation", stage="resolution", on=D(2010, 1, 1))


def test_deadline_counts_working_days_across_the_april_holidays() -> None:
    # Denunciation received Tue 29/4/2025: 7 working days → 5,6,7,8,9,12,13 May.
    d = deadline_for(kind="denunciation", stage="processing", start=D(2025, 4, 29))
    assert d.due == D(2025, 5, 13)
    assert d.rule.source.startswith("Luật Tố cáo")


def test_deadline_in_calendar_days_ends_on_a_working_day() -> None:
    # Complaint accepted 2/3/2025 (Sunday); 30 days → 1/4/2025 (Tuesday).
    assert deadline_for(kind="complaint", stage="resolution", start=D(2025, 3, 2)).due == D(
        2025, 4, 1
    )
    # Accepted 31/3/2025: 30 days → 30/4, a holiday, then 1/5, 2/5 and the weekend → 5/5.
    assert deadline_for(kind="complaint", stage="resolution", start=D(2025, 3, 31)).due == D(
        2025, 5, 5
    )


def test_an_administrator_can_add_a_rule_that_applies_from_its_date() -> None:
    TimeLimitRule.objects.create(
        kind="feedback",
        stage="resolution",
        variant="normal",
        days=12,
        day_type="working",
        effective_from=D(2027, 1, 1),
        source="Quyết định của UBND tỉnh (thử)",
        confidence="M",
    )
    assert time_limit_rule(kind="feedback", stage="resolution", on=D(2026, 12, 31)).days == 15
    assert time_limit_rule(kind="feedback", stage="resolution", on=D(2027, 1, 1)).days == 12


def test_denunciation_extension_limits() -> None:
    complex_ = time_limit_rule(
        kind="denunciation", stage="extension", variant="complex", on=D(2025, 1, 1)
    )
    special = time_limit_rule(
        kind="denunciation", stage="extension", variant="especially_complex", on=D(2025, 1, 1)
    )
    assert (complex_.days, complex_.max_times) == (30, 1)
    assert (special.days, special.max_times) == (30, 2)
