"""The weekly digest: for each confirmed address, what is new in each search it confirmed.

New means first published since the search's last digest (or, before its first, since it
was confirmed). Updates to practice the reader was already told about are not news: an
editor's correction would send it again. (The feeds carry updates.) Each search is run
once per digest run, however many addresses follow it, through the search service, so an
alert finds what the search page finds.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from search.documents import public_case_studies

from .models import Alert, AlertAddress
from .searches import FollowedSearch, InvalidSearch

MAX_SHOWN_PER_SEARCH = 10  # the rest: "and 4 more", with a link to them all


def new_case_studies(since):
    """Live, public case studies first published after `since`, whose provider's rating
    has not dropped: what an alert may announce."""
    return (
        public_case_studies()
        .filter(first_published_at__gt=since, rating_dropped=False)
        .select_related("provider")
        .order_by("-first_published_at", "-pk")
    )


def since(alert):
    return alert.last_sent_at or alert.confirmed_at


@dataclass
class SearchNews:
    """One search's part of a digest."""

    alert: Alert
    followed: FollowedSearch
    case_studies: list  # the new matches, newest first

    @property
    def shown(self):
        return self.case_studies[:MAX_SHOWN_PER_SEARCH]


@dataclass
class Digest:
    address: AlertAddress
    news: list = field(default_factory=list)  # SearchNews, for searches with new matches
    quiet: list = field(default_factory=list)  # Alerts checked that had nothing new

    @property
    def checked(self):
        """The alerts this digest reports on: their last digest is this one once it is sent."""
        return [news.alert for news in self.news] + self.quiet

    @property
    def case_study_count(self):
        return len({page.pk for news in self.news for page in news.case_studies})


class DigestRun:
    """One run of the digest: every confirmed address with confirmed searches, the case
    studies new since the earliest of their last digests, and each search's matches among
    them, found once."""

    def __init__(self):
        self.addresses = list(
            AlertAddress.objects.exclude(confirmed_at=None)
            .filter(alerts__confirmed_at__isnull=False)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "alerts",
                    queryset=Alert.objects.exclude(confirmed_at=None),
                    to_attr="confirmed_alerts",
                )
            )
            .order_by("pk")
        )
        self.earliest = {}  # search -> the earliest time any address last heard of it
        for address in self.addresses:
            for alert in address.confirmed_alerts:
                start = since(alert)
                self.earliest[alert.search] = min(self.earliest.get(alert.search, start), start)
        self.candidates = (
            list(new_case_studies(min(self.earliest.values()))) if self.earliest else []
        )
        self._matches = {}  # search -> its matches among the candidates, or None if invalid
        self.problems = []  # said by the command: searches that no longer parse

    def matches(self, search):
        if search not in self._matches:
            start = self.earliest[search]
            candidates = [page for page in self.candidates if page.first_published_at > start]
            try:
                followed = FollowedSearch.from_query_string(search)
            except InvalidSearch as exc:
                # A theme or other term it names was removed: left out, and reported.
                self.problems.append(f"Search “{search}” no longer works: {exc.message}")
                self._matches[search] = None
            else:
                self._matches[search] = (followed, followed.matches_among(candidates))
        return self._matches[search]

    def digest_for(self, address):
        digest = Digest(address)
        for alert in address.confirmed_alerts:
            if not self.candidates:  # nothing new anywhere: no search to run
                digest.quiet.append(alert)
                continue
            found = self.matches(alert.search)
            if found is None:
                continue
            followed, matches = found
            new = [page for page in matches if page.first_published_at > since(alert)]
            if new:
                digest.news.append(SearchNews(alert, followed, new))
            else:
                digest.quiet.append(alert)
        return digest


def mark_sent(digest, sent_from):
    """After the digest was sent: each search it reported on was last sent at `sent_from`,
    the moment the run began looking (what was published while it ran comes next time)."""
    Alert.objects.filter(pk__in=[alert.pk for alert in digest.checked]).update(
        last_sent_at=sent_from
    )
