"""Indexes for a million items (see docs/performance.md), PostgreSQL only; a no-op elsewhere.

- ``item_open_due``: the open items in the inbox's default order (deadline nearest first,
  newest first), so a page is read from the index and stops after 50 rows instead of sorting
  every open item of the scope.
- ``item_scope_like_*``: ``scope_path LIKE '/lai-chau/xa-.../%'`` (every scoped read) can use
  a btree only with a pattern operator class, the database's collation not being "C"; the
  index of ``PetitionItem.Meta`` serves equality only. Counts, the overview's deadline board
  and its monthly conclusions for a commune then read that commune's rows alone.
- ``item_concluded_on``: the overview's conclusions per month for the whole province.
- ``item_search_trgm``: a trigram GIN index, so the diacritic-free search (``search_text``
  LIKE '%word%') no longer reads every row.

They are not declared in ``PetitionItem.Meta`` (a trigram operator class does not fit there
and ``makemigrations --check`` stays clean); declare the partial index there when that file
is next changed.
"""

from django.db import migrations

OPEN = "('received', 'processing', 'accepted', 'verifying')"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS item_open_due ON complaints_petitionitem (due_on, id DESC) "
    f"WHERE status IN {OPEN}",
    "CREATE INDEX IF NOT EXISTS item_scope_like_status_due ON complaints_petitionitem "
    "(scope_path varchar_pattern_ops, status, due_on)",
    "CREATE INDEX IF NOT EXISTS item_scope_like_concluded ON complaints_petitionitem "
    "(scope_path varchar_pattern_ops, concluded_on) WHERE concluded_on IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS item_concluded_on ON complaints_petitionitem (concluded_on) "
    "WHERE concluded_on IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS item_search_trgm ON complaints_petitionitem "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = [
    f"DROP INDEX IF EXISTS {name}"
    for name in (
        "item_search_trgm",
        "item_concluded_on",
        "item_scope_like_concluded",
        "item_scope_like_status_due",
        "item_open_due",
    )
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_acknowledgement_state")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
