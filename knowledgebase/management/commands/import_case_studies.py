import sys
import time

from django.core.management.base import BaseCommand, CommandError

from knowledgebase.interchange.importer import CaseStudyImporter
from knowledgebase.interchange.progress import Progress


class Command(BaseCommand):
    help = (
        "Create or update published case studies and providers from a JSON Lines file in the "
        "interchange format. Bad lines are reported with their line number and skipped; "
        "the exit status is non-zero when any line was bad. A case study that exists but is "
        "not live (unpublished by a moderator) is left alone and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, or - for standard input")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress output")
        parser.add_argument(
            "--defer-vectors",
            action="store_true",
            help="leave the semantic search vectors of what was imported to the scheduled "
            "`search_index --vectors` (until then semantic search does not find them)",
        )

    def handle(self, *args, file, quiet_progress=False, defer_vectors=False, **options):
        # Bytes: each line is decoded on its own (importer.read_lines), so bytes that are not
        # UTF-8 cost their own line, not the file.
        try:
            stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with stream:
            lines = stream.read().splitlines()  # at \n, \r\n or \r, as text mode would
        total = sum(1 for line in lines if line.strip())
        progress = Progress("Importing", total, self.stderr, enabled=not quiet_progress)
        started = time.monotonic()
        importer = CaseStudyImporter()
        report = importer.import_lines(lines, on_line=lambda n: progress.advance(), follow_up=False)
        progress.finish()
        elapsed = time.monotonic() - started
        for error in report.errors:
            self.stderr.write(str(error))
        for notice in report.notices:
            self.stdout.write(str(notice))
        rate = report.imported / elapsed if elapsed else 0
        skipped = f"; {report.skipped} skipped (not live)" if report.skipped else ""
        self.stdout.write(
            f"Imported {report.imported} case studies ({report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged{skipped}) in "
            f"{elapsed:.1f}s ({rate:.0f} a second)."
        )
        if report.flagged or report.cleared:
            self.stdout.write(
                f"'Rating dropped' set on {len(report.flagged)} and cleared on "
                f"{len(report.cleared)} published case studies, by the providers' new ratings."
            )
        # What follows an import (vectors for semantic search) comes after its own figures.
        importer.follow_up(defer=defer_vectors)
        if report.errors:
            bad_lines = len({e.line for e in report.errors})
            raise CommandError(f"{bad_lines} bad line(s) were skipped; see the reasons above.")
