"""E-mail alerts: an address and the searches it follows, each confirmed by a signed link.

Nothing else about the person is kept: no name, no IP address, no record of what they read.
An address that never confirms is deleted after ALERT_CONFIRMATION_DAYS (by the digest
command), and one left with no searches is deleted at once.
"""

from django.db import models

from .searches import MAX_QUERY_STRING_LENGTH, FollowedSearch, title_for, url_with


class AlertAddress(models.Model):
    email = models.EmailField(unique=True)  # stored lower case (forms.AlertSignUpForm)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a search of this address was first confirmed; until then only confirmation
    # e-mails are ever sent to it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the last confirmation e-mail went: at most one every few minutes (alerts.py).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "alert address"
        verbose_name_plural = "alert addresses"

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Alert(models.Model):
    """One search an address follows. Each is confirmed on its own: otherwise anyone who
    knew a confirmed address could add searches to its digest."""

    address = models.ForeignKey(AlertAddress, on_delete=models.CASCADE, related_name="alerts")
    # The search page's parameters, normalised (FollowedSearch.query_string).
    search = models.CharField(max_length=MAX_QUERY_STRING_LENGTH, blank=True)
    description = models.TextField(blank=True)  # "for “falls” in Safe", as signed up for
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the last digest that carried this search was sent (only once it was sent).
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "search"], name="one_alert_per_search")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def title(self):
        return title_for(self.description)

    def followed_search(self):
        """The FollowedSearch; raises InvalidSearch when the search no longer parses (a
        theme it names was deleted)."""
        return FollowedSearch.from_query_string(self.search)

    @property
    def sign_up_url(self):
        """The sign-up page for this search again (after unsubscribing by mistake)."""
        return url_with("alert-sign-up", self.search)

    @property
    def search_url(self):
        return url_with("search", self.search)
