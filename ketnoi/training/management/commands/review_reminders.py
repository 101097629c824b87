"""Remind reviewers of training materials whose review is due within two days or overdue.
Run once a day from cron; a second run on the same day sends nothing again."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from ketnoi.training.services import review_reminders_send


class Command(BaseCommand):
    help = "E-mail reviewers whose training-material review is due within two days or overdue (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="the day to act as (YYYY-MM-DD), for testing")

    def handle(self, *args, today=None, **options):
        sent = review_reminders_send(today=today or timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")
