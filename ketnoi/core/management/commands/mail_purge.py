"""`manage.py mail_purge [--days N]`: delete the outgoing e-mail sent or given up on more than N
days ago (OUTGOING_EMAIL_KEEP_DAYS, 90 by default). Run it daily beside the backup."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ketnoi.core.services import mail_purge


class Command(BaseCommand):
    help = "Delete outgoing e-mail sent or given up on more than --days days ago (its text holds personal data)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.OUTGOING_EMAIL_KEEP_DAYS)

    def handle(self, *args, **options):
        if options["days"] < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        deleted = mail_purge(older_than_days=options["days"])
        self.stdout.write(f"deleted {deleted} e-mail(s) older than {options['days']} days")
