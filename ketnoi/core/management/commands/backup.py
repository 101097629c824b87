"""`manage.py backup [--output DIR]`: one archive with a consistent database snapshot and the
uploaded files (see ketnoi/core/backups.py). Schedule it daily; README "Backups" says how."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ketnoi.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a backup archive: a consistent snapshot of the database plus the uploaded files."

    def add_arguments(self, parser):
        default = os.environ.get("KETNOI_BACKUP_DIR", str(Path(settings.VAR_DIR) / "backups"))
        parser.add_argument("--output", default=default, help=f"directory for the archive (default {default})")

    def handle(self, *args, **options):
        try:
            archive = backup_create(directory=Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{archive} ({archive.stat().st_size:,} bytes)")
