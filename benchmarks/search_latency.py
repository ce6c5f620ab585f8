"""Search latency and relevance for each backend over the demo content.

    .venv/bin/python benchmarks/search_latency.py

Needs DATABASE_URL (the database to load the demo content into; its case studies are
replaced) and, for the Elasticsearch figures, ELASTICSEARCH_URL. scripts/benchmark.sh
sets both. Prints nDCG@10 of the relevance set and query latency percentiles.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http import QueryDict  # noqa: E402

from knowledgebase.case_studies import CaseStudyPage  # noqa: E402
from knowledgebase.interchange.importer import CaseStudyImporter  # noqa: E402
from search import backends  # noqa: E402
from search.backends.elasticsearch.client import client  # noqa: E402
from search.backends.elasticsearch.rebuild import rebuild  # noqa: E402
from search.evaluation import DEVELOPMENT_JUDGEMENTS, evaluate, load  # noqa: E402
from search.query import SearchQuery  # noqa: E402

ROUNDS = 5


def main():
    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    if not CaseStudyPage.objects.filter(external_id__startswith="cs-").exists():
        demo = (ROOT / "knowledgebase" / "demo" / "case_studies.jsonl").read_text().splitlines()
        CaseStudyImporter().import_lines(demo)
    judged = load(DEVELOPMENT_JUDGEMENTS)
    for backend in (["elasticsearch"] if es_url else []) + ["database"]:
        settings.ELASTICSEARCH_URL = es_url if backend == "elasticsearch" else ""
        settings.SEARCH_INDEX_ALIAS = "benchmark-case-studies"
        client.cache_clear()
        backends.reset_circuit()
        if backend == "elasticsearch":
            rebuild()
        mean, _, names = evaluate(judged)
        timings = []
        for round_number in range(ROUNDS):
            for judgement in judged:
                params = QueryDict(mutable=True)
                params["q"] = judgement["query"]
                started = time.perf_counter()
                backends.search(SearchQuery.from_params(params))
                timings.append((time.perf_counter() - started) * 1000)
            print(f"  {backend}: round {round_number + 1}/{ROUNDS}", file=sys.stderr)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"search[{backend}]: nDCG@10 {mean:.3f}; {len(timings)} searches, "
            f"median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms "
            f"(answered by {', '.join(sorted(names))})"
        )


if __name__ == "__main__":
    main()
