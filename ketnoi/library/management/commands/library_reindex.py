"""Rebuild the library's full-text index from the passages (after restoring a dump made on the
other database engine, or to check that nothing drifted)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ketnoi.library import search_index
from ketnoi.library.models import Passage


class Command(BaseCommand):
    help = "Rebuild the library search index from the stored passages."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only compare the index with the passages")

    def handle(self, *args, check: bool = False, **options):
        passages = Passage.objects.count()
        indexed = search_index.indexed_count()
        if check:
            state = "ok" if passages == indexed else "drift"
            self.stdout.write(f"{state}: {passages} passages, {indexed} indexed")
            if passages != indexed:
                raise SystemExit(1)
            return
        with transaction.atomic(durable=True):  # a command: never nested in another transaction
            count = search_index.rebuild()
        self.stdout.write(f"indexed {count} passages (was {indexed})")
