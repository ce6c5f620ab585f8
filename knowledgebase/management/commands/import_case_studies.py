import sys
import time

from django.core.management.base import BaseCommand, CommandError

from knowledgebase.interchange.importer import CaseStudyImporter
from knowledgebase.interchange.progress import Progress


class Command(BaseCommand):
    help = (
        "Create or update published case studies and providers from a JSON Lines file in the "
        "interchange format. Bad lines are reported with their line number and skipped; "
        "the exit status is non-zero when any line was bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file, or - for standard input")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress output")

    def handle(self, *args, file, quiet_progress=False, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        with stream:
            lines = stream.readlines()
        total = sum(1 for line in lines if line.strip())
        progress = Progress("Importing", total, self.stderr, enabled=not quiet_progress)
        started = time.monotonic()
        report = CaseStudyImporter().import_lines(lines, on_line=lambda n: progress.advance())
        progress.finish()
        elapsed = time.monotonic() - started
        for error in report.errors:
            self.stderr.write(str(error))
        rate = report.imported / elapsed if elapsed else 0
        self.stdout.write(
            f"Imported {report.imported} case studies ({report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged) in {elapsed:.1f}s "
            f"({rate:.0f} a second)."
        )
        if report.errors:
            bad_lines = len({e.line for e in report.errors})
            raise CommandError(f"{bad_lines} bad line(s) were skipped; see the reasons above.")
