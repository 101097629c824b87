"""Queue text extraction again for library files that need it.

Pending files normally have a task waiting; one left pending for long lost its task (a worker
killed mid-run, a restored database) and is queued again. `--failed` retries failed files, e.g.
after the server learned to read a new kind of file. Run it from cron, or by hand with --sync.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ketnoi.library.models import DocumentFile
from ketnoi.library.tasks import enqueue_extraction, extract_file_text


def _queued_file_ids() -> set[int]:
    """Files whose task still waits in the database queue: queuing them again would only repeat
    the work. Other backends keep no queue to look at."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return set()
    backend = extract_file_text.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return set()
    rows = DBTaskResult.objects.filter(
        task_path=extract_file_text.module_path, backend_name=backend.alias, status="READY"
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in rows if args.get("args")}


class Command(BaseCommand):
    help = "Queue text extraction again for library files left pending (or, with --failed, failed ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="only pending files unchanged for at least this many minutes (default 10)",
        )
        parser.add_argument("--failed", action="store_true", help="retry failed files instead of pending ones")
        parser.add_argument("--file", type=int, action="append", dest="file_ids", metavar="ID", help="only this file")
        parser.add_argument("--sync", action="store_true", help="extract here and now instead of queuing a task")

    def handle(self, *args, older_than=10, failed=False, file_ids=None, sync=False, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more minutes")
        files = DocumentFile.objects.order_by("pk")
        if failed:
            files = files.filter(status=DocumentFile.Status.FAILED)
        else:
            cutoff = timezone.now() - timedelta(minutes=older_than)
            files = files.filter(status=DocumentFile.Status.PENDING, updated_at__lte=cutoff)
        if file_ids:
            files = files.filter(pk__in=file_ids)
        waiting = set() if sync or failed else _queued_file_ids()
        outcomes: dict[str, int] = {}
        for file in files.only("pk", "original_name", "status", "failure"):
            if file.pk in waiting:
                outcome = "still queued"
            elif sync:
                outcome = extract_file_text.call(file.pk)
            else:
                # One transaction per file, never inside another: each queued file commits on its own.
                with transaction.atomic(durable=True):
                    enqueue_extraction(file)
                outcome = "queued"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            line = f"#{file.pk} {file.original_name}: {outcome}"
            if outcome == "failed":
                line += " — " + DocumentFile.objects.filter(pk=file.pk).values_list("failure", flat=True).first()
            self.stdout.write(line)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(summary or "nothing to do")
