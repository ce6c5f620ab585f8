"""Practice for my gaps: a service's key questions rated Inadequate or Requires improvement,
worst first, each matched to the best case studies that address it.

A case study ranks higher when its provider is Outstanding in that key question, then when
it comes from the reader's own type of service (when they say which), then from the same
kind of service (care home or community service), then from the same region; newest first
within each. Practice whose provider's rating has dropped is never recommended. Where
nothing is weak, the same matching offers practice to move from Good to Outstanding.

The matching (matching_practice) also serves a reader without a CQC location, and a single
quality statement: the self-assessment matches the statements its answers say are weakest.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.db.models.functions import Replace

from knowledgebase.cqc.ratings import CareLocation, OtherLocation, latest_ratings
from knowledgebase.cqc.terms import CARE_HOME, COMMUNITY
from knowledgebase.vocabularies import KEY_QUESTION_CHOICES, labels

from . import backends
from .query import SearchQuery

LOCATION_ID = re.compile(r"^1-[0-9]{6,11}$")
WEAK_RATINGS = ("inadequate", "requires-improvement")  # worst first
RESULTS_PER_GAP = 5
MAX_FOUND_LOCATIONS = 20
KIND_SERVICE_TYPES = {
    CARE_HOME: ("residential-care-home", "nursing-home"),
    COMMUNITY: (
        "homecare",
        "supported-living",
        "extra-care-housing",
        "day-service",
        "shared-lives",
    ),
}
KEY_QUESTIONS = [slug for slug, _ in KEY_QUESTION_CHOICES]  # CQC's order


class MalformedLocationId(ValueError):
    pass


def location_by_id(location_id):
    """The adult social care location with this CQC id, or None. MalformedLocationId when
    the id cannot be one."""
    location_id = location_id.strip()
    if not LOCATION_ID.match(location_id):
        raise MalformedLocationId(
            f"{location_id!r} is not a CQC location id: they look like 1-1234567890."
        )
    return CareLocation.objects.filter(location_id=location_id).first()


def find_locations(text):
    """Adult social care locations whose id, name or postcode matches what the reader typed."""
    text = " ".join(text.split())
    if not text:
        return []
    postcode = text.replace(" ", "")
    matches = CareLocation.objects.annotate(
        compact_postcode=Replace("postcode", Value(" "), Value(""))
    ).filter(
        Q(location_id=text)
        | Q(name__icontains=text)
        | (
            Q(compact_postcode__istartswith=postcode) & Q(postcode__gt="")
            if len(postcode) >= 3
            else Q(pk__in=[])
        )
    )
    return list(matches.order_by("name")[:MAX_FOUND_LOCATIONS])


def other_location_type(location_id):
    """What CQC lists a location as, when it is in the ratings file but not adult social care
    (a GP practice, a dentist...); None when it is not known at all."""
    other = OtherLocation.objects.filter(location_id=location_id.strip()).first()
    return other.location_type if other else None


@dataclass
class Gap:
    key_question: str
    rating: str
    results: list  # Hits, best first
    backend: str

    @property
    def label(self):
        return dict(KEY_QUESTION_CHOICES)[self.key_question]

    @property
    def rating_label(self):
        return labels("ratings")[self.rating]

    def as_json(self):
        return {
            "key_question": self.key_question,
            "rating": self.rating,
            "results": [hit.as_json() for hit in self.results],
        }


@dataclass
class PracticeFor:
    location: CareLocation
    ratings: dict  # domain slug -> its latest RatingFact
    aim: str  # "improve" (some key question is weak) or "outstanding" (none is)
    gaps: list = field(default_factory=list)
    service_type: str = ""  # the reader's own type of service, when they said
    notice: str = ""

    @property
    def publication_date(self):
        dates = [fact.publication_date for fact in self.ratings.values()]
        return max(dates) if dates else None

    def rating_rows(self):
        return rating_rows(self.ratings)

    def as_json(self):
        location = self.location
        return {
            "location": {
                "id": location.location_id,
                "name": location.name,
                "service_type": location.service_kind,
                "region": location.region,
                "cqc_url": location.cqc_url or None,
                "ratings": {domain: fact.rating for domain, fact in self.ratings.items()},
                "publication_date": str(self.publication_date) if self.publication_date else None,
            },
            "aim": self.aim,
            "gaps": [gap.as_json() for gap in self.gaps],
        }


def rating_rows(ratings):
    """(label, rating slug, rating label, publication date) per domain, overall first, of
    {domain slug: RatingFact} (latest_ratings)."""
    rating_labels = labels("ratings")
    domains = [("overall", "Overall"), *KEY_QUESTION_CHOICES]
    return [
        (label, fact.rating, rating_labels[fact.rating], fact.publication_date)
        for domain, label in domains
        if (fact := ratings.get(domain))
    ]


def weak_key_questions(ratings):
    """Key questions rated Inadequate or Requires improvement: worst first, then CQC's order."""
    weak = [kq for kq in KEY_QUESTIONS if kq in ratings and ratings[kq].rating in WEAK_RATINGS]
    return sorted(
        weak, key=lambda kq: (WEAK_RATINGS.index(ratings[kq].rating), KEY_QUESTIONS.index(kq))
    )


def kind_of_service(location=None, service_type=""):
    """Care home or community: the location's kind, else that of the reader's own type of
    service (a reader without a CQC location id), else ""."""
    if location is not None:
        return location.service_kind
    return next((kind for kind, types in KIND_SERVICE_TYPES.items() if service_type in types), "")


def matching_practice(
    key_question,
    location=None,
    service_type="",
    quality_statement="",
    page_size=RESULTS_PER_GAP,
):
    """SearchResults: case studies addressing the key question (or, given one, tagged with
    the quality statement of that key question), best for this service first. Without a
    location, the kind of service comes from the reader's type of service, and there is no
    region to prefer."""
    priorities = [("outstanding_in", (key_question,))]
    if service_type:
        priorities.append(("service_type", (service_type,)))
    kind = kind_of_service(location, service_type)
    if kind in KIND_SERVICE_TYPES:
        priorities.append(("service_type", KIND_SERVICE_TYPES[kind]))
    if location is not None and location.region:
        priorities.append(("region", (location.region,)))
    filters = (
        {"quality_statement": [quality_statement]}
        if quality_statement
        else {"key_question": [key_question]}
    )
    query = SearchQuery(
        filters=filters,
        page_size=page_size,
        priorities=tuple(priorities),
        exclude_rating_dropped=True,
    )
    return backends.search(query)


def practice_for(location, service_type=""):
    ratings = latest_ratings([location.location_id]).get(location.location_id, {})
    weak = weak_key_questions(ratings)
    aim = "improve" if weak else "outstanding"
    if not weak:
        weak = [kq for kq in KEY_QUESTIONS if kq in ratings and ratings[kq].rating == "good"]
    result = PracticeFor(location, ratings, aim, service_type=service_type)
    for kq in weak:
        found = matching_practice(kq, location, service_type)
        result.gaps.append(Gap(kq, ratings[kq].rating, found.hits, found.backend))
        result.notice = result.notice or found.notice
    return result
