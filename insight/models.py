"""Search insight's record: one row per public search, with no personal data."""

from django.db import models


class SearchLog(models.Model):
    """One search someone made on the search page or through the API (search.events).

    No person is in it: the words are normalised with e-mail addresses, phone numbers,
    postcodes and CQC location ids replaced (insight/search_log.py), and there is only the
    date: no time, no address, no session, no user. Deleted after SEARCH_LOG_RETENTION_DAYS
    (`manage.py delete_old_search_logs`).
    """

    SOURCES = (("page", "Search page"), ("api", "JSON API"))

    date = models.DateField(db_index=True)
    query = models.CharField("words", max_length=255, blank=True, db_index=True)
    filters = models.JSONField(default=dict, blank=True)  # facet name -> [slug]
    result_count = models.PositiveIntegerField()
    backend = models.CharField(max_length=20)  # "elasticsearch" or "database"
    source = models.CharField(max_length=10, choices=SOURCES)
    # A result of this search was opened (through the click-through, insight/views.py).
    opened = models.BooleanField(default=False)

    class Meta:
        verbose_name = "search log entry"
        verbose_name_plural = "search log"
        default_permissions = ()
        permissions = [
            ("view_search_insight", "Can see search insight"),
            ("view_coverage", "Can see coverage"),
        ]

    def __str__(self):
        return f"{self.date}: “{self.query}” ({self.result_count})"
