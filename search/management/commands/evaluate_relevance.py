from django.core.management.base import BaseCommand, CommandError

from search.evaluation import (
    DEVELOPMENT_JUDGEMENTS,
    bootstrap_interval,
    evaluate,
    load,
)
from search.ranking import RANKINGS


class Command(BaseCommand):
    help = (
        "nDCG@10 of the configured search backend over a judged query set, with a bootstrap "
        "95% interval, for the fused ranking and each half alone, and the worst ten queries. "
        "The database must hold the set's corpus (benchmarks/relevance.py sets this up)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--judgements", default=str(DEVELOPMENT_JUDGEMENTS))
        parser.add_argument("--label", default="", help="the set's name in the output")
        parser.add_argument("--ranking", choices=RANKINGS, action="append")
        parser.add_argument("--worst", type=int, default=10, help="how many weakest queries")
        parser.add_argument("--verbose-queries", action="store_true", help="one line per query")

    def handle(self, *args, judgements, label, ranking, worst, verbose_queries, **options):
        judged = load(judgements)
        label = label or judgements
        for name in ranking or RANKINGS:
            mean, scores, backend_names = evaluate(judged, ranking=name)
            if len(backend_names) != 1:
                raise CommandError(f"answers came from {sorted(backend_names)}: not one backend")
            low, high = bootstrap_interval([s.ndcg for s in scores])
            [backend] = backend_names
            self.stdout.write(
                f"relevance set={label} backend={backend} ranking={name} "
                f"ndcg10={mean:.3f} ci95_low={low:.3f} ci95_high={high:.3f} queries={len(scores)}"
            )
            shown = sorted(scores, key=lambda s: s.ndcg)
            for s in shown if verbose_queries else shown[:worst] if name == "fused" else []:
                self.stdout.write(f"  {s.ndcg:5.2f}  {s.query!r} {s.service_type}  top: {s.top}")
