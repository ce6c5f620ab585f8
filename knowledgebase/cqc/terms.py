"""CQC's words in its ratings file, and the product's slugs for them.

The file speaks the regulator's spelling ("Yorkshire & Humberside", "Requires Improvement",
"Social Care Org"); the product speaks the slugs of data/taxonomy.json. Lookups are by a
normalised form (lower case, single spaces), because the case of the same word varies
between monthly files. They are cached: a file of 320,000 rows has a few dozen distinct
values in each of these columns.
"""

import re
from functools import lru_cache

from ..vocabularies import taxonomy

OVERALL = "overall"
OVERALL_GROUP = "Overall"  # the Service / Population Group of a location's own ratings

# Domain (older files: Key Question) -> slug. The key questions' slugs are the taxonomy's.
DOMAIN_CHOICES = [
    (OVERALL, "Overall"),
    *((term["slug"], term["label"]) for term in taxonomy()["key_questions"]),
]

# Latest Rating -> the taxonomy's rating slug. Anything else (Not Rated, Not applicable,
# blank, Insufficient evidence to rate...) is not a rating.
RATING_SLUGS = {term["label"].lower(): term["slug"] for term in taxonomy()["ratings"]}

# Adult social care is Location Type "Social Care Org" with one of these primary
# inspection categories; the rest of the file is GPs, dentists, hospitals and so on.
ADULT_SOCIAL_CARE_LOCATION_TYPE = "social care org"
CARE_HOME, COMMUNITY = "care-home", "community"
SERVICE_KIND_CHOICES = [(CARE_HOME, "Care home"), (COMMUNITY, "Community based")]
SERVICE_KINDS = {
    "residential social care": CARE_HOME,
    "community based adult social care services": COMMUNITY,
}

# Location Region as CQC spells it -> the taxonomy's region slug (the taxonomy's own labels
# are accepted too, in case a file ever uses them).
CQC_REGIONS = {
    "london": "london",
    "south east": "south-east",
    "south west": "south-west",
    "east": "east-of-england",
    "east midlands": "east-midlands",
    "west midlands": "west-midlands",
    "north east": "north-east",
    "north west": "north-west",
    "yorkshire and humberside": "yorkshire-and-the-humber",
}

_SPACES = re.compile(r"\s+")


def normalised(text):
    """Lower case, '&' as 'and', one space between words: the form lookups are made in."""
    return _SPACES.sub(" ", str(text).replace("&", " and ").replace("\u00a0", " ")).strip().lower()


DOMAINS = {normalised(label): slug for slug, label in DOMAIN_CHOICES} | {"well led": "well-led"}
REGIONS = {normalised(t["label"]): t["slug"] for t in taxonomy()["regions"]} | CQC_REGIONS


@lru_cache(maxsize=1024)
def rating_slug(text):
    """The rating slug for a Latest Rating cell, or None when it is not a rating."""
    return RATING_SLUGS.get(normalised(text))


@lru_cache(maxsize=1024)
def domain_slug(text):
    return DOMAINS.get(normalised(text))


@lru_cache(maxsize=1024)
def region_slug(text):
    """The region slug, or "" for a region the taxonomy does not have (e.g. "Unspecified")."""
    return REGIONS.get(normalised(text), "")


@lru_cache(maxsize=1024)
def service_kind(location_type, primary_inspection_category):
    """ "care-home" or "community" for an adult social care location, else None."""
    if normalised(location_type) != ADULT_SOCIAL_CARE_LOCATION_TYPE:
        return None
    return SERVICE_KINDS.get(normalised(primary_inspection_category))
