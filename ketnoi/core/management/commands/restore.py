"""`manage.py restore ARCHIVE [--force]`: put a backup made by `manage.py backup` back into the
configured database and MEDIA_ROOT. Stop the web server and the worker first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ketnoi.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into the configured database and MEDIA_ROOT (stop the server first)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar written by manage.py backup")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive=Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored the {result.engine} backup of {result.created_at} and {result.media_files} file(s). "
            "Run `manage.py migrate` if this version is newer than the backup's, and re-apply any erasure "
            "made since the backup's time (see README, Backups)."
        )
