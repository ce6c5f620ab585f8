"""The requests the Elasticsearch backend sends: relevance, filters, facets, highlights,
related practice and autocomplete, built with elasticsearch-dsl."""

from elasticsearch_dsl import A, Q, Search
from elasticsearch_dsl.query import MoreLikeThis

from ...documents import SNIPPET_FIELDS
from ...facets import FACETS
from ...results import SNIPPET_LENGTH
from ...synonyms import concepts
from .client import alias_name, client

# Title and summary say what the practice is; the body says it at length.
TEXT_FIELDS = [
    "title^4",
    "summary^3",
    "theme_labels^2",
    "innovation_type_labels^2",
    "provider_name^1.5",
    "challenge",
    "approach",
    "outcomes",
    "lessons",
    "adoption",
]
FUZZY_FIELDS = [f.replace("^", ".plain^") if "^" in f else f"{f}.plain" for f in TEXT_FIELDS]
MINIMUM_SHOULD_MATCH = "1<50%"  # one word must match; of longer queries, half (measured best)
SERVICE_TYPE_BOOST = 1.5
LOOSE_PHRASE_BOOST = 0.6


def loose_phrases(q, limit=40):
    """Multi-word terms of the query's concepts, matched with all words anywhere.

    synonym_graph turns "carers quitting" into phrases ("staff turnover"), which miss
    "turnover among our care staff". Matching those words loosely, at a lower weight,
    finds it; measured on the relevance set it lifts nDCG@10 from 0.85 to 0.90.
    """
    terms = [t for concept in concepts(q) for t in concept if " " in t][:limit]
    return [
        Q("multi_match", query=t, fields=TEXT_FIELDS, operator="and", analyzer="english_text")
        for t in terms
    ]


def text_query(q):
    """Words as typed, never as query syntax: match queries treat every character as text."""
    loose = loose_phrases(q)
    return Q(
        "bool",
        should=[
            # Stemming and the sector's synonyms.
            Q(
                "multi_match",
                query=q,
                fields=TEXT_FIELDS,
                type="best_fields",
                tie_breaker=0.3,
                minimum_should_match=MINIMUM_SHOULD_MATCH,
            ),
            # Typos in words of five letters or more, against unstemmed words.
            Q(
                "multi_match",
                query=q,
                fields=FUZZY_FIELDS,
                type="best_fields",
                tie_breaker=0.3,
                fuzziness="AUTO:5,8",
                prefix_length=1,
                analyzer="plain_text",
                minimum_should_match=MINIMUM_SHOULD_MATCH,
                boost=0.5,
            ),
            # The words together, near each other, in the title or summary.
            Q(
                "multi_match",
                query=q,
                fields=["title^4", "summary^2"],
                type="phrase",
                slop=3,
                boost=2,
            ),
            *([Q("bool", should=loose, boost=LOOSE_PHRASE_BOOST)] if loose else []),
        ],
        minimum_should_match=1,
    )


def facet_filter(facet, values):
    return Q("terms", **{facet.field: values})


def build_search(query, index=None):
    """The whole request: query, service type preference, post_filter, facet aggregations."""
    search = Search(using=client(), index=index or alias_name())
    scored = text_query(query.q) if query.q else Q("match_all")
    if query.prefer_service_type:
        scored = Q(
            "function_score",
            query=scored,
            functions=[
                {
                    "filter": Q("term", service_type=query.prefer_service_type).to_dict(),
                    "weight": SERVICE_TYPE_BOOST,
                }
            ],
            boost_mode="multiply",
        )
    search = search.query(scored)

    filters = {
        facet.name: facet_filter(facet, query.filters[facet.name])
        for facet in FACETS
        if query.filters.get(facet.name)
    }
    if filters:
        # post_filter narrows the hits but not the aggregations, so each facet can count
        # as if its own selection were not made while honouring every other facet.
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet.name]
        agg = A("filter", Q("bool", filter=others)) if others else A("filter", Q("match_all"))
        agg.bucket("values", "terms", field=facet.field, size=200)
        search.aggs.bucket(facet.name, agg)

    if query.effective_sort == "newest":
        search = search.sort(
            *(["_score"] if query.prefer_service_type and not query.q else []),
            {"published": {"order": "desc", "missing": "_last"}},
            "_score",
        )
    else:
        search = search.sort("_score", {"published": {"order": "desc", "missing": "_last"}})
    if query.q:
        search = search.highlight_options(
            type="unified",
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=SNIPPET_LENGTH,
            number_of_fragments=1,
            no_match_size=0,
            # Synonyms but not typos: fuzzy highlighting costs seconds on long texts.
            highlight_query=Q("multi_match", query=query.q, fields=SNIPPET_FIELDS).to_dict(),
        ).highlight(*SNIPPET_FIELDS)
    search = search.extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


RELATED_FIELDS = [
    "title",
    "summary",
    "challenge",
    "approach",
    "theme_labels",
    "innovation_type_labels",
]


def related_search(page_id, like_text, limit):
    """Case studies whose words are most like like_text, the page itself left out."""
    return (
        Search(using=client(), index=alias_name())
        .query(
            MoreLikeThis(
                fields=RELATED_FIELDS,
                like=[like_text],
                analyzer="english_text",
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=40,
                minimum_should_match="10%",
            )
        )
        .exclude("term", page_id=page_id)
        .source(["page_id"])[:limit]
    )


def suggest_search(prefix, limit):
    return (
        Search(using=client(), index=alias_name())
        # Every word typed must start a word of the title; the last may be unfinished.
        .query("match_bool_prefix", **{"title.plain": {"query": prefix, "operator": "and"}})
        .source(["title", "url"])[:limit]
    )
