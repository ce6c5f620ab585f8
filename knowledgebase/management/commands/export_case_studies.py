import json
import sys

from django.core.management.base import BaseCommand

from knowledgebase.case_studies import RELATIONS, CaseStudyPage
from knowledgebase.interchange.progress import Progress
from knowledgebase.interchange.records import case_study_record


class Command(BaseCommand):
    help = "Write every live case study in the interchange format, one JSON object per line."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file to write, or - for standard output")

    def handle(self, *args, file, **options):
        pages = (
            CaseStudyPage.objects.live()
            .select_related("provider")
            .prefetch_related(*RELATIONS)
            .order_by("path")
        )
        progress = Progress("Exporting", pages.count(), self.stderr)
        out = sys.stdout if file == "-" else open(file, "w", encoding="utf-8")  # noqa: SIM115
        try:
            for page in pages.iterator(chunk_size=500):
                out.write(json.dumps(case_study_record(page), ensure_ascii=False) + "\n")
                progress.advance()
        finally:
            if out is not sys.stdout:
                out.close()
        progress.finish()
        self.stderr.write(f"Exported {progress.done} case studies.")
