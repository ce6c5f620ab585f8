"""manage.py import_cqc_ratings FILE: CQC's monthly Latest ratings file (ODS or CSV) in."""

import math
import time

from django.core.management.base import BaseCommand, CommandError

from knowledgebase.cqc.ratings_file import RatingsFileError
from knowledgebase.cqc.ratings_import import SKIP_REASONS, import_ratings
from knowledgebase.interchange.progress import Progress

MB = 1_000_000


def megabytes(n):
    return max(1, math.ceil(n / MB))


class Command(BaseCommand):
    help = (
        "Import CQC's Latest ratings file: the Locations sheet of the ODS, or a CSV of it. "
        "Adult social care ratings are stored as dated facts (the same file twice changes "
        "nothing); providers take their latest ratings from them, and published case studies "
        "are checked again against the Outstanding rule. Exits non-zero when the file cannot "
        "be read as a ratings file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .ods (sheet Locations) or .csv file")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress output")

    def handle(self, *args, file, quiet_progress=False, **options):
        progress = None

        def on_progress(done, total):
            nonlocal progress
            if progress is None:  # the unpacked size of an ODS is known once it is opened
                progress = Progress(
                    "Reading (MB)", megabytes(total), self.stderr, enabled=not quiet_progress
                )
            progress.advance(megabytes(done) - progress.done)

        started = time.monotonic()
        try:
            log = import_ratings(file, on_progress=on_progress)
        except RatingsFileError as exc:
            raise CommandError(f"{file} cannot be read as CQC's ratings file: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        if progress:
            progress.finish()
        elapsed = time.monotonic() - started
        self.report(log, elapsed)

    def report(self, log, elapsed):
        write = self.stdout.write
        earlier = log.earlier_import_of_the_same_file()
        if earlier:
            write(f"This file (sha256 {log.sha256[:12]}…) was imported before, on {earlier}.")
        write(f"Read {log.rows_read} rows of {log.file_name} in {elapsed:.1f}s.")
        reasons = ", ".join(f"{log.skipped.get(reason, 0)} {reason}" for reason in SKIP_REASONS)
        write(f"Skipped {log.rows_skipped}: {reasons}.")
        for problem in log.problems:
            self.stderr.write(f"  {problem}")
        if log.skipped.get("malformed row", 0) > len(log.problems):
            self.stderr.write(f"  (the first {len(log.problems)} malformed rows are shown)")
        write(
            f"Stored {log.facts_stored} new rating facts; {log.facts_unchanged} unchanged "
            f"(already stored); {log.locations_added} new care locations."
        )
        write(
            f"Providers: {log.providers_updated} took new ratings from this file. "
            f"Case studies: {log.case_studies_flagged} flagged (provider's rating dropped), "
            f"{log.case_studies_cleared} cleared."
        )
