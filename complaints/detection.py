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
import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from gov.models import AdministrativeUnit
from gov.services import leaders_of_unit, notification_send
from gov.text import fold_diacritics, similarity, word_set

from . import events
from .models import Hotspot, Petition, PetitionItem, Status

CANDIDATE_LIMIT = 500
# A mass complaint is decided on the most recent similar-sized items of one commune, sector and
# window: enough to find its five senders; older members were flagged when they were recent.
MASS_CANDIDATE_LIMIT = 100


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


def item_words(item: PetitionItem) -> frozenset[str]:
    """The folded words of an item's summary and its petition's content."""
    return word_set(f"{item.summary} {item.petition.content}")


def set_words(item: PetitionItem) -> None:
    """Store the item's word set (``words``, ``word_count``) for later comparisons."""
    words = sorted(item_words(item))
    item.words, item.word_count = " ".join(words), len(words)


def _words(item: PetitionItem) -> frozenset[str]:
    return frozenset(item.words.split()) if item.word_count else item_words(item)


def _size_bounds(n: int, threshold: float) -> Q:
    """Items whose word count allows a Jaccard similarity of ``threshold`` with a set of ``n``
    words (|A ∩ B| / |A ∪ B| ≤ min/max of the sizes), or whose words were never stored."""
    if n == 0 or threshold <= 0:
        return Q()
    low, high = math.ceil(n * threshold), math.floor(n / threshold)
    return Q(word_count=0) | Q(word_count__gte=low, word_count__lte=high)


@dataclass(frozen=True)
class Candidate:
    """An earlier item, read as plain values: comparing builds no model instance."""

    pk: int
    petition_id: int
    submitter_key: str
    received_on: dt.date
    is_mass: bool
    words: frozenset[str]


CANDIDATE_FIELDS = (
    "pk",
    "petition_id",
    "petition__submitter_key",
    "received_on",
    "is_mass",
    "word_count",
    "words",
)


def _candidates(
    qs: models.QuerySet[PetitionItem], limit: int = CANDIDATE_LIMIT
) -> Iterator[Candidate]:
    """The first ``limit`` rows of ``qs`` as candidates. Their stored word sets are read;
    the texts only of the few items stored before words were (a second query)."""
    rows = list(qs.values_list(*CANDIDATE_FIELDS)[:limit])
    unstored = [row[0] for row in rows if not row[5]]
    texts = (
        {
            pk: word_set(f"{summary} {content}")
            for pk, summary, content in PetitionItem.objects.filter(pk__in=unstored).values_list(
                "pk", "summary", "petition__content"
            )
        }
        if unstored
        else {}
    )
    for pk, petition_id, key, received_on, is_mass, count, words in rows:
        yield Candidate(
            pk,
            petition_id,
            key,
            received_on,
            is_mass,
            frozenset(words.split()) if count else texts.get(pk, frozenset()),
        )


def suggest_duplicate(item: PetitionItem) -> PetitionItem | None:
    """The most similar earlier item of the same submitter, if similar enough."""
    key = item.petition.submitter_key
    if not key:
        return None
    words = _words(item)
    threshold = settings.PORTAL_DUPLICATE_SIMILARITY
    candidates = (
        PetitionItem.objects.filter(
            _size_bounds(len(words), threshold), petition__submitter_key=key, kind=item.kind
        )
        .exclude(petition_id=item.petition_id)
        .exclude(status__in=[Status.TRANSFERRED])
        .order_by("-received_on", "-id")
    )
    best, best_score = None, 0.0
    for other in _candidates(candidates):
        score = similarity(words, other.words)
        if score > best_score:
            best, best_score = other, score
    if best is not None and best_score >= threshold:
        original = PetitionItem.objects.select_related("petition").get(pk=best.pk)
        item.suspected_duplicate_of = original
        item.save(update_fields=["suspected_duplicate_of"])
        events.flagged(
            item,
            flag="duplicate",
            note=events.official(
                gettext_lazy("Possible duplicate of %(other)s (similarity %(score)s%%)."),
                other=str(original),
                score=round(best_score * 100),
            ),
            data={"other": original.pk, "score": round(best_score, 3)},
        )
        return original
    return None


def commune_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The commune or ward of a unit (a village's parent): where hotspots are raised."""
    return (
        unit.parent if unit.level == AdministrativeUnit.Level.VILLAGE and unit.parent_id else unit
    )


def similar_cluster(item: PetitionItem) -> list[Candidate]:
    """Items about the same commune and sector, received within the window, with similar
    content (``item`` included, first). Read from one index (place commune, sector, date
    received): items transferred in are the same petition again and are left out."""
    petition = item.petition
    window = dt.timedelta(days=settings.PORTAL_MASS_WINDOW_DAYS)
    words = _words(item)
    threshold = settings.PORTAL_MASS_SIMILARITY
    candidates = (
        PetitionItem.objects.filter(
            _size_bounds(len(words), threshold),
            place_commune_id=item.place_commune_id,  # set with the item (services._item_create)
            sector_id=item.sector_id,
            received_on__gte=item.received_on - window,
            received_on__lte=item.received_on + window,
            transferred_from__isnull=True,
        )
        .exclude(pk=item.pk)
        .order_by("-received_on")
    )
    cluster = [
        Candidate(
            item.pk, item.petition_id, petition.submitter_key, petition.received_on, False, words
        )
    ]
    cluster += [
        c
        for c in _candidates(
            candidates, max(MASS_CANDIDATE_LIMIT, 10 * settings.PORTAL_MASS_MIN_PETITIONS)
        )
        if similarity(words, c.words) >= threshold
    ]
    return cluster


def distinct_submitters(cluster: list[Candidate]) -> int:
    """How many different people sent the cluster: one person repeating a petition makes
    duplicates, not a mass complaint. Petitions without a submitter key count once each."""
    keys = {c.submitter_key or f"petition:{c.petition_id}" for c in cluster}
    return len(keys)


@transaction.atomic(savepoint=False)
def detect_mass(item: PetitionItem) -> Hotspot | None:
    """Flag ``item`` (and the earlier items of its cluster) as a mass complaint when it is one;
    ``item`` and its petition are updated in memory too."""
    petition = item.petition
    if (
        petition.submitter_type == Petition.SubmitterType.GROUP
        and petition.group_size >= settings.PORTAL_MASS_MIN_PEOPLE
    ):
        _flag_mass(
            [item.pk],
            current=item,
            note=events.official(
                gettext_lazy("Group petition of %(n)s people."), n=petition.group_size
            ),
        )
    cluster = similar_cluster(item)
    people = distinct_submitters(cluster)
    if people < settings.PORTAL_MASS_MIN_PETITIONS:
        return None
    _flag_mass(
        [c.pk for c in cluster if not c.is_mass],
        current=item,
        note=events.official(
            gettext_lazy(
                "%(n)s similar petitions from %(people)s senders about one place within %(days)s days."
            ),
            n=len(cluster),
            people=people,
            days=settings.PORTAL_MASS_WINDOW_DAYS,
        ),
    )
    return _raise_hotspot(cluster, sector_id=item.sector_id, unit_id=item.place_commune_id)


def _flag_mass(pks: list[int], *, current: PetitionItem, note: str) -> None:
    """Flag the items (and their petitions) as a mass complaint, with an event on each item
    flagged now; items flagged already are left as they are."""
    if current.pk in pks:
        current.is_mass = current.petition.is_mass = True
    items = list(PetitionItem.objects.filter(pk__in=pks, is_mass=False).select_related("petition"))
    if not items:
        return
    PetitionItem.objects.filter(pk__in=[it.pk for it in items]).update(is_mass=True)
    for it in items:
        it.is_mass = True
        events.flagged(it, flag="mass", note=note)
    Petition.objects.filter(pk__in={it.petition_id for it in items}, is_mass=False).update(
        is_mass=True
    )


def _raise_hotspot(cluster: list[Candidate], *, sector_id: int, unit_id: int) -> Hotspot:
    hotspot = (
        Hotspot.objects.select_for_update()
        .filter(unit_id=unit_id, sector_id=sector_id, state=Hotspot.State.OPEN)
        .first()
    )
    dates = [c.received_on for c in cluster]
    created = hotspot is None
    if created:
        hotspot = Hotspot.objects.create(
            unit_id=unit_id,
            sector_id=sector_id,
            first_received_on=min(dates),
            last_received_on=max(dates),
        )
    hotspot.items.add(*[c.pk for c in cluster])
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
