"""Need-to-know inside the province (``gov.scoping``, ``PetitionItem.need_to_know``): an item
names the agencies that referred it and that it was referred to, besides the one responsible.

The two columns are filled from what the items already record: a transfer (``transferred_from``),
a second complaint (``first_round_item``), and a petition recorded by an officer of another
agency (``Petition.recorded_by``). On PostgreSQL ``item_open_due`` covers them too, so that a
department's inbox is still read from that index alone.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery

OPEN = "('received', 'processing', 'accepted', 'verifying')"
COVERING = "scope_path, agency_id, handler_id, place_commune_id"


def _open_due(include: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS item_open_due",
        "CREATE INDEX item_open_due ON complaints_petitionitem (due_on, id DESC) "
        f"INCLUDE ({include}) WHERE status IN {OPEN}",
    ]


def _index(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    Item = apps.get_model("complaints", "PetitionItem")
    agency_of = Item.objects.filter(pk=OuterRef("transferred_from_id")).values("agency_id")
    Item.objects.filter(transferred_from__isnull=False).update(referred_by_id=Subquery(agency_of))
    received_by = Item.objects.filter(transferred_from_id=OuterRef("pk")).order_by("pk")
    Item.objects.filter(status="transferred").update(
        referred_to_id=Subquery(received_by.values("agency_id")[:1])
    )
    first_of = Item.objects.filter(pk=OuterRef("first_round_item_id")).values("agency_id")
    Item.objects.filter(first_round_item__isnull=False, referred_by__isnull=True).update(
        referred_by_id=Subquery(first_of)
    )
    second_of = Item.objects.filter(first_round_item_id=OuterRef("pk")).order_by("pk")
    Item.objects.filter(second_round_items__isnull=False, referred_to__isnull=True).update(
        referred_to_id=Subquery(second_of.values("agency_id")[:1])
    )
    recorder_of = Item.objects.filter(pk=OuterRef("pk")).values(
        "petition__recorded_by__agency_id"
    )
    Item.objects.filter(
        transferred_from__isnull=True,
        first_round_item__isnull=True,
        petition__recorded_by__agency__isnull=False,
        referred_by__isnull=True,
    ).exclude(petition__recorded_by__agency_id=F("agency_id")).update(
        referred_by_id=Subquery(recorder_of)
    )
    # Nobody refers an item to the agency that holds it.
    Item.objects.filter(referred_by_id=F("agency_id")).update(referred_by=None)
    Item.objects.filter(Q(referred_to_id=F("agency_id"))).update(referred_to=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0014_identities_at_rest"),
        ("gov", "0002_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="petitionitem",
            name="referred_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="gov.agency",
                verbose_name="referred by",
            ),
        ),
        migrations.AddField(
            model_name="petitionitem",
            name="referred_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="gov.agency",
                verbose_name="referred to",
            ),
        ),
        migrations.AddIndex(
            model_name="petitionitem",
            index=models.Index(
                condition=models.Q(("referred_by__isnull", False)),
                fields=["referred_by"],
                name="item_referred_by_set",
            ),
        ),
        migrations.AddIndex(
            model_name="petitionitem",
            index=models.Index(
                condition=models.Q(("referred_to__isnull", False)),
                fields=["referred_to"],
                name="item_referred_to_set",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(
            _index(_open_due(f"{COVERING}, referred_by_id, referred_to_id")),
            _index(_open_due(COVERING)),
            elidable=False,
        ),
    ]
