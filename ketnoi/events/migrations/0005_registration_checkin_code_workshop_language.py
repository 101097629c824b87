"""The short check-in code on every registration (back-filled for the existing ones, unique within
a workshop), and the language of a workshop's documents."""

import secrets

from django.db import migrations, models

import ketnoi.events.models

# Frozen here: the migration must keep drawing the same kind of code if models.py changes.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6


def backfill_checkin_codes(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    taken: dict[int, set[str]] = {}
    pending = []
    # AddField gave every existing row the same code: each gets its own.
    for registration in Registration.objects.only("pk", "workshop_id").order_by("pk").iterator():
        codes = taken.setdefault(registration.workshop_id, set())
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            if code not in codes:
                codes.add(code)
                break
        registration.checkin_code = code
        pending.append(registration)
        if len(pending) >= 500:
            Registration.objects.bulk_update(pending, ["checkin_code"])
            pending = []
    Registration.objects.bulk_update(pending, ["checkin_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_workshop_kind_spelling"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="language",
            field=models.CharField(
                choices=[("vi", "Tiếng Việt"), ("en", "English")],
                default="vi",
                max_length=8,
                verbose_name="ngôn ngữ của tài liệu",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="checkin_code",
            field=models.CharField(
                default=ketnoi.events.models.new_checkin_code,
                editable=False,
                max_length=6,
                verbose_name="mã điểm danh",
            ),
        ),
        migrations.RunPython(backfill_checkin_codes, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("workshop", "checkin_code"), name="registration_checkin_code_once"
            ),
        ),
    ]
