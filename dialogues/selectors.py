"""Reads of accountability: commitments with their status, dialogues, mediation, council."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import PetitionItem
from gov.db import in_vietnamese_order
from gov.models import AdministrativeUnit, Agency, User
from gov.scoping import scoped

from .models import (
    Commitment,
    CouncilSession,
    Dialogue,
    FollowUpEvent,
    MediationCase,
    MediationTeam,
    Mediator,
    Question,
    VoterRecommendation,
)
from .models.dialogues import RESULTS_OWED
from .models.history import SUBJECTS

# The sector of civil disputes between citizens (gov reference data): what grassroots mediation
# is for, and what should not reach the administration as petitions.
CIVIL_DISPUTE_SECTOR = "tranh-chap-dan-su"

STATUS_LABELS = {
    "on_track": gettext_lazy("On track"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "kept": gettext_lazy("Kept"),
    "not_kept": gettext_lazy("Not kept"),
}


def with_status(qs: QuerySet[Commitment], *, today: dt.date | None = None) -> QuerySet[Commitment]:
    """Annotate ``status``: kept, not kept, overdue, due soon or on track, computed by the
    database from the deadline and today, so a promise that passes its deadline is overdue
    at once, with no job to run."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.PORTAL_COMMITMENT_DUE_SOON_DAYS)
    return qs.annotate(
        status=Case(
            When(state=Commitment.State.KEPT, then=Value("kept")),
            When(state=Commitment.State.NOT_KEPT, then=Value("not_kept")),
            When(deadline__lt=today, then=Value("overdue")),
            When(deadline__lte=soon, then=Value("due_soon")),
            default=Value("on_track"),
            output_field=CharField(),
        )
    )


def commitments_for(user: User, *, today: dt.date | None = None) -> QuerySet[Commitment]:
    return with_status(scoped(user, Commitment.objects.all()), today=today).select_related(
        "owner_agency",
        "dialogue",
        "question__session",
        "resolution",
        "voter_recommendation",
        "reception_session",
    )


def public_commitments(*, today: dt.date | None = None) -> QuerySet[Commitment]:
    return with_status(Commitment.objects.filter(is_public=True), today=today).select_related(
        "owner_agency"
    )


def status_counts(qs: QuerySet[Commitment]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def promises_from_previous_session(
    session: CouncilSession, *, today: dt.date | None = None
) -> QuerySet[Commitment]:
    """What the council's next session reviews: the promises made in answers and resolutions
    of the session before this one."""
    previous = (
        CouncilSession.objects.filter(council=session.council, start_date__lt=session.start_date)
        .order_by("-start_date")
        .first()
    )
    if previous is None:
        return Commitment.objects.none()
    return with_status(
        Commitment.objects.filter(Q(question__session=previous) | Q(resolution__session=previous)),
        today=today,
    ).select_related("owner_agency", "question")


def public_dialogues(*, today: dt.date | None = None) -> dict[str, QuerySet[Dialogue]]:
    today = today or timezone.localdate()
    base = Dialogue.objects.select_related("agency", "unit")
    return {
        "upcoming": base.filter(
            state=Dialogue.State.PLANNED,
            date__gte=today,
            announced_on__isnull=False,
            announced_on__lte=today,
        ).order_by("date"),
        "results": base.filter(
            state=Dialogue.State.HELD, results_published_on__isnull=False
        ).order_by("-date")[:50],
    }


def dialogues_for(user: User) -> QuerySet[Dialogue]:
    return scoped(user, Dialogue.objects.all()).select_related("agency", "unit")


def team_warnings(team: MediationTeam, members: list[Mediator] | None = None) -> list[str]:
    """Luật Hòa giải ở cơ sở Art. 12: at least 3 mediators, a woman among them, and in an
    ethnic-minority area a member of an ethnic minority."""
    members = [m for m in (members if members is not None else team.members.all()) if m.is_active]
    warnings = []
    if len(members) < 3:
        warnings.append(_("Fewer than 3 mediators (Luật Hòa giải ở cơ sở Art. 12)."))
    if not any(m.gender == Mediator.Gender.FEMALE for m in members):
        warnings.append(_("No woman among the mediators (Art. 12)."))
    unit = team.unit
    minority_area = unit.is_ethnic_minority_area or bool(
        unit.parent_id and unit.parent.is_ethnic_minority_area
    )
    if minority_area and not any(m.is_ethnic_minority for m in members):
        warnings.append(_("No ethnic-minority mediator in an ethnic-minority area (Art. 12)."))
    return warnings


def teams_for(user: User) -> QuerySet[MediationTeam]:
    return (
        scoped(user, MediationTeam.objects.all())
        .select_related("unit", "unit__parent")
        .prefetch_related("members")
    )


def mediations_for(user: User) -> QuerySet[MediationCase]:
    return scoped(user, MediationCase.objects.all()).select_related(
        "team", "team__unit", "mediator", "source_item__petition"
    )


@dataclass
class GrassrootsRow:
    unit: AdministrativeUnit
    mediations: int
    settled: int
    not_settled: int
    pending: int
    escalated_petitions: int  # civil disputes that reached the administration as petitions

    @property
    def resolved_share(self) -> float | None:
        total = self.settled + self.escalated_petitions
        return None if total == 0 else self.settled / total


def grassroots_results(user: User, *, start: dt.date, end: dt.date) -> list[GrassrootsRow]:
    """Per commune: disputes settled at the grassroots (successful mediations) against those
    that went up as petitions (civil-dispute petitions, and failed mediations of a petition):
    the plan's headline aim. Four queries, whatever the number of petitions."""
    communes = scoped(
        user,
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True
        ),
    )
    communes = list(communes.order_by(in_vietnamese_order("name")))
    by_code = {c.code: c for c in communes}
    stats: dict[str, dict[str, int]] = {
        c.code: {"n": 0, "ok": 0, "ko": 0, "pending": 0, "up": 0} for c in communes
    }
    cases = MediationCase.objects.filter(assigned_on__gte=start, assigned_on__lte=end).values_list(
        "team__unit__path", "outcome"
    )
    for path, outcome in cases:
        code = _commune_code(path, by_code)
        if code:
            s = stats[code]
            s["n"] += 1
            s["ok" if outcome == "successful" else "pending" if outcome == "pending" else "ko"] += 1
    # Civil disputes that reached the administration as petitions and were not settled by
    # mediation, plus petitions of any other sector whose mediation failed: two grouped
    # queries on the items' commune and date received (index item_sector_received).
    ids = {c.pk: c.code for c in communes}
    received = PetitionItem.objects.filter(
        received_on__gte=start,
        received_on__lte=end,
        transferred_from__isnull=True,
        place_commune__in=list(ids),
    ).exclude(filing_ground="mediated")
    civil = Q(sector__code=CIVIL_DISPUTE_SECTOR)
    failed = received.exclude(civil).filter(mediations__outcome__in=["unsuccessful", "ended"])
    for qs, count in (
        (received.filter(civil), Count("*")),  # COUNT(*): from the index alone
        (failed, Count("pk", distinct=True)),  # an item may have had more than one mediation
    ):
        for row in qs.order_by().values("place_commune").annotate(n=count):
            stats[ids[row["place_commune"]]]["up"] += row["n"]
    return [
        GrassrootsRow(
            unit=by_code[code],
            mediations=s["n"],
            settled=s["ok"],
            not_settled=s["ko"],
            pending=s["pending"],
            escalated_petitions=s["up"],
        )
        for code, s in stats.items()
    ]


def _commune_code(path: str, by_code: dict[str, AdministrativeUnit]) -> str | None:
    parts = path.strip("/").split("/")
    return next((p for p in parts if p in by_code), None)


def questions_for(user: User) -> QuerySet[Question]:
    return scoped(user, Question.objects.all()).select_related(
        "session", "session__council", "asked_agency"
    )


def voter_recommendations_for(user: User) -> QuerySet[VoterRecommendation]:
    return scoped(user, VoterRecommendation.objects.all()).select_related(
        "meeting", "assigned_agency", "sector"
    )


def overdue_questions(
    qs: QuerySet[Question], *, today: dt.date | None = None
) -> QuerySet[Question]:
    today = today or timezone.localdate()
    return qs.filter(state=Question.State.ASKED, answer_due_on__lt=today)


def communes_without_dialogue(user: User, *, year: int) -> QuerySet[AdministrativeUnit]:
    """The current communes and wards in ``user``'s scope whose People's Committee has held
    fewer dialogues in ``year`` than ``PORTAL_COMMUNE_DIALOGUES_PER_YEAR``: a commune dialogue
    conference at least once a year (Law 72/2025/QH15 Art. 43, Quy chế 06-QC/TU; known from
    secondary sources, so a setting with that default)."""
    held = Count(
        "agencies__dialogues",
        filter=Q(
            agencies__kind=Agency.Kind.PEOPLES_COMMITTEE,
            agencies__dialogues__state=Dialogue.State.HELD,
            agencies__dialogues__date__year=year,
        ),
    )
    communes = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, valid_to__isnull=True
    )
    return (
        scoped(user, communes)
        .annotate(held=held)
        .filter(held__lt=settings.PORTAL_COMMUNE_DIALOGUES_PER_YEAR)
        .order_by(in_vietnamese_order("name"))
    )


def results_overdue(qs: QuerySet[Dialogue], *, today: dt.date | None = None) -> QuerySet[Dialogue]:
    """Dialogues held whose results are not published by their due day (Law 72/2025 Art. 43)."""
    today = today or timezone.localdate()
    return qs.filter(RESULTS_OWED, results_due_on__lt=today)


def overdue_voter_recommendations(
    qs: QuerySet[VoterRecommendation], *, today: dt.date | None = None
) -> QuerySet[VoterRecommendation]:
    today = today or timezone.localdate()
    return qs.filter(replied_on__isnull=True, reply_due_on__lt=today)


def status_labels() -> dict[str, str]:
    """``STATUS_LABELS`` in the language of the current request. ``STATUS_LABELS`` is built with
    ``gettext`` when the module is imported, so it keeps the language of that moment; pages
    read the labels through here until it is made lazy."""
    return {
        "on_track": _("On track"),
        "due_soon": _("Due soon"),
        "overdue": _("Overdue"),
        "kept": _("Kept"),
        "not_kept": _("Not kept"),
    }


# The events of each record of a list, oldest first, in one query.
HISTORY = Prefetch(
    "events", queryset=FollowUpEvent.objects.select_related("actor").order_by("at", "id")
)


def history(subject: Dialogue | MediationCase | Question | VoterRecommendation) -> list:
    """The events of a record the caller has already found in the user's scope, oldest first."""
    return list(
        FollowUpEvent.objects.filter(**{SUBJECTS[type(subject)]: subject})
        .select_related("actor")
        .order_by("at", "id")
    )
