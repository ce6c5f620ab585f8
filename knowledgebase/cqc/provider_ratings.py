"""Providers take their ratings from CQC's facts.

After each import, each provider whose CQC location has facts takes, per domain, the latest
rating CQC has published for the location itself (service group Overall), and says so:
ratings_source "cqc", with the file the location was last seen in and the publication date.
A domain with no fact keeps the rating it had. Non-ratings are never stored as facts, so a
"Not Rated" (since September 2026, the overall rating shown for an adult social care location
that provides more than one type of service) never wipes a rating: the latest real one
stands. Providers whose location has no facts keep their ratings as entered.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ..providers import FROM_CQC, RATING_FIELDS, RATING_VALUE_FIELDS, Provider
from .ratings import latest_ratings
from .terms import OVERALL

WRITTEN_FIELDS = (
    *RATING_VALUE_FIELDS,
    "ratings_source",
    "ratings_source_file",
    "ratings_published",
    "updated_at",
)


@dataclass
class ProviderRefresh:
    ratings_changed: list = field(default_factory=list)  # provider ids, sorted


def refresh_providers():
    """Set each covered provider's ratings from the latest facts; bulk, without post_save."""
    providers = {p.cqc_location_id: p for p in Provider.objects.all()}
    refresh, written = ProviderRefresh(), []
    now = timezone.now()
    for location_id, facts in latest_ratings(providers).items():
        provider = providers[location_id]
        before = (*provider.ratings(), provider.ratings_source)
        before_source = (provider.ratings_source_file, provider.ratings_published)
        take_ratings(provider, facts)
        if (*provider.ratings(), provider.ratings_source) != before:
            refresh.ratings_changed.append(provider.pk)
        elif (provider.ratings_source_file, provider.ratings_published) == before_source:
            continue  # nothing to write
        provider.updated_at = now
        written.append(provider)
    Provider.objects.bulk_update(written, WRITTEN_FIELDS, batch_size=500)
    refresh.ratings_changed.sort()
    return refresh


def take_ratings(provider, facts):
    """Set the provider's ratings from {domain: latest RatingFact} (in memory)."""
    if OVERALL in facts:
        provider.overall_rating = facts[OVERALL].rating
    for key_question, field_name in RATING_FIELDS.items():
        if key_question in facts:
            setattr(provider, field_name, facts[key_question].rating)
    newest = max(facts.values(), key=lambda fact: fact.publication_date)
    last_seen_in = newest.location.last_seen_in
    provider.rating_date = newest.publication_date
    provider.ratings_published = newest.publication_date
    provider.ratings_source = FROM_CQC
    provider.ratings_source_file = last_seen_in.file_name if last_seen_in else newest.source_file
