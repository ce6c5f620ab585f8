"""python manage.py send_alert_digests [--dry-run] [--unconfirmed-only]: the weekly e-mail of
new practice. With --unconfirmed-only it only deletes what was never confirmed (run daily,
so that an address is gone soon after its link expires, as the pages promise).

For each confirmed address, one e-mail listing each confirmed search with the case studies
first published since its last digest; an address with nothing new gets nothing. A search's
last digest time moves only once its e-mail was sent. It first deletes addresses (and
searches) whose confirmation links expired unconfirmed. Exits with an error when any
e-mail could not be sent (they are tried again next run, with everything new since).
"""

import smtplib

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from following.alerts import delete_unconfirmed
from following.digest import DigestRun, mark_sent
from following.emails import digest_message

PROGRESS_EVERY = 100  # addresses between progress lines


def count(n, singular, plural):
    return f"{n} {singular if n == 1 else plural}"


class Command(BaseCommand):
    help = "E-mail each confirmed address the new case studies matching its confirmed searches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be sent and deleted; send, change and delete nothing.",
        )
        parser.add_argument(
            "--unconfirmed-only",
            action="store_true",
            help="Only delete addresses and searches whose confirmation links expired "
            "(schedule daily); send nothing.",
        )

    def handle(self, *args, dry_run=False, unconfirmed_only=False, **options):
        started = timezone.now()
        would = "would be " if dry_run else ""
        addresses, searches = delete_unconfirmed(started, dry_run=dry_run)
        self.stdout.write(
            f"Unconfirmed: {count(addresses, 'address', 'addresses')} and "
            f"{count(searches, 'search', 'searches')} {would}deleted (confirmation links expired)."
        )
        if unconfirmed_only:
            return
        run = DigestRun()
        total = len(run.addresses)
        self.stdout.write(
            f"Checking {count(total, 'confirmed address', 'confirmed addresses')}; "
            f"{count(len(run.candidates), 'case study', 'case studies')} published since the "
            "earliest last digest."
        )
        sent = failed = 0
        connection = None if dry_run else get_connection()
        try:
            for done, address in enumerate(run.addresses, 1):
                digest = run.digest_for(address)
                if digest.news:
                    if dry_run:
                        sent += 1
                        self.stdout.write(
                            f"  address {address.pk}: would send "
                            f"{count(digest.case_study_count, 'case study', 'case studies')} for "
                            f"{count(len(digest.news), 'search', 'searches')}"
                        )
                    elif self._send(digest, connection):
                        mark_sent(digest, started)
                        sent += 1
                    else:
                        failed += 1
                if done % PROGRESS_EVERY == 0 or done == total:
                    self.stdout.write(
                        f"Addresses {done}/{total} done, e-mails {would}sent: {sent}"
                        + (f", failed: {failed}" if failed else "")
                    )
        finally:
            if connection is not None:
                connection.close()
        for problem in run.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"Done: {count(total, 'address', 'addresses')} checked, "
            f"{count(sent, 'e-mail', 'e-mails')} {would}sent, {failed} failed."
        )
        if failed:
            raise CommandError(
                f"{count(failed, 'digest', 'digests')} could not be sent; they are tried again "
                "next run, with everything new since."
            )

    def _send(self, digest, connection):
        try:
            digest_message(digest, connection=connection).send()
        except (smtplib.SMTPException, OSError) as exc:
            # The address's id and the error's kind, not its text (an SMTP refusal names the
            # address): these lines go to logs.
            self.stderr.write(f"  address {digest.address.pk}: not sent ({type(exc).__name__})")
            return False
        return True
