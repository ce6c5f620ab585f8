"""The requests the Elasticsearch backend sends: relevance, filters, facets, highlights,
related practice and autocomplete, built with elasticsearch-dsl."""

from elasticsearch_dsl import A, Q, Search
from elasticsearch_dsl.query import MoreLikeThis

from knowledgebase.case_studies import reviewed_recently_cutoff

from ...facets import FACETS
from ...ranking import priority_weights
from ...synonyms import concepts, required_text
from ...vocabulary import vocabulary_cache, words_of
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
GENERIC_FIELDS = ["title^4", "summary^3"]
# Where a multi-word term's words are looked for loosely: what the practice is, its problem
# and what was done. At 88,000 case studies the loose terms over all ten fields were half
# of a long question's time (1.1 s); over these, and at most eight terms, it is 0.4 s, for
# nDCG@10 on the development set 0.893 instead of 0.901 (lexical 0.881 instead of 0.886).
LOOSE_FIELDS = [
    "title^4",
    "summary^3",
    "theme_labels^4",
    "innovation_type_labels^4",
    "challenge",
    "approach",
]
MAX_PHRASE_WORDS = 4


def loose_phrases(q, limit=8):
    """Multi-word terms of the query's concepts, matched with all words anywhere.

    synonym_graph turns "carers quitting" into phrases ("staff turnover"), which miss
    "turnover among our care staff". Matching those words loosely, at a lower weight,
    finds it; measured on the relevance set it lifts nDCG@10 from 0.85 to 0.90.
    """
    terms = [t for concept in concepts(q) for t in concept if " " in t][:limit]
    return [
        Q("multi_match", query=t, fields=LOOSE_FIELDS, operator="and", analyzer="english_text")
        for t in terms
    ]


def text_query(q):
    """Words as typed, never as query syntax: match queries treat every character as text.

    A match depends on the words that say what the problem is; generic words for people
    ("residents", "people we support"), filler ("we have a real problem with") and words
    most case studies use only add a little to the score, or nearly every case study would
    match.
    """
    vocabulary = vocabulary_cache.current()
    core = required_text(q, vocabulary.is_common) or q
    loose = loose_phrases(core)
    # Typos in words of five letters or more, against unstemmed words: only when a word
    # looks like a typo of one the case studies use (vocabulary.correction(): unknown, no
    # form of a known word, and close to one). Fuzzy expansion was most of a search's time.
    typos = [
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
        )
    ]
    if vocabulary.size and not any(
        vocabulary.correction(word) for word in words_of(core) if len(word) >= 5
    ):
        typos = []
    # The words together, near each other, in the title or summary: for a few words. A
    # sentence's words are rarely all together, and the phrase cost a third of its search.
    phrase = (
        [
            Q(
                "multi_match",
                query=core,
                fields=["title^4", "summary^2"],
                type="phrase",
                slop=3,
                boost=2,
            )
        ]
        if len(words_of(core)) <= MAX_PHRASE_WORDS
        else []
    )
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
            *typos,
            *phrase,
            *([Q("bool", should=loose, boost=LOOSE_PHRASE_BOOST)] if loose else []),
        ],
        minimum_should_match=1,
    )
    if core == q:
        return matched
    # Generic words add a little where they say what the practice is: its title and summary.
    generic = Q("multi_match", query=q, fields=GENERIC_FIELDS, boost=GENERIC_BOOST)
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


NEWEST = {"published": {"order": "desc", "missing": "_last"}}
# Practice whose provider's rating dropped last (an index built before the flag: no effect).
FLAGGED_LAST = {"rating_dropped": {"order": "asc", "unmapped_type": "boolean"}}
RESULT_SOURCE = {"excludes": ["vector", "fingerprint"]}
RANKING_FIELDS = ["service_type", "rating_dropped", "review_date"]


def stale(cutoff=None):
    """Not recently reviewed: the review date more than the grace period past (cutoff)."""
    return Q("range", review_date={"lt": (cutoff or reviewed_recently_cutoff()).isoformat()})


def reviewed_first(query, functions=()):
    """The query scored so that the recently reviewed outrank the rest (sort by _score
    after FLAGGED_LAST): the weight of being reviewed is above the sum of all the other
    functions' weights (priority_weights: 2**n ... 2, summing to 2**(n+1) - 2), and one that
    meets none scores 1. Staleness depends on the day, so it is a query, not a stored
    flag (the node has no scripting to sort by it)."""
    reviewed = {
        "filter": Q("bool", must_not=[stale()]).to_dict(),
        "weight": 2 ** (len(functions) + 1),
    }
    return Q(
        "function_score",
        query=query,
        functions=[*functions, reviewed],
        score_mode="sum",
        boost_mode="replace",
    )


def ids_only(search, *fields):
    """Hits as doc values (the page id, and fields), without any stored field: even the
    _id is stored compressed with the _source, so reading it decompressed the whole text
    of every hit (ten milliseconds and more for a hundred hits)."""
    return search.source(False).extra(stored_fields="_none_", docvalue_fields=["page_id", *fields])


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
    # A sum of 2**k weights orders case studies by the priorities they meet, in order (one
    # that meets none scores 1, below the smallest weight, 2), after being reviewed.
    scored = reviewed_first(Q("match_all"), functions)
    excluded = base_filter(query)
    if excluded:
        scored = Q("bool", must=[scored], must_not=excluded)
    search = with_filters_and_facets(search.query(scored), query)
    sort = [FLAGGED_LAST, "_score", NEWEST]
    search = search.sort(*sort).extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def knn_search(vector, k, excluding=(), themes=()):
    """The k case studies whose vectors are nearest this one (HNSW), with similarities; with
    excluding, those page ids left out; with themes, only case studies tagged with one."""
    knn = {
        "field": "vector",
        "query_vector": [float(x) for x in vector],
        "k": k,
        "num_candidates": max(2 * k, 100),
    }
    conditions = {}
    if excluding:
        conditions["must_not"] = [{"terms": {"page_id": list(excluding)}}]
    if themes:
        conditions["filter"] = [{"terms": {"themes": list(themes)}}]
    if conditions:
        knn["filter"] = {"bool": conditions}
    return ids_only(Search(using=client(), index=alias_name()).extra(knn=knn))[:k]


def cosine_from_score(score):
    return 2.0 * score - 1.0  # for cosine, Elasticsearch scores (1 + similarity) / 2


def result_set(query, semantic_ids, exclude=()):
    """The case studies a search with words finds, scored: those that match the words, or
    are among the semantic matches (semantic_ids), which score 0 and so sort after every
    lexical match. Filters apply separately (post_filter and the facets' own filters)."""
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
    return scored


def ranking_search(query, semantic_ids, size, offset=0, exclude=()):
    """The lexical ranking of the result set under the filters: ids and what fusion needs.

    No total is counted (counts_search does that), so Elasticsearch scores only the hits
    that can still reach the top `offset + size` (block-max WAND): counting every match
    made it score every match, which at 2,000 case studies cost 30 ms and grows with them.
    """
    search = ids_only(Search(using=client(), index=alias_name()), *RANKING_FIELDS)
    newest = query.effective_sort == "newest"
    found = result_set(query, semantic_ids, exclude)
    # Newest first, the recently reviewed before the rest; by relevance, fusion demotes them.
    search = search.query(reviewed_first(found) if newest else found)
    filters = selected_filters(query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    sort = [FLAGGED_LAST, "_score", NEWEST] if newest else ["_score", NEWEST]
    return search.sort(*sort).extra(track_total_hits=False)[offset : offset + size]


def counts_search(query, semantic_ids):
    """The same result set counted, not scored: its total and facet counts, which of the
    semantic matches pass the filters (with their service types), and "did you mean"."""
    search = Search(using=client(), index=alias_name()).extra(size=0, track_total_hits=True)
    search = with_filters_and_facets(
        search.query(Q("bool", filter=[result_set(query, semantic_ids)])), query
    )
    if semantic_ids:
        passing = Q("bool", filter=[Q("ids", values=[str(i) for i in semantic_ids])])
        filters = list(selected_filters(query).values())
        if filters:
            passing = Q("bool", filter=[passing, *filters])
        agg = A("filter", passing)
        ids = agg.bucket("ids", "terms", field="page_id", size=len(semantic_ids))
        ids.bucket("service_type", "terms", field="service_type", size=1)
        ids.bucket("rating_dropped", "terms", field="rating_dropped", size=1)
        ids.bucket("stale", "filter", stale())
        search.aggs.bucket("semantic_passing", agg)
    if query.ranking != "semantic" and query.q:
        # "Did you mean": the index's spelling of each word it does not know.
        search = search.suggest(
            "did_you_mean",
            query.q,
            term={"field": "all_words", "suggest_mode": "missing", "min_word_length": 4},
        )
    return search


def page_search(page_ids):
    """The documents of one page of results (snippets are cut from them: snippets.py)."""
    return (
        Search(using=client(), index=alias_name())
        .query(Q("ids", values=[str(i) for i in page_ids]))
        .source(RESULT_SOURCE)
    )[: len(page_ids)]


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
    return ids_only(
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
    )[:limit]


def suggest_search(prefix, limit):
    return (
        Search(using=client(), index=alias_name())
        # Every word typed must start a word of the title; the last may be unfinished.
        .query("match_bool_prefix", **{"title.plain": {"query": prefix, "operator": "and"}})
        .source(["title", "url"])[:limit]
    )
