"""The petitions' SQL statements written for speed (the fence: ``gov.fast``): detection's two
candidate reads, the mass-complaint flags and the hotspot's growth, run at every submission.
Called from ``complaints.detection``, which decides what they read and write.

Each public function has two bodies that give the same result: the statements below, run on
PostgreSQL with the fast paths on (``gov.fast.enabled_for``), and a plain twin written with
Django's ORM, run on SQLite and with ``PORTAL_FAST_PATHS=false``. tests/complaints/
test_fast_twins.py runs both on the same rows and compares them.

What the statements buy (docs/performance.md, "What the fence buys"): the ORM's compilation
of these queries cost more than the queries themselves; on the 1M bench the submission's
p95 went from ~95 to ~60 ms with the candidate reads in one round trip and the hotspot grown
in one statement.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Q, Value
from django.db.models.options import Options

from complaints.models import Hotspot, Petition, PetitionItem
from gov.fast import enabled_for


# The two candidate reads and the hotspot's writes run at every submission: they are written in
# SQL (portable between PostgreSQL and SQLite) rather than built by the ORM, whose query
# compilation cost more than the queries themselves. Names come from the models' metadata.
@functools.cache
def statements() -> dict[str, str]:
    item, petition = PetitionItem._meta, Petition._meta
    through = Hotspot.items.through._meta

    def col(meta: Options, name: str) -> str:
        return connection.ops.quote_name(meta.get_field(name).column)

    i, p = connection.ops.quote_name(item.db_table), connection.ops.quote_name(petition.db_table)
    columns = (
        "i.{id}, i.{petition}, {key}, i.{received_on}, i.{is_mass}, i.{sender_known},"
        " i.{word_count}, i.{words}, {code}, i.{number}"
    )
    fields = (
        "id",
        "petition",
        "received_on",
        "is_mass",
        "sender_known",
        "word_count",
        "words",
        "number",
    )
    names = {f: col(item, f) for f in fields}
    sized = f"(i.{col(item, 'word_count')} = 0 OR i.{col(item, 'word_count')} BETWEEN %s AND %s)"
    # Earlier items of the same submitter and kind, newest first: the submitter key's index.
    duplicates = (
        "SELECT "
        + columns.format(
            **names, key=f"p.{col(petition, 'submitter_key')}", code=f"p.{col(petition, 'code')}"
        )
        + f" FROM {i} i INNER JOIN {p} p ON p.{col(petition, 'id')} = i.{col(item, 'petition')}"
        f" WHERE p.{col(petition, 'submitter_key')} = %s AND i.{col(item, 'kind')} = %s"
        f" AND i.{col(item, 'status')} <> %s AND i.{col(item, 'petition')} <> %s AND {sized}"
        f" ORDER BY i.{col(item, 'received_on')} DESC, i.{col(item, 'id')} DESC LIMIT %s"
    )
    # Items about one commune and sector within the window, from the items alone (each keeps
    # its petition's submitter key): the index item_sector_received.
    cluster = (
        "SELECT "
        + columns.format(**names, key=f"i.{col(item, 'submitter_key')}", code="NULL")
        + f" FROM {i} i WHERE i.{col(item, 'sector')} = %s"
        f" AND i.{col(item, 'received_on')} BETWEEN %s AND %s"
        f" AND i.{col(item, 'place_commune')} = %s AND i.{col(item, 'transferred_from')} IS NULL"
        f" AND i.{col(item, 'id')} <> %s AND {sized}"
        f" ORDER BY i.{col(item, 'received_on')} DESC LIMIT %s"
    )
    hotspot = Hotspot._meta
    h = connection.ops.quote_name(hotspot.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return {
        "cluster": cluster,
        # Both reads in one round trip, each with its own order and limit; the first column
        # says which read a row belongs to.
        "both": (
            f"SELECT 1 AS which, d.* FROM ({duplicates}) d"
            f" UNION ALL SELECT 2 AS which, c.* FROM ({cluster}) c"
        ),
        "hotspot_lock": (
            f"SELECT {col(hotspot, 'id')}, {col(hotspot, 'first_received_on')},"
            f" {col(hotspot, 'last_received_on')} FROM {h}"
            f" WHERE {col(hotspot, 'unit')} = %s AND {col(hotspot, 'sector')} = %s"
            f" AND {col(hotspot, 'state')} = %s ORDER BY {col(hotspot, 'id')} DESC LIMIT 1{lock}"
        ),
        "hotspot_items": (
            f"INSERT INTO {connection.ops.quote_name(through.db_table)}"
            f" ({col(through, 'hotspot')}, {col(through, 'petitionitem')}) VALUES {{values}}"
            " ON CONFLICT DO NOTHING"
        ),
        "hotspot_grow": (
            f"UPDATE {h} SET {col(hotspot, 'size')} = {col(hotspot, 'size')} + %s,"
            f" {col(hotspot, 'first_received_on')} = %s, {col(hotspot, 'last_received_on')} = %s,"
            f" {col(hotspot, 'unverified')} = %s WHERE {col(hotspot, 'id')} = %s"
        ),
        # PostgreSQL: the open hotspot locked, the items added and its size grown by as many
        # as were new, in one statement (no row: no hotspot is open). The items come as one
        # array, so that the statement is the same whatever the cluster's size: prepared.
        "hotspot_join": (
            f"WITH h AS (SELECT {col(hotspot, 'id')} AS id FROM {h}"
            f" WHERE {col(hotspot, 'unit')} = %s AND {col(hotspot, 'sector')} = %s"
            f" AND {col(hotspot, 'state')} = %s ORDER BY {col(hotspot, 'id')} DESC LIMIT 1{lock}),"
            f" added AS (INSERT INTO {connection.ops.quote_name(through.db_table)}"
            f" ({col(through, 'hotspot')}, {col(through, 'petitionitem')})"
            " SELECT h.id, v.item FROM h, unnest(%s::bigint[]) AS v (item)"
            " ON CONFLICT DO NOTHING RETURNING 1)"
            f" UPDATE {h} SET {col(hotspot, 'size')} = {col(hotspot, 'size')}"
            " + (SELECT count(*) FROM added),"
            f" {col(hotspot, 'first_received_on')} = LEAST({col(hotspot, 'first_received_on')}, %s),"
            f" {col(hotspot, 'last_received_on')} = GREATEST({col(hotspot, 'last_received_on')}, %s),"
            f" {col(hotspot, 'unverified')} = %s FROM h WHERE {h}.{col(hotspot, 'id')} = h.id RETURNING h.id"
        ),
        # PostgreSQL: the earlier items of a cluster flagged now, and their petitions, in one
        # statement that says which items they were (the items as one array, as above).
        "flag_mass_and_petitions": (
            f"WITH flagged AS (UPDATE {i} SET {col(item, 'is_mass')} = %s"
            f" WHERE {col(item, 'is_mass')} = %s AND {col(item, 'id')} = ANY(%s::bigint[])"
            f" RETURNING {col(item, 'id')}, {col(item, 'petition')}, {col(item, 'status')}),"
            f" petitions AS (UPDATE {p} SET {col(petition, 'is_mass')} = %s"
            f" WHERE {col(petition, 'is_mass')} = %s AND {col(petition, 'id')} IN"
            f" (SELECT {col(item, 'petition')} FROM flagged))"
            " SELECT * FROM flagged"
        ),
    }


def _fetch(query: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statements()[query], params)
        return cursor.fetchall()


# The columns both reads return, in this order (complaints.detection reads them by position).
_COLUMNS = ("id", "petition_id", "key", "received_on", "is_mass", "sender_known")
_REST = ("word_count", "words", "code", "number")


def _sized(low: int, high: int) -> Q:
    return Q(word_count=0) | Q(word_count__range=(low, high))


def _duplicates_plain(
    key: str, kind: str, transferred: str, petition_id: int, low: int, high: int, limit: int
) -> list[tuple]:
    rows = (
        PetitionItem.objects.filter(_sized(low, high), petition__submitter_key=key, kind=kind)
        .exclude(status=transferred)
        .exclude(petition_id=petition_id)
        .annotate(key=F("petition__submitter_key"), code=F("petition__code"))
        .order_by("-received_on", "-id")
        .values_list(*_COLUMNS, *_REST)
    )
    return list(rows[:limit])


def _cluster_plain(
    sector_id: int,
    start: dt.date | str,
    end: dt.date | str,
    commune_id: int,
    item_id: int,
    low: int,
    high: int,
    limit: int,
) -> list[tuple]:
    rows = (
        PetitionItem.objects.filter(
            _sized(low, high),
            sector_id=sector_id,
            received_on__range=(start, end),
            place_commune_id=commune_id,
            transferred_from__isnull=True,
        )
        .exclude(id=item_id)
        .annotate(key=F("submitter_key"), code=Value(None, output_field=CharField()))
        .order_by("-received_on")
        .values_list(*_COLUMNS, *_REST)
    )
    return list(rows[:limit])


def candidates(
    duplicates: Sequence[object] | None, cluster: Sequence[object]
) -> tuple[list[tuple], list[tuple]]:
    """Detection's two reads of earlier items: the same submitter's of the same kind, newest
    first (none when ``duplicates``, the read's parameters, is None), and those of the same
    commune and sector within the window. One round trip on the fast path."""
    if not enabled_for(connection):
        near = [] if duplicates is None else _duplicates_plain(*duplicates)  # type: ignore[arg-type]
        return near, _cluster_plain(*cluster)  # type: ignore[arg-type]
    if duplicates is None:
        return [], _fetch("cluster", cluster)
    rows = _fetch("both", [*duplicates, *cluster])
    # Newest first, as the duplicate read orders them (UNION ALL keeps no order).
    near = sorted(
        (row[1:] for row in rows if row[0] == 1), key=lambda r: (r[3], r[0]), reverse=True
    )
    return near, [row[1:] for row in rows if row[0] == 2]


def flag_mass(pks: list[int]) -> list[tuple[int, int, str]]:
    """The items ``pks`` not yet flagged as a mass complaint flagged now, and their petitions:
    (id, petition id, status) of each item flagged now (items flagged already are left)."""
    if not enabled_for(connection):
        flagged = list(
            PetitionItem.objects.select_for_update()
            .filter(pk__in=pks, is_mass=False)
            .order_by("pk")
            .values_list("id", "petition_id", "status")
        )
        PetitionItem.objects.filter(pk__in=[row[0] for row in flagged]).update(is_mass=True)
        Petition.objects.filter(pk__in={row[1] for row in flagged}, is_mass=False).update(
            is_mass=True
        )
        return flagged
    return [
        (pk, petition_id, status)
        for pk, petition_id, status in _fetch(
            "flag_mass_and_petitions", [True, False, pks, True, False]
        )
    ]


def join_open_hotspot(
    *, unit_id: int, sector_id: int, item_pks: list[int], dates: list[dt.date], unverified: int
) -> bool:
    """The usual case in one round trip: the commune and sector's open hotspot locked, the
    items added and its size, dates and unverified count updated. False when no hotspot is
    open, or off the fast path (the caller then does it in steps: ``open_hotspot_locked``,
    ``hotspot_grow``), which give the same result."""
    if not enabled_for(connection):
        return False
    adapt = connection.ops.adapt_datefield_value
    params = [unit_id, sector_id, Hotspot.State.OPEN, item_pks]
    params += [adapt(min(dates)), adapt(max(dates)), unverified]
    return bool(_fetch("hotspot_join", params))


def open_hotspot_locked(*, unit_id: int, sector_id: int) -> tuple[int, dt.date, dt.date] | None:
    """The commune and sector's open hotspot, its row locked: (id, first and last received)."""
    if not enabled_for(connection):
        return (
            Hotspot.objects.select_for_update()
            .filter(unit_id=unit_id, sector_id=sector_id, state=Hotspot.State.OPEN)
            .order_by("-id")
            .values_list("id", "first_received_on", "last_received_on")
            .first()
        )
    rows = _fetch("hotspot_lock", [unit_id, sector_id, Hotspot.State.OPEN])
    if not rows:
        return None
    pk, first, last = rows[0]
    return pk, _date(first), _date(last)


def hotspot_grow(
    pk: int, *, item_pks: list[int], first: dt.date, last: dt.date, unverified: int
) -> int:
    """The items added to the locked hotspot ``pk`` (those in it already left) and its size
    grown by as many; its dates and unverified count set. Returns how many were added."""
    through = Hotspot.items.through
    if not enabled_for(connection):
        present = set(
            through.objects.filter(hotspot_id=pk, petitionitem_id__in=item_pks).values_list(
                "petitionitem_id", flat=True
            )
        )
        new = [i for i in dict.fromkeys(item_pks) if i not in present]
        through.objects.bulk_create(
            [through(hotspot_id=pk, petitionitem_id=i) for i in new], ignore_conflicts=True
        )
        added = len(new)
        Hotspot.objects.filter(pk=pk).update(
            size=F("size") + added,
            first_received_on=first,
            last_received_on=last,
            unverified=unverified,
        )
        return added
    adapt = connection.ops.adapt_datefield_value
    sql = statements()
    with connection.cursor() as cursor:
        cursor.execute(
            sql["hotspot_items"].format(values=", ".join(["(%s, %s)"] * len(item_pks))),
            [value for i in item_pks for value in (pk, i)],
        )
        added = cursor.rowcount
        cursor.execute(sql["hotspot_grow"], [added, adapt(first), adapt(last), unverified, pk])
    return added


def _date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
