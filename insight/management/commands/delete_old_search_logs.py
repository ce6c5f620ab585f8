"""Delete search logs older than SEARCH_LOG_RETENTION_DAYS (run daily; safe to run twice)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from insight.models import SearchLog


def retention_days():
    return getattr(settings, "SEARCH_LOG_RETENTION_DAYS", 365)


class Command(BaseCommand):
    help = "Delete search logs older than SEARCH_LOG_RETENTION_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        days = retention_days()
        cutoff = timezone.localdate() - datetime.timedelta(days=days)
        old = SearchLog.objects.filter(date__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"Search logs older than {days} days (before {cutoff}): "
                f"{old.count()} would be deleted (dry run)."
            )
            return
        deleted, _ = old.delete()
        self.stdout.write(
            f"Search logs older than {days} days (before {cutoff}): {deleted} deleted."
        )
