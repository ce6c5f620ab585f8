"""A case study's vector: what text it is made from, when it is (re)computed, where it is kept,
and the similarity ranking both backends fuse with their lexical ranking.

The vector is made from the title and summary: on the development set (database backend)
that scored nDCG@10 0.771 as dense retrieval alone and 0.878 fused, against 0.767 and 0.874
with the challenge added, at a third of the cost (76 tokens a case study instead of 212:
95 vectors a second on two cores instead of 29). An earlier measurement found the whole
text no better (0.861 against 0.859 for title, summary and challenge) at three times the
cost.
"""

import hashlib
import logging
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.db.models import Max

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
SIMILARITY_SLICE = 8192  # rows of the float16 matrix converted at a time
CENTROID_MAX_AGE_SECONDS = 600  # the corpus mean moves slowly; recomputing it is a full read


def text_of(title, summary):
    return f"{title}. {summary}".strip()


def embedding_text(page):
    return text_of(page.title, page.summary)


def text_sha1(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def to_bytes(vector):
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data):
    return np.frombuffer(bytes(data), dtype="<f4")


def ensure_vectors(pages, progress_label=None, on_batch=None):
    """Compute and store the vectors these pages (a queryset) lack or that are out of date;
    how many.

    Batch by batch, each stored as it is computed (on_batch(page ids) after each): a run
    that stops keeps what it did, and the next computes only the rest. Only each page's id,
    revision and text are read (the pages themselves, at 100,000, took 4.5 GB). Without the
    model nothing is computed (search stays lexical) and 0 is returned.
    """
    model = embeddings.get_model()
    if model is None:
        return 0
    rows = pages.order_by().values_list("pk", "live_revision_id", "title", "summary")
    texts = {pk: (revision, text_of(title, summary)) for pk, revision, title, summary in rows}
    stored = CaseStudyVector.objects.filter(model=model.version)
    if len(texts) < 5000:  # a publish or a small import: its own rows, not the corpus's
        stored = stored.filter(page_id__in=list(texts))
    stored = dict(stored.values_list("page_id", "text_sha1"))
    todo = [
        (pk, revision, text)
        for pk, (revision, text) in texts.items()
        if stored.get(pk) != text_sha1(text)
    ]
    del texts, stored
    # Texts of a length together: a batch is padded to its longest text, so mixed lengths
    # cost the model work on padding.
    todo.sort(key=lambda item: len(item[2]))
    # Progress for a command's long run (progress_label), or for a large import's batch.
    show = progress_label is not None or len(todo) > 200
    progress = Progress(progress_label or "Vectors", len(todo), sys.stderr, enabled=show)
    for start in range(0, len(todo), VECTOR_BATCH):
        batch = todo[start : start + VECTOR_BATCH]
        vectors = model.embed_passages([text for _, _, text in batch])
        CaseStudyVector.objects.bulk_create(
            [
                CaseStudyVector(
                    page_id=pk,
                    model=model.version,
                    text_sha1=text_sha1(text),
                    revision_id=revision,
                    vector=to_bytes(vector),
                )
                for (pk, revision, text), vector in zip(batch, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=["model", "text_sha1", "revision_id", "vector", "updated_at"],
        )
        if on_batch:
            on_batch([pk for pk, _, _ in batch])
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


def stored_state(model_version):
    """What changes whenever a vector of this model is stored: the newest update and the
    highest page id. Both are read from indexes (a count would read every row, and ran on
    every search); a deleted vector goes unseen until the next change, which is harmless, as
    every use filters by the live, public pages."""
    state = CaseStudyVector.objects.filter(model=model_version).aggregate(
        latest=Max("updated_at"), highest=Max("page_id")
    )
    return (model_version, state["latest"], state["highest"])


class Centroid:
    """The mean of the stored vectors: a query's dot product with it is the query's mean
    similarity to the whole corpus, the baseline a neighbour must stand out from.

    Recomputing it reads every vector, and the mean of thousands moves slowly: it is kept
    while the number of vectors stays within 1% of what it was made from, for up to
    CENTROID_MAX_AGE_SECONDS; a new model recomputes it at once. The vectors are counted
    only when the stored ones changed (stored_state()), not on every search.
    """

    def __init__(self):
        self.state, self.size, self.vector, self.computed_at = None, 0, None, 0.0
        self.lock = threading.Lock()

    def current(self, model_version):
        state = stored_state(model_version)
        young = time.monotonic() - self.computed_at < CENTROID_MAX_AGE_SECONDS
        if state == self.state and young:
            return self.vector
        with self.lock:
            if state == self.state and young:
                return self.vector
            if self.state is not None and self.state[0] == model_version and young:
                size = CaseStudyVector.objects.filter(model=model_version).count()
                if abs(size - self.size) <= 0.01 * max(size, self.size):
                    self.state = state  # about the same corpus: the mean stands
                    return self.vector
            total, n = np.zeros(embeddings.DIMENSIONS, dtype=np.float64), 0
            rows = CaseStudyVector.objects.filter(model=model_version).values_list("vector")
            for (data,) in rows.iterator(chunk_size=2000):
                total += from_bytes(data)
                n += 1
            self.vector = (total / n).astype(np.float32) if n else None
            self.state, self.size, self.computed_at = state, n, time.monotonic()
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
        key = stored_state(model_version)
        if key != self.key:
            with self.lock:
                if key != self.key:
                    ids, vectors = [], []
                    rows = (
                        CaseStudyVector.objects.filter(model=model_version)
                        .order_by("page_id")
                        .values_list("page_id", "vector")
                    )
                    # float16 as they are read: the whole float32 corpus is never held.
                    for pk, data in rows.iterator(chunk_size=2000):
                        ids.append(pk)
                        vectors.append(from_bytes(data).astype(np.float16))
                    self.ids = np.array(ids, dtype=np.int64)
                    self.matrix = (
                        np.vstack(vectors)
                        if vectors
                        else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float16)
                    )
                    self.key = key
        return self.ids, self.matrix

    def similarities(self, vector, model_version, allowed_ids=None):
        """(ids, cosine similarities) of the stored vectors, only allowed_ids when given."""
        ids, matrix = self.current(model_version)
        query = np.asarray(vector, dtype=np.float32)
        # In slices: a float32 copy of the whole matrix per search would be 150 MB at 100,000.
        similarities = np.concatenate(
            [
                matrix[start : start + SIMILARITY_SLICE].astype(np.float32) @ query
                for start in range(0, len(ids), SIMILARITY_SLICE)
            ]
            or [np.zeros(0, dtype=np.float32)]
        )
        if allowed_ids is not None:
            keep = np.isin(ids, np.fromiter(allowed_ids, dtype=np.int64))
            ids, similarities = ids[keep], similarities[keep]
        return ids, similarities


vector_matrix = VectorMatrix()
