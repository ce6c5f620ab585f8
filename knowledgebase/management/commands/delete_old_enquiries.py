"""Delete readers' requests older than ENQUIRY_RETENTION_DAYS (default 365), and forget the
client address hash of those older than the rate limit's hour. Run it daily."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from knowledgebase.enquiries import (
    PracticeEnquiry,
    delete_old_enquiries,
    forget_client_addresses,
    retention_cutoff,
    retention_days,
)


class Command(BaseCommand):
    help = (
        "Delete requests from readers received more than ENQUIRY_RETENTION_DAYS days ago "
        "(and the admin's history of them). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = retention_cutoff()
        before = f"received before {timezone.localtime(cutoff):%-d %B %Y %H:%M}"
        if dry_run:
            count = PracticeEnquiry.objects.older_than(cutoff).count()
            self.stdout.write(
                f"Would delete {count} request{'s' if count != 1 else ''} {before} "
                f"(kept for {retention_days()} days). Dry run: nothing deleted."
            )
            return
        count = delete_old_enquiries(cutoff)
        self.stdout.write(
            f"Deleted {count} request{'s' if count != 1 else ''} {before} "
            f"(kept for {retention_days()} days)."
        )
        forgotten = forget_client_addresses()
        self.stdout.write(
            f"Forgot the client address of {forgotten} request{'s' if forgotten != 1 else ''} "
            "older than an hour (kept only for the rate limit)."
        )
