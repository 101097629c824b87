"""manage.py backup DIRECTORY — a consistent snapshot of the database and the uploads."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from ketnoi.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a backup (database snapshot, uploaded files, manifest with checksums) into a new directory."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="where backups are kept; each run makes ketnoi-YYYYmmdd-HHMMSS/ in it")

    def handle(self, *args, directory: str, **options) -> None:
        database = connections["default"].settings_dict
        name = "ketnoi-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")
        dest = Path(directory) / name
        try:
            manifest = write_backup(dest, database=database, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{dest} ({len(manifest['files'])} files)")
