from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0006_postgres_postings"),
    ]

    operations = [
        migrations.CreateModel(
            name="WithdrawnRecord",
            fields=[
                ("document_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("withdrawn_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("set_specs", models.TextField(blank=True, default="")),
            ],
            options={
                "indexes": [models.Index(fields=["withdrawn_at", "document_id"], name="library_wit_withdra_e7a192_idx")],
            },
        ),
    ]
