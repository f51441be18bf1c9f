"""Indexes no read needs, dropped: each costs every submission an insertion.

- the LIKE twins of the tracking code and the submitter key (both looked up by equality only;
  the code keeps its uniqueness as a constraint, which makes no LIKE index);
- single-column indexes that a composite one already leads with: the petition's unit
  (petition_unit_received), an event's item (event_item_at);
- the petition's mass flag (read through the items' indexes, never through this one).

The new unique index and submitter-key index are built before the old ones are dropped.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_item_submitter_key"),
        ("gov", "0002_notification"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.UniqueConstraint(fields=("code",), name="petition_code_unique"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["submitter_key"], name="petition_submitter_key"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="code",
            field=models.CharField(editable=False, max_length=20, verbose_name="tracking code"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="submitter_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="petition",
            name="is_mass",
            field=models.BooleanField(default=False, verbose_name="mass complaint"),
        ),
        migrations.AlterField(
            model_name="petition",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                help_text="The unit that holds the place today (successor of a former unit).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="petitions",
                to="gov.administrativeunit",
                verbose_name="current unit",
            ),
        ),
        migrations.AlterField(
            model_name="itemevent",
            name="item",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="complaints.petitionitem",
            ),
        ),
    ]
