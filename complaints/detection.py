"""Duplicates, mass complaints and hotspots, caught at intake.

- A petition from the same submitter with similar content is suggested as a duplicate; the
  officer decides (``item_link_duplicate``).
- A group petition of 5 or more people is a mass complaint (khiếu kiện đông người).
- 5 or more petitions of similar content about one place within 30 days form a cluster: each
  is flagged as a mass complaint and the unit's leaders get a hotspot alert (điểm nóng).

Similarity compares folded words, so "đất" matches "dat". Candidates are narrowed by indexed
columns first (same submitter key; same unit and sector within the window), so detection stays
cheap however many petitions the portal holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from gov.models import AdministrativeUnit
from gov.services import leaders_of_unit, notification_send
from gov.text import fold_diacritics, similarity, word_set

from . import events
from .models import Hotspot, Petition, PetitionItem, Status

CANDIDATE_LIMIT = 500


def submitter_key(
    *, id_number: str = "", phone: str = "", full_name: str = "", unit_id: int | None = None
) -> str:
    """A stable key for "the same submitter": the ID number, else the phone, else name + unit."""
    digits = "".join(c for c in id_number if c.isalnum()).upper()
    phone_digits = "".join(c for c in phone if c.isdigit())[-9:]
    if digits:
        basis = f"id:{digits}"
    elif len(phone_digits) >= 8:
        basis = f"phone:{phone_digits}"
    elif full_name.strip():
        basis = f"name:{' '.join(fold_diacritics(full_name).split())}:{unit_id}"
    else:
        return ""
    return hashlib.sha256(basis.encode()).hexdigest()


def _text(item: PetitionItem) -> frozenset[str]:
    return word_set(f"{item.summary} {item.petition.content}")


def suggest_duplicate(item: PetitionItem) -> PetitionItem | None:
    """The most similar earlier item of the same submitter, if similar enough."""
    key = item.petition.submitter_key
    if not key:
        return None
    words = _text(item)
    candidates = (
        PetitionItem.objects.filter(petition__submitter_key=key, kind=item.kind)
        .exclude(petition_id=item.petition_id)
        .exclude(status__in=[Status.TRANSFERRED])
        .select_related("petition")
        .order_by("-petition__received_on", "-id")[:CANDIDATE_LIMIT]
    )
    best, best_score = None, 0.0
    for other in candidates:
        score = similarity(words, _text(other))
        if score > best_score:
            best, best_score = other, score
    if best is not None and best_score >= settings.PORTAL_DUPLICATE_SIMILARITY:
        item.suspected_duplicate_of = best
        item.save(update_fields=["suspected_duplicate_of"])
        events.flagged(
            item,
            flag="duplicate",
            note=events.official(
                gettext_lazy("Possible duplicate of %(other)s (similarity %(score)s%%)."),
                other=str(best),
                score=round(best_score * 100),
            ),
            data={"other": best.pk, "score": round(best_score, 3)},
        )
        return best
    return None


def commune_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The commune or ward of a unit (a village's parent): where hotspots are raised."""
    return (
        unit.parent if unit.level == AdministrativeUnit.Level.VILLAGE and unit.parent_id else unit
    )


def similar_cluster(item: PetitionItem) -> list[PetitionItem]:
    """Items about the same commune and sector, received within the window, with similar
    content (``item`` included)."""
    petition = item.petition
    commune = commune_of(petition.unit)
    window = dt.timedelta(days=settings.PORTAL_MASS_WINDOW_DAYS)
    words = _text(item)
    candidates = (
        PetitionItem.objects.filter(
            petition__unit__path__startswith=commune.path,
            sector_id=item.sector_id,
            petition__received_on__gte=petition.received_on - window,
            petition__received_on__lte=petition.received_on + window,
            transferred_from__isnull=True,
        )
        .exclude(pk=item.pk)
        .select_related("petition")
        .order_by("-petition__received_on")[:CANDIDATE_LIMIT]
    )
    cluster = [item]
    for other in candidates:
        if similarity(words, _text(other)) >= settings.PORTAL_MASS_SIMILARITY:
            cluster.append(other)
    return cluster


def distinct_submitters(cluster: list[PetitionItem]) -> int:
    """How many different people sent the cluster: one person repeating a petition makes
    duplicates, not a mass complaint. Petitions without a submitter key count once each."""
    keys = {it.petition.submitter_key or f"petition:{it.petition_id}" for it in cluster}
    return len(keys)


@transaction.atomic
def detect_mass(item: PetitionItem) -> Hotspot | None:
    petition = item.petition
    if (
        petition.submitter_type == Petition.SubmitterType.GROUP
        and petition.group_size >= settings.PORTAL_MASS_MIN_PEOPLE
    ):
        _flag_mass(
            [item],
            note=events.official(
                gettext_lazy("Group petition of %(n)s people."), n=petition.group_size
            ),
        )
    cluster = similar_cluster(item)
    people = distinct_submitters(cluster)
    if people < settings.PORTAL_MASS_MIN_PETITIONS:
        return None
    _flag_mass(
        cluster,
        note=events.official(
            gettext_lazy(
                "%(n)s similar petitions from %(people)s senders about one place within %(days)s days."
            ),
            n=len(cluster),
            people=people,
            days=settings.PORTAL_MASS_WINDOW_DAYS,
        ),
    )
    return _raise_hotspot(cluster, commune=commune_of(petition.unit))


def _flag_mass(items: list[PetitionItem], *, note: str) -> None:
    for it in items:
        if not it.is_mass:
            it.is_mass = True
            it.save(update_fields=["is_mass"])
            events.flagged(it, flag="mass", note=note)
    Petition.objects.filter(pk__in={it.petition_id for it in items}, is_mass=False).update(
        is_mass=True
    )


def _raise_hotspot(cluster: list[PetitionItem], *, commune: AdministrativeUnit) -> Hotspot:
    unit_id, sector_id = commune.pk, cluster[0].sector_id
    hotspot = (
        Hotspot.objects.select_for_update()
        .filter(unit_id=unit_id, sector_id=sector_id, state=Hotspot.State.OPEN)
        .first()
    )
    dates = [it.petition.received_on for it in cluster]
    created = hotspot is None
    if created:
        hotspot = Hotspot.objects.create(
            unit_id=unit_id,
            sector_id=sector_id,
            first_received_on=min(dates),
            last_received_on=max(dates),
        )
    hotspot.items.add(*cluster)
    hotspot.size = hotspot.items.count()
    hotspot.first_received_on = min(hotspot.first_received_on, *dates)
    hotspot.last_received_on = max(hotspot.last_received_on, *dates)
    hotspot.save(update_fields=["size", "first_received_on", "last_received_on"])
    if created:
        transaction.on_commit(lambda: _alert_leaders(hotspot.pk))
    return hotspot


def _alert_leaders(hotspot_id: int) -> None:
    hotspot = Hotspot.objects.select_related("unit", "sector").get(pk=hotspot_id)
    for leader in leaders_of_unit(hotspot.unit_id):
        notification_send(
            recipient=leader,
            kind="hotspot",
            dedupe_key=f"hotspot:{hotspot.pk}",
            title=events.official(
                gettext_lazy("Hotspot alert: %(n)s similar petitions on %(sector)s in %(unit)s"),
                n=hotspot.size,
                sector=hotspot.sector.name,
                unit=str(hotspot.unit),
            ),
            url=reverse("complaints:inbox") + f"?mass=true&unit={hotspot.unit_id}",
        )
