"""The search query object: what a person asked for, parsed and checked once for every backend."""

from dataclasses import dataclass, field

from knowledgebase.vocabularies import SERVICE_TYPE_CHOICES

from .facets import FACETS
from .results import MAX_RESULT_WINDOW
from .snippets import without_control_characters

MAX_QUERY_LENGTH = 500
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10
MAX_PAGE = 1000
SORTS = ("relevance", "newest")


class InvalidSearch(ValueError):
    """A parameter no search can answer; the message says which and why."""

    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


NUL = "\x00"


def parameter_with_nul(params):
    """The name of the first query parameter with a NUL character in its value or its name
    (without the NUL), or None. A NUL is never meaningful in a search, and PostgreSQL
    refuses it in any text (a 500, before this check)."""
    for name, values in params.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "") or "a parameter's name"
    return None


@dataclass
class SearchQuery:
    q: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of slugs (OR within)
    prefer_service_type: str = ""  # boosts, never filters
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # Set by code, never from a URL:
    # "fused" (what the site does), or one half alone: for measuring (evaluate_relevance).
    ranking: str = "fused"
    # Browsing (no words) in an order of preferences, each (document field, values), the
    # first the strongest: practice for a service's gaps (search/practice_for.py).
    priorities: tuple = ()
    # Leave out case studies whose provider's rating dropped.
    exclude_rating_dropped: bool = False

    @property
    def effective_sort(self):
        # With no words there is no relevance to sort by: newest first.
        return self.sort if self.q else "newest"

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def selected(self, facet_name):
        return self.filters.get(facet_name, [])

    @classmethod
    def from_params(cls, params):
        """Build from a QueryDict (repeated parameters allowed). Raises InvalidSearch."""
        # Control characters are never meaningful in a question, and XML 1.0 cannot carry
        # them (the search's Atom feed): read as spaces.
        q = " ".join(without_control_characters(params.get("q", "")).split())
        if len(q) > MAX_QUERY_LENGTH:
            raise InvalidSearch("q", f"q is too long: at most {MAX_QUERY_LENGTH} characters.")
        filters = {}
        for facet in FACETS:
            values = [v.strip() for v in params.getlist(facet.name) if v.strip()]
            if not values:
                continue
            known = {slug for slug, _ in facet.options()}
            unknown = [v for v in values if v not in known]
            if unknown:
                raise InvalidSearch(
                    facet.name, f"Unknown {facet.name}: {', '.join(sorted(set(unknown)))}."
                )
            filters[facet.name] = list(dict.fromkeys(values))
        prefer = params.get("prefer_service_type", "").strip()
        if prefer and prefer not in dict(SERVICE_TYPE_CHOICES):
            raise InvalidSearch("prefer_service_type", f"Unknown service type: {prefer}.")
        sort = params.get("sort", "relevance").strip() or "relevance"
        if sort not in SORTS:
            raise InvalidSearch("sort", f"sort must be one of: {', '.join(SORTS)}.")
        page = _positive_int(params, "page", 1, MAX_PAGE)
        page_size = _positive_int(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        if page * page_size > MAX_RESULT_WINDOW:
            raise InvalidSearch(
                "page",
                f"Results go {MAX_RESULT_WINDOW} deep: page x page_size must be at most "
                f"{MAX_RESULT_WINDOW} (page {MAX_RESULT_WINDOW // page_size} at most, "
                f"at {page_size} a page).",
            )
        return cls(q, filters, prefer, sort, page, page_size)


def _positive_int(params, name, default, maximum):
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSearch(name, f"{name} must be a whole number.") from None
    if not 1 <= value <= maximum:
        raise InvalidSearch(name, f"{name} must be between 1 and {maximum}.")
    return value
