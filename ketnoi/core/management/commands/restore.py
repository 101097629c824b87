"""manage.py restore BACKUP_DIRECTORY [--force] — put a backup back, after checking it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ketnoi.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and MEDIA_ROOT. "
        "Checks every file's checksum first; refuses a non-empty database or MEDIA_ROOT unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", help="the backup directory (ketnoi-YYYYmmdd-HHMMSS)")
        parser.add_argument("--force", action="store_true", help="overwrite a database and uploads that hold data")

    def handle(self, *args, backup: str, force: bool = False, **options) -> None:
        database = connections["default"].settings_dict
        connections.close_all()
        try:
            manifest = restore_backup(
                Path(backup), database=database, media_root=Path(settings.MEDIA_ROOT), force=force
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['started_at']} ({len(manifest['files'])} files). "
            "Now re-apply every erasure request made since that time (README, Backups)."
        )
