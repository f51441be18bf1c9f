"""Visitors' identities at rest (gov.crypto): names, ID numbers, addresses, phones and
co-representatives encrypted with PORTAL_FIELD_KEYS, in batches; each visitor's person key
recomputed first as a keyed pseudonym (HMAC under PORTAL_PSEUDONYM_KEY) from the plain
identity, as complaints 0014 does for petitions. Reversible (back to plain, and the plain
SHA-256 key the earlier code computed)."""

import hashlib
import importlib

from django.db import migrations

import gov.crypto

COLUMNS = ["full_name", "id_number", "address", "phone", "representatives"]
BATCH = 1000


def _recompute_person_keys(connection, key_of) -> None:
    """Each visit's person key from its plain identity and the unit that holds the place
    today, as visit_log computes it (reception 0003 backfilled it the same way)."""
    basis_of = importlib.import_module("complaints.migrations.0014_identities_at_rest")._basis
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, successor_id FROM gov_administrativeunit")
        successors = dict(cursor.fetchall())

        def current(unit_id):
            seen = set()
            while successors.get(unit_id) and unit_id not in seen:
                seen.add(unit_id)
                unit_id = successors[unit_id]
            return unit_id

        last = 0
        while True:
            cursor.execute(
                "SELECT id, full_name, id_number, phone, location_unit_id FROM reception_visit"
                " WHERE person_key <> '' AND id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for pk, name, id_number, phone, unit_id in rows:
                basis = basis_of(
                    id_number=id_number, phone=phone, full_name=name, unit_id=current(unit_id)
                )
                updates.append([key_of(basis) if basis else "", pk])
            cursor.executemany("UPDATE reception_visit SET person_key = %s WHERE id = %s", updates)
            last = rows[-1][0]


def _rewrite(schema_editor, change) -> None:
    for _progress in gov.crypto.rewrite_columns(
        schema_editor.connection, table="reception_visit", columns=COLUMNS, change=change
    ):
        pass


def _checks_now(schema_editor) -> None:
    """Rows updated twice in this transaction queue their foreign key checks to the commit;
    run them now, so that a column can be altered after (reversing runs the data part first)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor) -> None:
    _recompute_person_keys(schema_editor.connection, gov.crypto.pseudonym)
    _rewrite(schema_editor, gov.crypto.encrypt)
    _checks_now(schema_editor)


def backward(apps, schema_editor) -> None:
    _rewrite(schema_editor, gov.crypto.decrypt)
    _recompute_person_keys(
        schema_editor.connection, lambda basis: hashlib.sha256(basis.encode()).hexdigest()
    )
    _checks_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('reception', '0003_visit_person_key_anonymised'),
        ('complaints', '0014_identities_at_rest'),
        ('gov', '0002_notification'),
    ]

    operations = [
        migrations.AlterField(
            model_name='visit',
            name='address',
            field=gov.crypto.EncryptedCharField(max_length=255, verbose_name='address'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='full_name',
            field=gov.crypto.EncryptedCharField(max_length=120, verbose_name='full name'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='id_number',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name='ID number'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='phone',
            field=gov.crypto.EncryptedCharField(blank=True, max_length=20, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='visit',
            name='representatives',
            field=gov.crypto.EncryptedTextField(blank=True, verbose_name='representatives, one per line'),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
