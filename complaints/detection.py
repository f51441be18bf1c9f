"""Duplicates, mass complaints and hotspots, caught at intake.

- A petition from the same submitter with similar content is suggested as a duplicate; the
  officer decides (``item_link_duplicate``).
- A group petition of 5 or more people is a mass complaint (khiếu kiện đông người).
- 5 or more petitions of similar content about one place within 30 days form a cluster: each
  is flagged as a mass complaint and the unit's leaders get a hotspot alert (điểm nóng).

Only petitions whose senders are known count: an officer recorded them (counter, post,
reception session, transfer) or their sender confirmed a contact (``Petition.sender_known``),
and the people are told apart by their submitter key. Anyone can type five invented names into
the online form; such petitions are counted beside a cluster ("and N unverified online
petitions"), never in it, until their senders confirm.

Similarity compares folded words, so "đất" matches "dat". Candidates are narrowed by indexed
columns first (same submitter key; same unit and sector within the window), so detection stays
cheap however many petitions the portal holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext_lazy

from gov.crypto import pseudonym
from gov.models import AdministrativeUnit
from gov.notifications import notification_send
from gov.services import leaders_of_unit
from gov.text import fold_diacritics, similarity, word_set

from . import events, fast
from .models import Hotspot, Petition, PetitionItem, Status

CANDIDATE_LIMIT = 500
# A mass complaint is decided on the most recent similar-sized items of one commune, sector and
# window: enough to find its five senders; older members were flagged when they were recent.
MASS_CANDIDATE_LIMIT = 100


def submitter_key_basis(
    *, id_number: str = "", phone: str = "", full_name: str = "", unit_id: int | None = None
) -> str:
    """What identifies "the same submitter": the ID number, else the phone, else name + unit."""
    digits = "".join(c for c in id_number if c.isalnum()).upper()
    phone_digits = "".join(c for c in phone if c.isdigit())[-9:]
    if digits:
        return f"id:{digits}"
    if len(phone_digits) >= 8:
        return f"phone:{phone_digits}"
    if full_name.strip():
        return f"name:{' '.join(fold_diacritics(full_name).split())}:{unit_id}"
    return ""


def submitter_key(
    *, id_number: str = "", phone: str = "", full_name: str = "", unit_id: int | None = None
) -> str:
    """A stable key for "the same submitter", keyed (HMAC under ``PORTAL_PSEUDONYM_KEY``,
    ``gov.crypto.pseudonym``): a plain hash of an ID number is reversed by hashing every
    possible number, in under a second."""
    basis = submitter_key_basis(
        id_number=id_number, phone=phone, full_name=full_name, unit_id=unit_id
    )
    return pseudonym(basis) if basis else ""


def item_words(item: PetitionItem) -> frozenset[str]:
    """The folded words of an item's summary and its petition's content."""
    return word_set(f"{item.summary} {item.petition.content}")


def set_words(item: PetitionItem) -> None:
    """Store the item's word set (``words``, ``word_count``) for later comparisons."""
    words = sorted(item_words(item))
    item.words, item.word_count = " ".join(words), len(words)


def _words(item: PetitionItem) -> frozenset[str]:
    return frozenset(item.words.split()) if item.word_count else item_words(item)


def _size_bounds(n: int, threshold: float) -> tuple[int, int]:
    """The word counts that allow a Jaccard similarity of ``threshold`` with a set of ``n``
    words (|A ∩ B| / |A ∪ B| ≤ min/max of the sizes). Items whose words were never stored
    (count 0) are read too."""
    if n == 0 or threshold <= 0:
        return 0, 2**31 - 1
    return math.ceil(n * threshold), math.floor(n / threshold)


@dataclass(frozen=True)
class Candidate:
    """An earlier item, read as plain values: comparing builds no model instance."""

    pk: int | None
    petition_id: int | None
    submitter_key: str
    received_on: dt.date
    is_mass: bool
    known: bool  # the sender is known (Petition.sender_known): the item counts
    words: frozenset[str]
    label: str = ""  # "code/number", as the item prints (read for duplicates only)


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _similar(
    rows: list[tuple], words: frozenset[str], threshold: float
) -> Iterator[tuple[float, Candidate]]:
    """The candidate rows whose words are at least ``threshold`` similar to ``words``, with
    their similarity. Stored word sets are compared; the texts are read only for the few
    items stored before words were (a second query)."""
    unstored = [row[0] for row in rows if not row[6]]
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
    for pk, petition_id, key, received_on, is_mass, known, count, stored, code, number in rows:
        other = frozenset(stored.split()) if count else texts.get(pk, frozenset())
        score = similarity(words, other)
        if score >= threshold:
            candidate = Candidate(
                pk,
                petition_id,
                key,
                _date(received_on),
                bool(is_mass),
                bool(known),
                other,
                f"{code}/{number}" if code else "",
            )
            yield score, candidate


@dataclass
class Finding:
    """What detection read about a new item before it is written: the earlier item it may
    duplicate, and the cluster of similar items it may complete into a mass complaint."""

    duplicate: Candidate | None = None
    duplicate_score: float = 0.0
    group_size: int = 0  # a group petition large enough to be a mass complaint by itself
    cluster: list[Candidate] = field(default_factory=list)  # the item first
    people: int = 0  # distinct known senders of the cluster
    unverified: int = 0  # petitions of the cluster whose senders are not known

    @property
    def counts(self) -> bool:
        """The item's own sender is known: it may complete a cluster."""
        return bool(self.cluster) and self.cluster[0].known

    @property
    def enough_people(self) -> bool:
        return self.people >= settings.PORTAL_MASS_MIN_PETITIONS

    @property
    def completes_cluster(self) -> bool:
        """Enough known people sent similar petitions, this one among them: earlier items to
        flag, a hotspot to raise."""
        return self.counts and self.enough_people

    @property
    def beside_cluster(self) -> bool:
        """An unverified petition similar to a cluster that is complete: the open hotspot's
        count of unverified petitions beside it is updated, nothing is flagged."""
        return not self.counts and self.enough_people

    @property
    def is_mass(self) -> bool:
        return bool(self.group_size) or self.completes_cluster

    @functools.cached_property
    def cluster_note(self) -> str:
        """The mass-complaint flag's note, worded once for the item and the earlier ones."""
        note = events.official(
            gettext_lazy(
                "%(n)s similar petitions from %(people)s senders about one place within"
                " %(days)s days."
            ),
            n=sum(c.known for c in self.cluster),
            people=self.people,
            days=settings.PORTAL_MASS_WINDOW_DAYS,
        )
        if self.unverified:
            beside = events.official(_beside_wording(self.unverified), n=self.unverified)
            note = f"{note} ({beside})"
        return note


def _beside_wording(n: int) -> str:
    """What is shown beside a count of petitions: "and N unverified online petitions"."""
    return ngettext_lazy(
        "and %(n)s unverified online petition", "and %(n)s unverified online petitions", n
    )


def unverified_beside(n: int) -> str:
    """The wording beside a count, in the reader's language; empty for none."""
    return str(_beside_wording(n)) % {"n": n} if n else ""


def examine(item: PetitionItem) -> Finding:
    """Read what detection needs about ``item`` (unsaved; its petition may be unsaved too):
    one indexed query (both candidate reads in one round trip), nothing written."""
    finding = Finding()
    petition = item.petition
    if (
        petition.submitter_type == Petition.SubmitterType.GROUP
        and petition.group_size >= settings.PORTAL_MASS_MIN_PEOPLE
        and petition.sender_known
    ):
        finding.group_size = petition.group_size
    near, similar = fast.candidates(_duplicate_params(item), _cluster_params(item))
    finding.duplicate, finding.duplicate_score = _best_duplicate(item, near)
    finding.cluster = similar_cluster(item, similar)
    finding.people = distinct_submitters(finding.cluster)
    finding.unverified = sum(not c.known for c in finding.cluster)
    return finding


def mark(item: PetitionItem, finding: Finding) -> None:
    """Set what ``finding`` decides on the unsaved ``item`` and its petition, so that they are
    written with it: the suspected duplicate and the mass-complaint flag."""
    if finding.duplicate is not None:
        item.suspected_duplicate_of_id = finding.duplicate.pk
    if finding.is_mass:
        item.is_mass = item.petition.is_mass = True


def record_flags(item: PetitionItem, finding: Finding) -> None:
    """The flag events of ``item`` (a suspected duplicate, a mass complaint), recorded with
    its other events; the item need not be written yet."""
    if finding.duplicate is not None:
        events.flagged(
            item,
            flag="duplicate",
            note=events.official(
                gettext_lazy("Possible duplicate of %(other)s (similarity %(score)s%%)."),
                other=finding.duplicate.label,
                score=round(finding.duplicate_score * 100),
            ),
            data={"other": finding.duplicate.pk, "score": round(finding.duplicate_score, 3)},
        )
    if finding.group_size:
        events.flagged(
            item,
            flag="mass",
            note=events.official(
                gettext_lazy("Group petition of %(n)s people."), n=finding.group_size
            ),
        )
    if finding.completes_cluster and not finding.group_size:
        events.flagged(item, flag="mass", note=finding.cluster_note)


def recount(item: PetitionItem) -> None:
    """After the sender of ``item``'s (saved) petition became known: what intake decided
    without counting it, decided again (the mass-complaint flag, the cluster it may complete
    and the hotspot it may raise or grow)."""
    finding = examine(item)
    finding.duplicate = None  # suggested at intake already, if at all
    if finding.is_mass and not item.is_mass:
        item.is_mass = True
        item.save(update_fields=["is_mass"])
        Petition.objects.filter(pk=item.petition_id, is_mass=False).update(is_mass=True)
        with events.batch():
            record_flags(item, finding)
    if finding.enough_people:
        with events.batch():
            record_cluster(item, finding)


def record_cluster(item: PetitionItem, finding: Finding) -> None:
    """After ``item`` is written, if it completes a cluster of similar petitions: the earlier
    items of the cluster (whose senders are known) flagged as a mass complaint, and the hotspot
    raised or grown; if it is an unverified petition beside such a cluster, the open hotspot's
    count of unverified petitions."""
    if finding.beside_cluster:
        _count_unverified(
            finding.unverified, sector_id=item.sector_id, unit_id=item.place_commune_id
        )
    if not finding.completes_cluster:
        return
    known = [dataclasses.replace(finding.cluster[0], pk=item.pk)]
    known += [c for c in finding.cluster[1:] if c.known]
    _flag_mass([c.pk for c in known[1:] if not c.is_mass], note=finding.cluster_note)
    _raise_hotspot(
        known,
        sector_id=item.sector_id,
        unit_id=item.place_commune_id,
        unverified=finding.unverified,
    )


def _duplicate_params(item: PetitionItem) -> list[object] | None:
    """The duplicate read's parameters, or None when the petition has no submitter key."""
    key = item.petition.submitter_key
    if not key:
        return None
    low, high = _size_bounds(len(_words(item)), settings.PORTAL_DUPLICATE_SIMILARITY)
    return [key, item.kind, Status.TRANSFERRED, item.petition_id or 0, low, high, CANDIDATE_LIMIT]


def _best_duplicate(item: PetitionItem, rows: list[tuple]) -> tuple[Candidate | None, float]:
    """Of the same submitter's earlier items (``rows``, newest first), the most similar, if
    similar enough, and its score."""
    best, best_score = None, 0.0
    for score, other in _similar(rows, _words(item), settings.PORTAL_DUPLICATE_SIMILARITY):
        if score > best_score:
            best, best_score = other, score
    return best, best_score


def commune_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The commune or ward of a unit (a village's parent): where hotspots are raised."""
    return (
        unit.parent if unit.level == AdministrativeUnit.Level.VILLAGE and unit.parent_id else unit
    )


def _cluster_params(item: PetitionItem) -> list[object]:
    """The mass-complaint read's parameters: items about the same commune and sector,
    received within the window, of a size that allows similarity. Read from one index (place
    commune, sector, date received): items transferred in are the same petition again and
    are left out."""
    window = dt.timedelta(days=settings.PORTAL_MASS_WINDOW_DAYS)
    adapt = connection.ops.adapt_datefield_value
    return [
        item.sector_id,
        adapt(item.received_on - window),
        adapt(item.received_on + window),
        item.place_commune_id,  # set with the item (complaints.services.intake._item_build)
        item.pk or 0,
        *_size_bounds(len(_words(item)), settings.PORTAL_MASS_SIMILARITY),
        max(MASS_CANDIDATE_LIMIT, 10 * settings.PORTAL_MASS_MIN_PETITIONS),
    ]


def similar_cluster(item: PetitionItem, rows: list[tuple]) -> list[Candidate]:
    """``item`` first, then the rows of the mass-complaint read with similar content."""
    petition = item.petition
    words = _words(item)
    cluster = [
        Candidate(
            item.pk,
            item.petition_id,
            petition.submitter_key,
            petition.received_on,
            False,
            petition.sender_known,
            words,
        )
    ]
    cluster += [c for _score, c in _similar(rows, words, settings.PORTAL_MASS_SIMILARITY)]
    return cluster


def distinct_submitters(cluster: list[Candidate]) -> int:
    """How many different known people sent the cluster: one person repeating a petition makes
    duplicates, not a mass complaint, and unverified online petitions are not counted. Known
    petitions without a submitter key (anonymous at the counter) count once each."""
    keys = {c.submitter_key or f"petition:{c.petition_id or 'new'}" for c in cluster if c.known}
    return len(keys)


def _flag_mass(pks: list[int], *, note: str) -> None:
    """Flag the earlier items ``pks`` (and their petitions) as a mass complaint, with an event
    on each item flagged now; items flagged already are left as they are."""
    if not pks:
        return
    for pk, petition_id, status in fast.flag_mass(pks):
        item = PetitionItem(pk=pk, petition_id=petition_id, status=status, is_mass=True)
        events.flagged(item, flag="mass", note=note)


def _count_unverified(n: int, *, sector_id: int, unit_id: int) -> None:
    """The unverified petitions beside the open hotspot of the commune and sector, as counted
    now (none open: nothing to do)."""
    Hotspot.objects.filter(unit_id=unit_id, sector_id=sector_id, state=Hotspot.State.OPEN).update(
        unverified=n
    )


def _raise_hotspot(
    cluster: list[Candidate], *, sector_id: int, unit_id: int, unverified: int
) -> None:
    """Open the hotspot of the commune and sector, or grow the open one, with the cluster's
    items (``unverified``: the similar petitions of unknown senders beside them, as counted
    now). The open hotspot's row is locked first, so that two submissions joining it at once
    count their items one after the other."""
    dates = [c.received_on for c in cluster]
    pks = [c.pk for c in cluster if c.pk is not None]
    if fast.join_open_hotspot(
        unit_id=unit_id, sector_id=sector_id, item_pks=pks, dates=dates, unverified=unverified
    ):
        return
    row = fast.open_hotspot_locked(unit_id=unit_id, sector_id=sector_id)
    if row is None:
        hotspot = Hotspot.objects.create(
            unit_id=unit_id,
            sector_id=sector_id,
            first_received_on=min(dates),
            last_received_on=max(dates),
            unverified=unverified,
        )
        transaction.on_commit(lambda: _alert_leaders(hotspot.pk))
        row = (hotspot.pk, hotspot.first_received_on, hotspot.last_received_on)
    pk, first, last = row
    fast.hotspot_grow(
        pk,
        item_pks=pks,
        first=min(_date(first), *dates),
        last=max(_date(last), *dates),
        unverified=unverified,
    )


def _alert_leaders(hotspot_id: int) -> None:
    hotspot = Hotspot.objects.select_related("unit", "sector").get(pk=hotspot_id)
    for leader in leaders_of_unit(hotspot.unit_id):
        notification_send(
            recipient=leader,
            kind="hotspot",
            dedupe_key=f"hotspot:{hotspot.pk}",
            title=hotspot_title(hotspot),
            url=reverse("complaints:inbox") + f"?mass=true&unit={hotspot.unit_id}",
        )


def hotspot_title(hotspot: Hotspot) -> str:
    """The alert's title: the similar petitions of known senders, and the unverified online
    ones beside them."""
    title = events.official(
        gettext_lazy("Hotspot alert: %(n)s similar petitions on %(sector)s in %(unit)s"),
        n=hotspot.size,
        sector=hotspot.sector.name,
        unit=str(hotspot.unit),
    )
    if hotspot.unverified:
        beside = events.official(_beside_wording(hotspot.unverified), n=hotspot.unverified)
        title = f"{title} ({beside})"
    return title
