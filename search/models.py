from django.db import models


class PendingIndexUpdate(models.Model):
    """A case study whose search document must be brought up to date.

    Written in the same transaction as the change that caused it, removed only once
    Elasticsearch has accepted the update, so an outage loses nothing: the row waits
    and is replayed when Elasticsearch answers again.
    """

    page_id = models.PositiveIntegerField(unique=True)
    reason = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"page {self.page_id} ({self.reason})"
