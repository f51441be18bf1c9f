"""The date the petition was received, copied onto each item (see PetitionItem.received_on)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE complaints_petitionitem i SET received_on = p.received_on "
            "FROM complaints_petition p WHERE p.id = i.petition_id"
        )
        return
    Item = apps.get_model("complaints", "PetitionItem")
    Petition = apps.get_model("complaints", "Petition")
    Item.objects.update(
        received_on=Subquery(
            Petition.objects.filter(pk=OuterRef("petition_id")).values("received_on")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_open_items_covering")]

    operations = [
        migrations.AddField(
            model_name="petitionitem",
            name="received_on",
            field=models.DateField(editable=False, null=True, verbose_name="date received"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
