"""A case study's vector: what text it is made from, when it is (re)computed, where it is kept,
and the similarity ranking both backends fuse with their lexical ranking.

The vector is made from the title, summary and challenge: on the development set that
scored nDCG@10 0.859 as dense retrieval alone, against 0.861 for the whole text (three
times the cost) and 0.835 for the best of per-passage vectors.
"""

import hashlib
import logging
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max

from knowledgebase.interchange.progress import Progress

from . import embeddings
from .models import CaseStudyVector

logger = logging.getLogger("search")

VECTOR_BATCH = 64
# Which neighbours count as matches. e5's similarities crowd together (nonsense such as
# "zzzz qqq" scores 0.78 against everything), so a neighbour must stand out from the corpus:
# its similarity must exceed the query's mean similarity to all case studies by this margin.
# On the development set a margin of 0.03 kept 73% of the useful case studies, 2% of the
# others, and nothing for ten nonsense queries (whose best margins were 0.016-0.029).
SIMILARITY_MARGIN = 0.03
MAX_NEIGHBOURS = 100
CENTROID_MAX_AGE_SECONDS = 600  # the corpus mean moves slowly; recomputing it is a full read


def embedding_text(page):
    return f"{page.title}. {page.summary} {page.challenge}".strip()


def text_sha1(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def to_bytes(vector):
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data):
    return np.frombuffer(bytes(data), dtype="<f4")


def ensure_vectors(pages, progress_label=None):
    """Compute and store the vectors these pages lack or that are out of date; how many.

    Without the model nothing is computed (search stays lexical) and 0 is returned.
    """
    model = embeddings.get_model()
    if model is None:
        return 0
    pages = list(pages)
    stored = {
        row["page_id"]: (row["model"], row["text_sha1"])
        for row in CaseStudyVector.objects.filter(page_id__in=[p.pk for p in pages]).values(
            "page_id", "model", "text_sha1"
        )
    }
    todo = []
    for page in pages:
        text = embedding_text(page)
        if stored.get(page.pk) != (model.version, text_sha1(text)):
            todo.append((page, text))
    # Progress for a command's long run (progress_label), or for a large import's batch.
    show = progress_label is not None or len(todo) > 200
    progress = Progress(progress_label or "Vectors", len(todo), sys.stderr, enabled=show)
    for start in range(0, len(todo), VECTOR_BATCH):
        batch = todo[start : start + VECTOR_BATCH]
        vectors = model.embed_passages([text for _, text in batch])
        CaseStudyVector.objects.bulk_create(
            [
                CaseStudyVector(
                    page_id=page.pk,
                    model=model.version,
                    text_sha1=text_sha1(text),
                    revision_id=page.live_revision_id,
                    vector=to_bytes(vector),
                )
                for (page, text), vector in zip(batch, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["model", "text_sha1", "revision_id", "vector", "updated_at"],
        )
        progress.advance(len(batch))
    progress.finish()
    return len(todo)


def stored_vector(page):
    """The page's vector from the current model, or None (select_related("search_vector")
    spares the query)."""
    model = embeddings.get_model()
    try:
        row = page.search_vector
    except CaseStudyVector.DoesNotExist:
        return None
    if model is None or row.model != model.version:
        return None
    return from_bytes(row.vector)


@dataclass
class Neighbours:
    """Case studies like a query or a page, best first: page ids and their similarities."""

    ids: list
    similarities: list


def matches(similarities, ids, baseline, limit=MAX_NEIGHBOURS):
    """The neighbours that count as matches, best first: those that stand out from the
    corpus (baseline: the query's mean similarity to every case study)."""
    order = np.argsort(-similarities)[:limit]
    kept = [i for i in order if similarities[i] >= baseline + SIMILARITY_MARGIN]
    return Neighbours([int(ids[i]) for i in kept], [float(similarities[i]) for i in kept])


class Centroid:
    """The mean of the stored vectors: a query's dot product with it is the query's mean
    similarity to the whole corpus, the baseline a neighbour must stand out from.

    Recomputing it reads every vector, so it is kept while the corpus stays about the same
    (within 1% in size) for up to CENTROID_MAX_AGE_SECONDS; a new model, a corpus that grew
    or shrank more than that, or age recomputes it.
    """

    def __init__(self):
        self.key, self.size, self.vector, self.computed_at = None, 0, None, 0.0
        self.lock = threading.Lock()

    def _fresh(self, model_version, size):
        return (
            self.key == model_version
            and abs(size - self.size) <= 0.01 * max(size, self.size)
            and time.monotonic() - self.computed_at < CENTROID_MAX_AGE_SECONDS
        )

    def current(self, model_version):
        size = CaseStudyVector.objects.filter(model=model_version).count()
        if self._fresh(model_version, size):
            return self.vector
        with self.lock:
            if not self._fresh(model_version, size):
                total, n = np.zeros(embeddings.DIMENSIONS, dtype=np.float64), 0
                rows = CaseStudyVector.objects.filter(model=model_version).values_list("vector")
                for (data,) in rows.iterator(chunk_size=2000):
                    total += from_bytes(data)
                    n += 1
                self.vector = (total / n).astype(np.float32) if n else None
                self.key, self.size, self.computed_at = model_version, n, time.monotonic()
        return self.vector

    def baseline(self, query_vector, model_version):
        centroid = self.current(model_version)
        return float(centroid @ query_vector) if centroid is not None else 0.0


centroid = Centroid()


class VectorMatrix:
    """Every stored vector in memory, as float16 (the database backend's "index").

    Reloaded when the stored vectors change (a count and a timestamp, one small query).
    """

    def __init__(self):
        self.key = None
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, embeddings.DIMENSIONS), dtype=np.float16)
        self.lock = threading.Lock()

    def current(self, model_version):
        state = CaseStudyVector.objects.filter(model=model_version).aggregate(
            n=Count("pk"), latest=Max("updated_at")
        )
        key = (model_version, state["n"], state["latest"])
        if key != self.key:
            with self.lock:
                if key != self.key:
                    rows = list(
                        CaseStudyVector.objects.filter(model=model_version)
                        .order_by("page_id")
                        .values_list("page_id", "vector")
                    )
                    self.ids = np.array([pk for pk, _ in rows], dtype=np.int64)
                    self.matrix = (
                        np.vstack([from_bytes(v) for _, v in rows]).astype(np.float16)
                        if rows
                        else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float16)
                    )
                    self.key = key
        return self.ids, self.matrix

    def similarities(self, vector, model_version, allowed_ids=None):
        """(ids, cosine similarities) of the stored vectors, only allowed_ids when given."""
        ids, matrix = self.current(model_version)
        if allowed_ids is not None:
            keep = np.isin(ids, np.fromiter(allowed_ids, dtype=np.int64))
            ids, matrix = ids[keep], matrix[keep]
        return ids, matrix.astype(np.float32) @ np.asarray(vector, dtype=np.float32)


vector_matrix = VectorMatrix()
