"""The result shapes every backend returns, and the JSON the API makes of them."""

import html
from dataclasses import dataclass, field, fields

from knowledgebase.case_studies import not_recently_reviewed

SNIPPET_LENGTH = 180
# How deep results go, for every backend (Elasticsearch's max_result_window for the index):
# page x page_size at most this (query.py refuses deeper). Nobody reads the 10,001st
# result; a crawler would, and each deeper page costs more.
MAX_RESULT_WINDOW = 10000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    """One case study in a result list. Every field but the last three is a document field
    (documents.py) of the same name, so a hit is read from a document by name."""

    page_id: int
    id: str  # the interchange id
    title: str
    url: str
    summary: str = ""
    provider_name: str = ""
    service_type: str = ""
    region: str = ""
    published: str | None = None
    themes: list = field(default_factory=list)
    innovation_types: list = field(default_factory=list)
    key_questions: list = field(default_factory=list)
    quality_statements: list = field(default_factory=list)
    evidence_types: list = field(default_factory=list)
    evidence_strength: str = ""  # confirmed by a moderator; "" when not graded
    review_date: str | None = None
    rating_dropped: bool = False
    provider_ratings: dict = field(default_factory=dict)  # {"overall": slug, "safe": slug...}
    ratings_date: str | None = None
    ratings_source: str = ""  # "cqc" (CQC's ratings file) or "entered"
    highlight: str = ""  # HTML: escaped text with <mark> around matches
    score: float | None = None
    # Put first by a curator for this search (search/promotions.py), not ranked there.
    promoted: bool = False

    @property
    def not_recently_reviewed(self):
        """More than the grace period past its review date (ranked after reviewed practice)."""
        return not_recently_reviewed(self.review_date)

    def as_json(self):
        """The hit as the search API gives it (search/openapi.json, SearchResult): every
        field but the page id and the score, the provider as an object; and whether it is
        recently reviewed, which a client cannot tell without the site's grace period."""
        body = {name: getattr(self, name) for name in PUBLIC_FIELDS_OF_A_HIT}
        body["not_recently_reviewed"] = self.not_recently_reviewed
        body["provider"] = {
            "name": body.pop("provider_name"),
            "ratings": body.pop("provider_ratings"),
            "ratings_date": body.pop("ratings_date"),
            "ratings_source": body.pop("ratings_source"),
        }
        body["published"] = body["published"] or None
        return body


DOCUMENT_FIELDS_OF_A_HIT = tuple(
    f.name for f in fields(Hit) if f.name not in ("highlight", "score", "promoted")
)
PUBLIC_FIELDS_OF_A_HIT = tuple(f.name for f in fields(Hit) if f.name not in ("page_id", "score"))


def plain_snippet(text):
    """The start of a text, escaped, for a result with no highlighted match."""
    text = text or ""
    return html.escape(text[:SNIPPET_LENGTH]) + ("…" if len(text) > SNIPPET_LENGTH else "")


def hit_from(document, highlight="", score=None):
    """The result for a search document: one stored in Elasticsearch, or one prepared from a
    page by documents.public_document(). Without a highlight, the summary's start stands in."""
    values = {name: document[name] for name in DOCUMENT_FIELDS_OF_A_HIT if name in document}
    return Hit(
        **values,
        highlight=highlight or plain_snippet(document.get("summary")),
        score=score,
    )


@dataclass
class SearchResults:
    total: int
    hits: list
    facets: dict  # facet name -> [FacetValue]
    backend: str  # "elasticsearch" or "database"
    page: int = 1
    page_size: int = 10
    notice: str = ""  # said to the person, e.g. when the main search is down
    suggestion: str = ""  # "Did you mean ...": the query with unknown words corrected
    # Milliseconds spent in parts of the search, by name (the API's Server-Timing header).
    timings: dict = field(default_factory=dict)

    @property
    def num_pages(self):
        # No further than results go (query.MAX_RESULT_WINDOW): no link to a refused page.
        return max(1, min(-(-self.total // self.page_size), MAX_RESULT_WINDOW // self.page_size))

    def as_json(self):
        """The whole answer of GET /api/search/."""
        return {
            "count": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "num_pages": self.num_pages,
            "backend": self.backend,
            "notice": self.notice or None,
            "did_you_mean": self.suggestion or None,
            "results": [hit.as_json() for hit in self.hits],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
        }


@dataclass
class Answer:
    """A backend's answer to a request that is not a search (related practice, autocomplete),
    with the name of the backend that gave it."""

    items: list
    backend: str
    notice: str = ""
