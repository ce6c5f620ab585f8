from django.db import models
from django.utils import timezone


class PendingIndexUpdateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(applied_at__isnull=True)


class PendingIndexUpdate(models.Model):
    """A change to a case study's public document, to be applied to the search index.

    Written in the same transaction as the change that caused it, marked applied only once
    Elasticsearch has accepted the page's state read after the change committed, so an
    outage loses nothing: the row waits and is replayed when Elasticsearch answers again.
    Every change gets a row of its own (a page changed twice has two), so a change made
    while a replay applies the page's earlier state is never marked applied by it. Applied
    rows are kept for a day: a rebuild replays every page changed since it started
    (rebuild.py), whichever index those changes reached then.
    """

    page_id = models.PositiveIntegerField(db_index=True)
    reason = models.CharField(max_length=60)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = PendingIndexUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(applied_at__isnull=True),
                name="search_pending_updates",
            )
        ]

    def __str__(self):
        return f"page {self.page_id} ({self.reason})"


class CaseStudyVector(models.Model):
    """A case study's embedding (search/embeddings.py), computed once per text and model.

    Rebuilds, reconcile and the database backend read it from here instead of running the
    model again; it is recomputed only when the text it was made from, or the model, changes.
    """

    page = models.OneToOneField(
        "knowledgebase.CaseStudyPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_vector",
    )
    model = models.CharField(max_length=64, help_text="The model version that made it.")
    text_sha1 = models.CharField(max_length=40, help_text="Of the text it was made from.")
    revision_id = models.PositiveIntegerField(null=True, help_text="The live revision then.")
    vector = models.BinaryField(help_text="float32 values, little-endian.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return f"vector of page {self.page_id} ({self.model})"


class SearchVocabulary(models.Model):
    """The words of the public case studies, counted (search/vocabulary.py). One row.

    Counted once and kept here, so a web process loads it instead of reading the corpus:
    publishing adds its page's words, an import adds its pages' words at its end, and
    `search_index --rebuild` or `--vocabulary` counts everything again (withdrawn case
    studies' words go then).
    """

    counts = models.BinaryField(help_text="zlib'd JSON: {word: [occurrences, documents]}.")
    page_ids = models.BinaryField(help_text="The pages counted: little-endian int64s.")
    size = models.PositiveIntegerField(default=0, help_text="How many case studies.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"vocabulary of {self.size} case studies"
