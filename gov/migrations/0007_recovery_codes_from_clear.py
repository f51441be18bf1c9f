"""Recovery codes kept in clear by django-otp's static device become keyed hashes
(``gov.models.RecoveryCodeDevice``): each code still works once, and the clear ones are
deleted."""

from django.db import migrations

from gov.models.second_factor import code_digest


def hash_clear_codes(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodeDevice = apps.get_model("gov", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("gov", "RecoveryCode")
    for static in StaticDevice.objects.order_by("pk"):
        device = RecoveryCodeDevice.objects.create(
            user_id=static.user_id, name=static.name, confirmed=static.confirmed
        )
        digests = {code_digest(t) for t in StaticToken.objects.filter(device=static).values_list("token", flat=True)}
        RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=d) for d in sorted(digests))
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gov", "0006_recovery_codes_hashed"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # Back: the clear codes cannot be recovered from their hashes; the accounts make new ones.
    operations = [migrations.RunPython(hash_clear_codes, migrations.RunPython.noop)]
