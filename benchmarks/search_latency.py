"""Search latency and relevance for each backend over the demo content, fused and lexical.

    .venv/bin/python benchmarks/search_latency.py

Needs DATABASE_URL (the database to load the demo content into; its case studies are
replaced) and, for the Elasticsearch figures, ELASTICSEARCH_URL. scripts/benchmark.sh
sets both. Prints, one line a figure:
  - the query embedding's p50/p95 (each query embedded afresh, the cache cleared);
  - GET /api/search/ p50/p95 per backend with fusion and with lexical ranking only (the
    model switched off), and what fusion adds at p95;
  - the embedding throughput at import (case studies a second);
  - nDCG@10 of the development set (the blind set: benchmarks/relevance.py).
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
from django.test import Client  # noqa: E402

from knowledgebase.case_studies import CaseStudyPage  # noqa: E402
from knowledgebase.interchange.importer import CaseStudyImporter  # noqa: E402
from search import backends, embeddings  # noqa: E402
from search.backends.elasticsearch.client import client  # noqa: E402
from search.backends.elasticsearch.rebuild import rebuild  # noqa: E402
from search.evaluation import DEVELOPMENT_JUDGEMENTS, evaluate, load  # noqa: E402
from search.vectors import embedding_text  # noqa: E402

ROUNDS = 5


def percentiles(timings):
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def api_timings(http, judged):
    timings = []
    for _ in range(ROUNDS):
        for judgement in judged:
            embeddings._query_vector.cache_clear()  # every query embedded afresh
            started = time.perf_counter()
            response = http.get("/api/search/", {"q": judgement["query"]})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
    return timings


def main():
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    if not CaseStudyPage.objects.filter(external_id__startswith="cs-").exists():
        demo = (ROOT / "knowledgebase" / "demo" / "case_studies.jsonl").read_text().splitlines()
        CaseStudyImporter().import_lines(demo)
    judged = load(DEVELOPMENT_JUDGEMENTS)
    model = embeddings.get_model()
    if model is None:
        sys.exit(f"The embedding model is unavailable: {embeddings.status()['reason']}")

    query_ms = []
    for judgement in judged * ROUNDS:
        started = time.perf_counter()
        model.embed_query(judgement["query"])
        query_ms.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(query_ms)
    print(f"embedding query_p50_ms={p50:.1f} query_p95_ms={p95:.1f} queries={len(query_ms)}")

    texts = [embedding_text(page) for page in CaseStudyPage.objects.live()]
    started = time.perf_counter()
    model.embed_passages(texts)
    elapsed = time.perf_counter() - started
    print(f"embedding passages_per_s={len(texts) / elapsed:.1f} (title, summary and challenge)")

    http = Client()
    for backend in (["elasticsearch"] if es_url else []) + ["database"]:
        settings.ELASTICSEARCH_URL = es_url if backend == "elasticsearch" else ""
        settings.SEARCH_INDEX_ALIAS = "benchmark-case-studies"
        client.cache_clear()
        backends.reset_circuit()
        if backend == "elasticsearch":
            rebuild()
        figures = {}
        for ranking, semantic in (("fused", True), ("lexical", False)):
            settings.SEMANTIC_SEARCH = semantic
            embeddings.reset()
            api_timings(http, judged[:5])  # warm up
            figures[ranking] = percentiles(api_timings(http, judged))
            mean, _, names = evaluate(judged)
            print(
                f"search backend={backend} ranking={ranking} api_p50_ms={figures[ranking][0]:.1f}"
                f" api_p95_ms={figures[ranking][1]:.1f} dev_ndcg10={mean:.3f}"
                f" answered_by={','.join(sorted(names))}"
            )
        added = figures["fused"][1] - figures["lexical"][1]
        print(f"search backend={backend} fusion_adds_p95_ms={added:.1f} (target: at most 15)")
    settings.SEMANTIC_SEARCH = True
    embeddings.reset()


if __name__ == "__main__":
    main()
