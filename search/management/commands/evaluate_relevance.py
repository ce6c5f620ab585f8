from django.core.management.base import BaseCommand

from search.evaluation import DEVELOPMENT_JUDGEMENTS, evaluate, load


class Command(BaseCommand):
    help = "Print nDCG@10 of the configured search backend over a judged query set."

    def add_arguments(self, parser):
        parser.add_argument("--judgements", default=str(DEVELOPMENT_JUDGEMENTS))
        parser.add_argument("--verbose-queries", action="store_true", help="one line per query")

    def handle(self, *args, judgements, verbose_queries=False, **options):
        mean, scores, backend_names = evaluate(load(judgements))
        if verbose_queries:
            for s in sorted(scores, key=lambda s: s.ndcg):
                self.stdout.write(f"{s.ndcg:5.2f}  {s.query!r} {s.service_type}  top: {s.top}")
        self.stdout.write(
            f"nDCG@10 = {mean:.3f} over {len(scores)} queries "
            f"(backend: {', '.join(sorted(backend_names))})"
        )
