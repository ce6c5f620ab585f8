"""The requests the Elasticsearch backend sends: relevance, filters, facets, highlights,
related practice and autocomplete, built with elasticsearch-dsl."""

from elasticsearch_dsl import A, Q, Search
from elasticsearch_dsl.query import MoreLikeThis

from ...documents import SNIPPET_FIELDS
from ...facets import FACETS
from ...ranking import priority_weights
from ...results import SNIPPET_LENGTH
from ...synonyms import concepts, required_text
from ...vocabulary import vocabulary_cache
from .client import alias_name, client

# Title and summary say what the practice is; the body says it at length.
TEXT_FIELDS = [
    "title^4",
    "summary^3",
    # A case study's own taxonomy labels say what it is about as surely as its title.
    "theme_labels^4",
    "innovation_type_labels^4",
    "provider_name^1.5",
    "challenge",
    "approach",
    "outcomes",
    "lessons",
    "adoption",
]
FUZZY_FIELDS = [f.replace("^", ".plain^") if "^" in f else f"{f}.plain" for f in TEXT_FIELDS]
MINIMUM_SHOULD_MATCH = "1<50%"  # one word must match; of longer queries, half (measured best)
LOOSE_PHRASE_BOOST = 0.6
GENERIC_BOOST = 0.2


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
    """Words as typed, never as query syntax: match queries treat every character as text.

    A match depends on the words that say what the problem is; generic words for people
    ("residents", "people we support"), filler ("we have a real problem with") and words
    most case studies use only add a little to the score, or nearly every case study would
    match.
    """
    core = required_text(q, vocabulary_cache.current().is_common) or q
    loose = loose_phrases(core)
    matched = Q(
        "bool",
        should=[
            # Stemming and the sector's synonyms.
            Q(
                "multi_match",
                query=core,
                fields=TEXT_FIELDS,
                type="best_fields",
                tie_breaker=0.3,
                minimum_should_match=MINIMUM_SHOULD_MATCH,
            ),
            # Typos in words of five letters or more, against unstemmed words.
            Q(
                "multi_match",
                query=core,
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
                query=core,
                fields=["title^4", "summary^2"],
                type="phrase",
                slop=3,
                boost=2,
            ),
            *([Q("bool", should=loose, boost=LOOSE_PHRASE_BOOST)] if loose else []),
        ],
        minimum_should_match=1,
    )
    if core == q:
        return matched
    generic = Q("multi_match", query=q, fields=TEXT_FIELDS, boost=GENERIC_BOOST)
    return Q("bool", must=[matched], should=[generic])


def facet_filter(facet, values):
    return Q("terms", **{facet.field: values})


def selected_filters(query):
    """{facet name: its filter} for the facets the searcher narrowed by."""
    return {
        facet.name: facet_filter(facet, query.filters[facet.name])
        for facet in FACETS
        if query.filters.get(facet.name)
    }


def with_filters_and_facets(search, query):
    """post_filter for the hits, and per facet the counts under the other facets' filters."""
    filters = selected_filters(query)
    if filters:
        # post_filter narrows the hits but not the aggregations, so each facet can count
        # as if its own selection were not made while honouring every other facet.
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for facet in FACETS:
        others = [f for name, f in filters.items() if name != facet.name]
        agg = A("filter", Q("bool", filter=others)) if others else A("filter", Q("match_all"))
        agg.bucket("values", "terms", field=facet.field, size=200)
        search.aggs.bucket(facet.name, agg)
    return search


def with_highlights(search, q):
    return search.highlight_options(
        type="unified",
        encoder="html",
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        fragment_size=SNIPPET_LENGTH,
        number_of_fragments=1,
        no_match_size=0,
        # Synonyms but not typos: fuzzy highlighting costs seconds on long texts.
        highlight_query=Q("multi_match", query=q, fields=SNIPPET_FIELDS).to_dict(),
    ).highlight(*SNIPPET_FIELDS)


NEWEST = {"published": {"order": "desc", "missing": "_last"}}
# Practice whose provider's rating dropped last (an index built before the flag: no effect).
FLAGGED_LAST = {"rating_dropped": {"order": "asc", "unmapped_type": "boolean"}}
RESULT_SOURCE = {"excludes": ["vector", "fingerprint"]}
RANKING_SOURCE = ["page_id", "service_type", "rating_dropped"]


def base_filter(query):
    """What the reader never sees in this search, whatever its filters (a plain filter: it
    narrows the facet counts too)."""
    return [Q("term", rating_dropped=True)] if query.exclude_rating_dropped else []


def browse_search(query):
    """No words: every public case study under the filters, newest first, one page of them.

    Case studies whose provider's rating dropped come last; before newness come the
    query's priorities (each outranking all after it), or the searcher's service type.
    """
    search = Search(using=client(), index=alias_name()).source(RESULT_SOURCE)
    priorities = list(query.priorities)
    if query.prefer_service_type and not priorities:
        priorities = [("service_type", [query.prefer_service_type])]
    functions = [
        {"filter": Q("terms", **{field: list(values)}).to_dict(), "weight": weight}
        for (field, values), weight in zip(
            priorities, priority_weights(len(priorities)), strict=True
        )
    ]
    scored = Q("match_all")
    if functions:
        # A sum of 2**k weights orders case studies by the priorities they meet, in order
        # (one that meets none scores 1, below the smallest weight, 2).
        scored = Q(
            "function_score",
            query=scored,
            functions=functions,
            score_mode="sum",
            boost_mode="replace",
        )
    excluded = base_filter(query)
    if excluded:
        scored = Q("bool", must=[scored], must_not=excluded)
    search = with_filters_and_facets(search.query(scored), query)
    sort = [FLAGGED_LAST, "_score", NEWEST] if functions else [FLAGGED_LAST, NEWEST, "_score"]
    search = search.sort(*sort).extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def knn_search(vector, k, excluding=None):
    """The k case studies whose vectors are nearest this one (HNSW), with similarities; with
    excluding, that case study left out (its own nearest neighbours)."""
    knn = {
        "field": "vector",
        "query_vector": [float(x) for x in vector],
        "k": k,
        "num_candidates": max(2 * k, 100),
    }
    if excluding is not None:
        knn["filter"] = {"bool": {"must_not": [{"term": {"page_id": excluding}}]}}
    return Search(using=client(), index=alias_name()).extra(knn=knn).source(["page_id"])[:k]


def cosine_from_score(score):
    return 2.0 * score - 1.0  # for cosine, Elasticsearch scores (1 + similarity) / 2


def ranking_search(query, semantic_ids, size, offset=0, exclude=()):
    """The result set and its lexical ranking in one request.

    The set is the case studies that match the words, or are among the semantic matches
    (semantic_ids), under the filters: its total and facet counts are the reader's. Words
    give a lexical score; a semantic match alone scores 0 and sorts after every lexical one.
    An aggregation says which semantic matches pass the filters, and their service types.
    """
    search = Search(using=client(), index=alias_name()).source(RANKING_SOURCE)
    lexical = text_query(query.q) if query.ranking != "semantic" else None
    semantic = Q("constant_score", filter=Q("ids", values=[str(i) for i in semantic_ids]), boost=0)
    clauses = [c for c in (lexical, semantic if semantic_ids else None) if c is not None]
    if not clauses:
        clauses = [Q("match_none")]
    scored = Q("bool", should=clauses, minimum_should_match=1)
    excluded = base_filter(query) + (
        [Q("ids", values=[str(i) for i in exclude])] if exclude else []
    )
    if excluded:
        scored = Q("bool", must=[scored], must_not=excluded)
    search = with_filters_and_facets(search.query(scored), query)
    if semantic_ids:
        passing = Q("bool", filter=[Q("ids", values=[str(i) for i in semantic_ids])])
        filters = list(selected_filters(query).values())
        if filters:
            passing = Q("bool", filter=[passing, *filters])
        agg = A("filter", passing)
        ids = agg.bucket("ids", "terms", field="page_id", size=len(semantic_ids))
        ids.bucket("service_type", "terms", field="service_type", size=1)
        ids.bucket("rating_dropped", "terms", field="rating_dropped", size=1)
        search.aggs.bucket("semantic_passing", agg)
    if query.ranking != "semantic" and query.q:
        # "Did you mean": the index's spelling of each word it does not know.
        search = search.suggest(
            "did_you_mean",
            query.q,
            term={"field": "all_words", "suggest_mode": "missing", "min_word_length": 4},
        )
    newest = query.effective_sort == "newest"
    sort = [FLAGGED_LAST, NEWEST, "_score"] if newest else ["_score", NEWEST]
    return search.sort(*sort).extra(track_total_hits=True)[offset : offset + size]


def page_search(page_ids, q):
    """The documents of one page of results, with their highlights."""
    search = (
        Search(using=client(), index=alias_name())
        .query(Q("ids", values=[str(i) for i in page_ids]))
        .source(RESULT_SOURCE)
    )
    return with_highlights(search, q)[: len(page_ids)]


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
