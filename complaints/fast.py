"""The petitions' SQL statements written for speed (the fence: ``gov.fast``): detection's two
candidate reads, the mass-complaint flags and the hotspot's growth, run at every submission.
Called from ``complaints.detection``, which decides what they read and write."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models.options import Options

from complaints.models import Hotspot, Petition, PetitionItem


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
        # Earlier items of a cluster flagged now: one statement that says which they were.
        "flag_mass": (
            f"UPDATE {i} SET {col(item, 'is_mass')} = %s WHERE {col(item, 'is_mass')} = %s"
            f" AND {col(item, 'id')} IN ({{ids}})"
            f" RETURNING {col(item, 'id')}, {col(item, 'petition')}, {col(item, 'status')}"
        ),
    }


def fetch(query: str, params: list[object]) -> list[tuple]:
    """The rows of the statement named ``query``."""
    with connection.cursor() as cursor:
        cursor.execute(statements()[query], params)
        return cursor.fetchall()
