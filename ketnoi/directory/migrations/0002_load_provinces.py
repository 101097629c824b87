"""Load the 34 province-level units in force since 1 July 2025 and the 63 legacy units, each
legacy unit pointing at the unit it merged into. Data comes from `vietnamadminunits`."""

from django.db import migrations

from ketnoi.core.text import fold


def load_provinces(apps, schema_editor):
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    Province = apps.get_model("directory", "Province")
    current = {}
    for row in query("SELECT DISTINCT provinceCode, province, provinceShort FROM admin_units ORDER BY provinceCode"):
        current[row["provinceCode"]], _ = Province.objects.update_or_create(
            scheme="2025",
            code=row["provinceCode"],
            defaults={
                "name": row["province"],
                "short_name": row["provinceShort"],
                "name_folded": fold(row["provinceShort"]),
            },
        )
    for row in query("SELECT DISTINCT provinceCode, province, provinceShort FROM admin_units_legacy ORDER BY provinceCode"):
        successor = current.get(convert_address(row["province"]).province_code)
        Province.objects.update_or_create(
            scheme="legacy",
            code=row["provinceCode"],
            defaults={
                "name": row["province"],
                "short_name": row["provinceShort"],
                "name_folded": fold(row["provinceShort"]),
                "successor": successor,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load_provinces, migrations.RunPython.noop)]
