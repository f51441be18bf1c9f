"""The petition's submitter key, copied onto each item (see PetitionItem.submitter_key).

The copy rewrites every item that has a key: on a database of a million items, plan a few
minutes (the bench database: see docs/performance.md).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE complaints_petitionitem i SET submitter_key = p.submitter_key "
            "FROM complaints_petition p WHERE p.id = i.petition_id AND p.submitter_key <> ''"
        )
        return
    Item = apps.get_model("complaints", "PetitionItem")
    Petition = apps.get_model("complaints", "Petition")
    Item.objects.update(
        submitter_key=Subquery(
            Petition.objects.filter(pk=OuterRef("petition_id")).values("submitter_key")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_item_received_on_index")]

    operations = [
        migrations.AddField(
            model_name="petitionitem",
            name="submitter_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
