"""Measuring relevance: nDCG@10 over a judged query set (relevance/*.json beside this file).

Each query lists the case studies that should come back, graded 3 (what the searcher
most wants), 2 (clearly useful) or 1 (partly useful).
"""

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

from django.http import QueryDict

from . import backends
from .query import SearchQuery

RELEVANCE_DIR = Path(__file__).resolve().parent / "relevance"
# Written together with the demo content and the synonym list, and tuned on: for development.
DEVELOPMENT_JUDGEMENTS = RELEVANCE_DIR / "development.json"
# Written blind (relevance/blind/PROTOCOL.md), never tuned on: the figure to report.
BLIND_JUDGEMENTS = RELEVANCE_DIR / "blind" / "judgements.json"
BOOTSTRAP_SAMPLES = 2000


@dataclass
class QueryScore:
    query: str
    service_type: str
    ndcg: float
    top: list


def dcg(gains):
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at_k(ranked_ids, judgements, k=10):
    ideal = dcg(sorted(judgements.values(), reverse=True)[:k])
    if not ideal:
        return 0.0
    return dcg([judgements.get(doc_id, 0) for doc_id in ranked_ids[:k]]) / ideal


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["queries"]


def evaluate(judged_queries, k=10, ranking="fused"):
    """(mean nDCG@k, [QueryScore], names of the backends that answered).

    Searches go through the configured backend, falling back as the site does; the names
    let a caller check which backend it really measured. ranking is "fused" (what the site
    does), "lexical" or "semantic" (one half alone)."""
    scores = []
    backend_names = set()
    for judged in judged_queries:
        params = QueryDict(mutable=True)
        params["q"] = judged["query"]
        params["page_size"] = str(k)
        if judged.get("service_type"):
            params["prefer_service_type"] = judged["service_type"]
        query = SearchQuery.from_params(params)
        query.ranking = ranking
        results = backends.search(query)
        backend_names.add(results.backend)
        ranked = [hit.id for hit in results.hits]
        scores.append(
            QueryScore(
                judged["query"],
                judged.get("service_type", ""),
                ndcg_at_k(ranked, judged["relevant"], k),
                ranked[:3],
            )
        )
    mean = sum(s.ndcg for s in scores) / len(scores) if scores else 0.0
    return mean, scores, backend_names


def bootstrap_interval(values, samples=BOOTSTRAP_SAMPLES, seed=20261201):
    """The 95% interval of the mean, by resampling the queries with replacement."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)  # seeded: the same scores give the same interval
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(samples))
    return means[int(0.025 * samples)], means[int(0.975 * samples) - 1]
