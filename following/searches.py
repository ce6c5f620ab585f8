"""A search someone follows: the search page's words and filters, and what is new in it.

Feeds and e-mail alerts follow the same thing the search page finds. What only orders or
pages the results (sort, page, page size, "my service type") does not change which case
studies match, so it is left out: two links to the same search give the same followed
search, the same feed and the same alert.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from search import backends
from search.facets import FACETS, FACETS_BY_NAME
from search.query import MAX_PAGE_SIZE, InvalidSearch, SearchQuery, parameter_with_nul

# Stored as an alert's search (Alert.search); PostgreSQL indexes at most about 2,700 bytes
# of a value, and a search this long is a URL no person typed.
MAX_QUERY_STRING_LENGTH = 2000
# How far down the search's matches, newest first, to look for new case studies: 10 pages
# of 50. New case studies are near the top unless their published date was set far back
# (an import of older practice).
MAX_PAGES_LOOKED_AT = 10

# Facets whose single value has a feed of its own (following/urls.py).
OWN_FEEDS = {"theme": "theme-feed", "key_question": "key-question-feed"}

# How each facet's values are said after the case studies they narrow, e.g. "in Safe".
FACET_PHRASES = {
    "theme": "on",
    "innovation_type": "using",
    "key_question": "in",
    "quality_statement": "in",
    "service_type": "in",
    "region": "in",
    "evidence_type": "with",
}


@dataclass(frozen=True)
class FollowedSearch:
    q: str = ""
    # ((facet name, (slug, ...)), ...): in the order of FACETS, each facet's slugs sorted.
    filters: tuple = ()

    @classmethod
    def from_params(cls, params):
        """From the search page's own query parameters (a QueryDict), checked as the search
        page checks them (SearchQuery.from_params). Raises InvalidSearch."""
        with_nul = parameter_with_nul(params)
        if with_nul is not None:
            raise InvalidSearch(with_nul, "A parameter contains a NUL character (%00).")
        followed = cls.from_query(SearchQuery.from_params(params))
        if len(followed.query_string) > MAX_QUERY_STRING_LENGTH:
            raise InvalidSearch(
                "q", "This search is too long to follow: use fewer words or filters."
            )
        return followed

    @classmethod
    def from_query(cls, query):
        """From a SearchQuery, such as the search page's."""
        filters = tuple(
            (facet.name, tuple(sorted(query.selected(facet.name))))
            for facet in FACETS
            if query.selected(facet.name)
        )
        return cls(q=query.q, filters=filters)

    @classmethod
    def from_query_string(cls, query_string):
        """From a stored query_string (an alert's). Raises InvalidSearch when it no longer
        parses, e.g. when a theme it names was deleted."""
        return cls.from_params(QueryDict(query_string))

    @property
    def query_string(self):
        """The search page's parameters for this search, the same for the same search."""
        return urlencode(self._pairs())

    def _pairs(self):
        pairs = [("q", self.q)] if self.q else []
        return pairs + [(name, value) for name, values in self.filters for value in values]

    @property
    def search_url(self):
        return url_with("search", self.query_string)

    @property
    def newest_url(self):
        """The search page with the newest matches first."""
        return f"{reverse('search')}?{urlencode([*self._pairs(), ('sort', 'newest')])}"

    @property
    def feed_url(self):
        return url_with("search-feed", self.query_string)

    @property
    def offered_feed_url(self):
        """The feed to offer for this search: the site's, a theme's or a key question's own
        feed when that is all the search narrows by (the same case studies, a stable URL a
        reader recognises), else this search's feed."""
        if not self.q and not self.filters:
            return reverse("feed")
        if not self.q and len(self.filters) == 1:
            [(name, values)] = self.filters
            if len(values) == 1 and name in OWN_FEEDS:
                return reverse(OWN_FEEDS[name], args=[values[0]])
        return self.feed_url

    @property
    def sign_up_url(self):
        return url_with("alert-sign-up", self.query_string)

    def description(self):
        """What the search follows, said after "case studies": "for “falls” in Safe",
        "for “falls” on Falls prevention or Dementia care, in Safe", or "" for everything."""
        narrowed = []
        for name, values in self.filters:
            labels = dict(FACETS_BY_NAME[name].options())
            said = " or ".join(labels.get(value, value) for value in values)
            narrowed.append(f"{FACET_PHRASES[name]} {said}")
        words = f"for “{self.q}”" if self.q else ""
        return " ".join(part for part in (words, ", ".join(narrowed)) if part)

    def title(self):
        return title_for(self.description())

    def search_query(self, page=1):
        """The SearchQuery that finds this search's matches, newest first, 50 a page,
        without practice whose provider's rating dropped: a feed reader or an e-mail would
        show it without the page's notice that the rating changed."""
        return SearchQuery(
            q=self.q,
            filters={name: list(values) for name, values in self.filters},
            sort="newest",
            page=page,
            page_size=MAX_PAGE_SIZE,
            exclude_rating_dropped=True,
        )

    def newest_matches(self):
        """The page ids of the newest matches (by published date), from the search service
        as the search page finds them, on whichever backend answers."""
        return [hit.page_id for hit in backends.search(self.search_query()).hits]

    def matches_among(self, candidates):
        """Which of the candidates (CaseStudyPages) this search matches, in the search's
        order, newest first. The search is read page by page, newest first, until every
        candidate has been seen or the matches are older than the oldest candidate."""
        wanted = {page.pk: page for page in candidates}
        if not wanted:
            return []
        oldest = min(str(page.published_date or "") for page in wanted.values())
        found = []
        for page_number in range(1, MAX_PAGES_LOOKED_AT + 1):
            results = backends.search(self.search_query(page_number))
            hits = results.hits
            found += [wanted.pop(hit.page_id) for hit in hits if hit.page_id in wanted]
            if (
                not wanted
                or page_number >= results.num_pages
                or not hits
                # Past the newest: what follows is older than any candidate.
                or (hits[-1].published or "") < oldest
            ):
                break
        return found


def url_with(url_name, query_string):
    """The path of a named URL with a followed search's query string."""
    return reverse(url_name) + (f"?{query_string}" if query_string else "")


def title_for(description):
    """ "Case studies for “falls” in Safe", or "All new case studies"."""
    return f"Case studies {description}" if description else "All new case studies"
