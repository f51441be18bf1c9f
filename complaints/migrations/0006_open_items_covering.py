"""Indexes for the open items at a million rows, PostgreSQL only; a no-op elsewhere.

- ``item_open_due`` again, now covering: the open items in the inbox's order (deadline nearest
  first, newest first) with the columns the inbox's capped count and the overview's deadline
  board read (scope, agency, handler, commune of the place). Both are then read from the index
  alone (an index-only scan), never from the table.
- ``item_open_flagged``: the open skip-level and mass-complaint items, few among many, for the
  overview's alerts.
"""

from django.db import migrations

OPEN = "('received', 'processing', 'accepted', 'verifying')"

CREATE = [
    "DROP INDEX IF EXISTS item_open_due",
    "CREATE INDEX item_open_due ON complaints_petitionitem (due_on, id DESC) "
    "INCLUDE (scope_path, agency_id, handler_id, place_commune_id) "
    f"WHERE status IN {OPEN}",
    "CREATE INDEX IF NOT EXISTS item_open_flagged ON complaints_petitionitem "
    "(scope_path varchar_pattern_ops) INCLUDE (is_skip_level, is_mass) "
    f"WHERE status IN {OPEN} AND (is_skip_level OR is_mass)",
]
DROP = [
    "DROP INDEX IF EXISTS item_open_flagged",
    "DROP INDEX IF EXISTS item_open_due",
    "CREATE INDEX item_open_due ON complaints_petitionitem (due_on, id DESC) "
    f"WHERE status IN {OPEN}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_detection_fields")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
