"""What the public search holds of a case study: one document per live, public case study.

Each field is declared once, with its kind and how its value is prepared from the page.
The Elasticsearch index derives its mapping from the kinds (backends/elasticsearch/index.py);
the database backend prepares the same document for the pages it returns; a result (Hit,
results.py) is read from either. A new field is added here and nowhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from knowledgebase.case_studies import CLASSIFICATIONS, CaseStudyPage
from knowledgebase.vocabularies import OUTSTANDING

from .vectors import stored_vector

# Kinds of field: "text" is searched as words; "keyword" is matched and counted exactly
# (one slug or a list of them); "integer" and "date" as they say; "stored" is returned only;
# "vector" is the embedding semantic search compares (search/vectors.py); "boolean" is a
# flag to filter and rank by; "object" is a small mapping that is returned, never searched.
KINDS = ("text", "keyword", "integer", "date", "stored", "vector", "boolean", "object")


@dataclass(frozen=True)
class DocumentField:
    name: str
    kind: str
    prepare: Callable  # page -> value

    def __post_init__(self):
        assert self.kind in KINDS, self.kind


def _provider(attribute):
    return lambda page: getattr(page.provider, attribute) if page.provider else ""


def _terms(page, relation):
    """(slug, label) of the page's terms in a classification, in the vocabulary's order:
    from with_terms() when the page came through it, else from the relation."""
    loaded = getattr(page, "search_terms", None)
    if loaded is not None:
        return loaded[relation]
    return [(term.slug, term.label) for term in getattr(page, relation).all()]


def _slugs(relation):
    return lambda page: [slug for slug, _ in _terms(page, relation)]


def _labels(relation):
    return lambda page: [label for _, label in _terms(page, relation)]


def _published(page):
    return str(page.published_date) if page.published_date else None


def _review_date(page):
    return str(page.review_date) if page.review_date else None


def _ratings(page):
    """The provider's current ratings: {"overall": slug, "safe": slug, ...}."""
    provider = page.provider
    if provider is None:
        return {}
    return {"overall": provider.overall_rating, **provider.key_question_ratings()}


def _outstanding_in(page):
    """Where the provider is rated Outstanding: "overall" and key question slugs."""
    return [domain for domain, rating in _ratings(page).items() if rating == OUTSTANDING]


def _ratings_date(page):
    provider = page.provider
    date = provider and (provider.ratings_published or provider.rating_date)
    return str(date) if date else None


def _vector(page):
    vector = stored_vector(page)
    # Six decimals are plenty for a cosine and keep the JSON short (rounded as one array).
    return None if vector is None else np.round(vector.astype(np.float64), 6).tolist()


FIELDS = (
    DocumentField("page_id", "integer", attrgetter("pk")),
    DocumentField("id", "keyword", attrgetter("external_id")),  # the interchange id
    DocumentField("title", "text", attrgetter("title")),
    DocumentField("summary", "text", attrgetter("summary")),
    DocumentField("challenge", "text", attrgetter("challenge")),
    DocumentField("approach", "text", CaseStudyPage.approach_text),
    DocumentField("outcomes", "text", attrgetter("outcomes")),
    DocumentField("lessons", "text", attrgetter("lessons")),
    DocumentField("adoption", "text", attrgetter("adoption")),
    DocumentField("provider_name", "text", _provider("name")),
    DocumentField("theme_labels", "text", _labels("themes")),
    DocumentField("innovation_type_labels", "text", _labels("innovation_types")),
    DocumentField("url", "stored", lambda page: page.get_url() or page.url_path),
    *(DocumentField(relation, "keyword", _slugs(relation)) for relation in CLASSIFICATIONS),
    DocumentField("service_type", "keyword", _provider("service_type")),
    DocumentField("region", "keyword", _provider("region")),
    DocumentField("overall_rating", "keyword", _provider("overall_rating")),
    DocumentField("published", "date", _published),
    # Its provider no longer meets the Outstanding rule (CQC re-rated it): ranked last, and
    # never recommended as practice for a service's gaps.
    DocumentField("rating_dropped", "boolean", attrgetter("rating_dropped")),
    DocumentField("outstanding_in", "keyword", _outstanding_in),
    # As a moderator confirmed it (knowledgebase/evidence.py); "" when none is.
    DocumentField("evidence_strength", "keyword", attrgetter("evidence_strength")),
    # Past it by more than the grace period, a case study ranks below reviewed ones; compared
    # with the day's cutoff when searching, so the index needs no nightly rewrite.
    DocumentField("review_date", "date", _review_date),
    DocumentField("provider_ratings", "object", _ratings),
    DocumentField("ratings_date", "stored", _ratings_date),
    DocumentField("ratings_source", "stored", _provider("ratings_source")),
    DocumentField("vector", "vector", _vector),
)

# The body fields a result's snippet is cut from, in the order they are tried.
SNIPPET_FIELDS = ("summary", "challenge", "approach", "outcomes", "lessons", "adoption")


def public_document(page, only=None):
    """The search document of one live, public case study page (a plain dict); with only,
    just those fields (the vector and the URL cost a lookup each)."""
    return {field.name: field.prepare(page) for field in FIELDS if not only or field.name in only}


def public_case_studies():
    """Every case study the public may see: live, published, with no view restriction."""
    return CaseStudyPage.objects.live().public()


def indexable_case_studies():
    """The public case studies with what their documents need fetched up front, by id."""
    return (
        public_case_studies()
        .select_related("provider", "search_vector")
        .prefetch_related(*CLASSIFICATIONS)
        .order_by("pk")
    )


def with_terms(pages):
    """The pages, each with its classifications' (slug, label) attached: one query per
    classification for all of them. Django's prefetch (through modelcluster) cost about
    three milliseconds a page, most of a rebuild's time in Python."""
    pages = list(pages)
    by_id = {page.pk: page for page in pages}
    for page in pages:
        page.search_terms = {relation: [] for relation in CLASSIFICATIONS}
    for relation in CLASSIFICATIONS:
        field = CaseStudyPage._meta.get_field(relation)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        ordering = field.related_model._meta.ordering
        rows = (
            field.remote_field.through.objects.filter(**{f"{source}__in": list(by_id)})
            .order_by(*(f"{target}__{name}" for name in ordering))
            .values_list(source, f"{target}__slug", f"{target}__label")
        )
        for page_id, slug, label in rows:
            by_id[page_id].search_terms[relation].append((slug, label))
    return pages


def documents_in_batches(pages, batch=500):
    """Iterate the pages of a queryset of case studies in batches of `batch`, each batch
    read with select_related and with_terms(): for rebuilds and every bulk read."""
    pages = pages.select_related("provider", "search_vector").prefetch_related(None).order_by("pk")
    last = 0
    while True:
        chunk = list(pages.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        yield from with_terms(chunk)
        last = chunk[-1].pk
