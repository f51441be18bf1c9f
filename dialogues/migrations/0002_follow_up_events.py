"""Follow-up events, and the histories of the records made before them: one event per date
each record holds (planned, announced, held, published; opened, started, concluded; asked,
answered; assigned, replied), marked ``backfilled`` and timed at noon of that day, since
only the day is known."""

import django.db.models.deletion
from django.conf import settings
import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

NOON = dt.time(12)


def _at(day, zone):
    return dt.datetime.combine(day, NOON, tzinfo=zone)


def backfill(apps, schema_editor):
    """Histories from the dates the records hold. ``at`` is written after the insert: the
    field is filled with the present time on insert."""
    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    Event = apps.get_model("dialogues", "FollowUpEvent")
    Dialogue = apps.get_model("dialogues", "Dialogue")
    MediationCase = apps.get_model("dialogues", "MediationCase")
    Question = apps.get_model("dialogues", "Question")
    VoterRecommendation = apps.get_model("dialogues", "VoterRecommendation")
    rows = []  # (event, when)

    def add(when, **fields):
        data = {"backfilled": True}
        if "announced_on" in fields:
            data["announced_on"] = fields.pop("announced_on")
        rows.append((Event(data=data, **fields), when))

    for d in Dialogue.objects.iterator():
        # Announced on or before the day it was recorded: given with the plan, as the plan's
        # event holds it when a dialogue is planned today with an announcement date.
        announced = d.announced_on
        with_plan = announced is not None and announced <= d.created_at.astimezone(zone).date()
        extra = {"announced_on": announced.isoformat()} if with_plan else {}
        add(d.created_at, dialogue=d, kind="planned", actor_id=d.created_by_id, **extra)
        if announced is not None and not with_plan:
            add(_at(announced, zone), dialogue=d, kind="announced")
        if d.state == "held":
            add(_at(d.date, zone), dialogue=d, kind="held")
        if d.state == "cancelled":
            add(_at(d.date, zone), dialogue=d, kind="cancelled", note=d.minutes)
        if d.results_published_on:
            add(_at(d.results_published_on, zone), dialogue=d, kind="results_published")
    for c in MediationCase.objects.iterator():
        add(_at(c.assigned_on, zone), mediation_case=c, kind="opened", actor_id=c.recorded_by_id)
        if c.started_on:
            add(_at(c.started_on, zone), mediation_case=c, kind="started")
        if c.outcome != "pending" and c.outcome_on:
            add(_at(c.outcome_on, zone), mediation_case=c, kind="concluded", note=c.agreement_terms)
        if c.follow_up:
            add(
                _at(c.outcome_on or c.assigned_on, zone),
                mediation_case=c,
                kind="followed_up",
                note=c.follow_up,
            )
    for q in Question.objects.iterator():
        add(_at(q.asked_on, zone), question=q, kind="asked", actor_id=q.created_by_id)
        if q.answered_on:
            add(_at(q.answered_on, zone), question=q, kind="answered")
    for r in VoterRecommendation.objects.iterator():
        add(_at(r.assigned_on, zone), voter_recommendation=r, kind="assigned")
        if r.replied_on:
            add(_at(r.replied_on, zone), voter_recommendation=r, kind="replied")
    Event.objects.bulk_create([event for event, _when in rows], batch_size=1000)
    for event, when in rows:
        Event.objects.filter(pk=event.pk).update(at=when)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FollowUpEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("planned", "Dialogue planned"),
                            ("announced", "Dialogue announced"),
                            ("held", "Dialogue held: minutes recorded"),
                            ("results_published", "Results published"),
                            ("cancelled", "Dialogue cancelled"),
                            ("opened", "Mediation case opened"),
                            ("started", "Mediation started"),
                            ("concluded", "Outcome recorded"),
                            ("followed_up", "Agreement followed up"),
                            ("asked", "Question asked"),
                            ("answered", "Question answered"),
                            ("assigned", "Recommendation assigned"),
                            ("replied", "Recommendation answered"),
                        ],
                        max_length=30,
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("note", models.TextField(blank=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "dialogue",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="dialogues.dialogue",
                    ),
                ),
                (
                    "mediation_case",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="dialogues.mediationcase",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="dialogues.question",
                    ),
                ),
                (
                    "voter_recommendation",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="dialogues.voterrecommendation",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up event",
                "verbose_name_plural": "follow-up events",
                "ordering": ["at", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("dialogue__isnull", False)),
                        fields=["dialogue"],
                        name="followup_dialogue",
                    ),
                    models.Index(
                        condition=models.Q(("mediation_case__isnull", False)),
                        fields=["mediation_case"],
                        name="followup_mediation_case",
                    ),
                    models.Index(
                        condition=models.Q(("question__isnull", False)),
                        fields=["question"],
                        name="followup_question",
                    ),
                    models.Index(
                        condition=models.Q(("voter_recommendation__isnull", False)),
                        fields=["voter_recommendation"],
                        name="followup_voter_recommendation",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("dialogue__isnull", False),
                                ("mediation_case__isnull", True),
                                ("question__isnull", True),
                                ("voter_recommendation__isnull", True),
                            ),
                            models.Q(
                                ("dialogue__isnull", True),
                                ("mediation_case__isnull", False),
                                ("question__isnull", True),
                                ("voter_recommendation__isnull", True),
                            ),
                            models.Q(
                                ("dialogue__isnull", True),
                                ("mediation_case__isnull", True),
                                ("question__isnull", False),
                                ("voter_recommendation__isnull", True),
                            ),
                            models.Q(
                                ("dialogue__isnull", True),
                                ("mediation_case__isnull", True),
                                ("question__isnull", True),
                                ("voter_recommendation__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="followup_one_subject",
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
