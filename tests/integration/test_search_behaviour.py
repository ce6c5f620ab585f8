"""What a searcher can rely on, proved against both backends on the same demo content.

Expected values come from the demo file itself, never from a backend's own answer, and
every answer is checked to come from the backend under test: a request the backend
rejected would otherwise fall back to the database and pass for it."""

import re
from collections import Counter

import pytest
from django.http import QueryDict

from knowledgebase.case_studies import CaseStudyPage
from search import backends
from search.query import SearchQuery


@pytest.fixture
def search(backend):
    def run(qs):
        results = backends.search(SearchQuery.from_params(QueryDict(qs)))
        assert results.backend == backend, f"{backend} did not answer: {results.notice}"
        return results

    return run


def ids(results):
    return [hit.id for hit in results.hits]


def matches(record, filters):
    """Does a demo record pass these filters (OR within a facet, AND across)?"""
    values = {
        "theme": record["themes"],
        "innovation_type": record.get("innovation_types", []),
        "key_question": record["key_questions"],
        "region": [record["provider"]["region"]],
        "service_type": [record["provider"]["service_type"]],
        "evidence_type": record.get("evidence_types", []),
    }
    return all(set(values[name]) & set(selected) for name, selected in filters.items())


def test_answers_come_from_the_backend_under_test(backend, search):
    assert search("q=falls").backend == backend


def test_empty_query_lists_everything_newest_first_with_facets(backend, search, demo_records):
    results = search("page_size=50")
    assert results.total == len(demo_records)
    published = [hit.published for hit in results.hits]
    assert published == sorted(published, reverse=True)
    assert sum(v.count for v in results.facets["region"]) == len(demo_records)


def test_facet_counts_are_right_under_combined_filters(backend, search, demo_records):
    filters = {"theme": ["falls-prevention", "dementia-care"], "key_question": ["safe"]}
    qs = "theme=falls-prevention&theme=dementia-care&key_question=safe&page_size=50"
    results = search(qs)
    expected = {r["id"] for r in demo_records if matches(r, filters)}
    assert expected and set(ids(results)) == expected and results.total == len(expected)

    # Each facet counts as if its own selection were not made, honouring the others.
    theme_counts = Counter(
        t for r in demo_records if matches(r, {"key_question": ["safe"]}) for t in r["themes"]
    )
    assert {v.value: v.count for v in results.facets["theme"]} == dict(theme_counts)
    kq_counts = Counter(
        kq
        for r in demo_records
        if matches(r, {"theme": ["falls-prevention", "dementia-care"]})
        for kq in r["key_questions"]
    )
    assert {v.value: v.count for v in results.facets["key_question"]} == dict(kq_counts)
    region_counts = Counter(r["provider"]["region"] for r in demo_records if matches(r, filters))
    assert {v.value: v.count for v in results.facets["region"]} == dict(region_counts)
    selected = {v.value for v in results.facets["theme"] if v.selected}
    assert selected == {"falls-prevention", "dementia-care"}


def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize(
    "query, expected_id",
    [
        ("too many UTIs", "cs-hydration-uti-reduction"),
        ("wandering and exit seeking", "cs-walking-with-purpose"),
        ("sundowning", "cs-music-therapy-dementia"),
    ],
)
def test_synonyms_find_practice_that_shares_no_word_with_the_query(
    backend, search, demo_records, query, expected_id
):
    record = next(r for r in demo_records if r["id"] == expected_id)
    title_and_summary = words(record["title"] + " " + record["summary"])
    assert not (words(query) - {"and", "too", "many"}) & title_and_summary
    assert expected_id in ids(search(f"q={query}&page_size=10"))


def test_stemming_matches_other_forms_of_a_word(backend, search, demo_records):
    # "hydrating" appears nowhere; "hydration" and "hydrated" do.
    assert not any("hydrating" in " ".join(map(str, r.values())).lower() for r in demo_records)
    assert "cs-hydration-uti-reduction" in ids(search("q=hydrating residents&page_size=10"))


def test_typos_in_longer_words_are_tolerated(backend, search):
    if backend == "database":
        pytest.skip("typo tolerance is an Elasticsearch feature; the database backend says so")
    assert "cs-hydration-uti-reduction" in ids(search("q=hydraton&page_size=10"))
    assert search("q=dementa care").total > 0


def test_service_type_preference_boosts_without_filtering(backend, search):
    plain = search("q=staff&page_size=50")
    preferred = search("q=staff&prefer_service_type=homecare&page_size=50")
    assert preferred.total == plain.total  # nothing filtered out
    homecare = [h for h in plain.hits if h.service_type == "homecare"]
    assert homecare, "the demo content should have homecare practice about staff"

    def mean_rank(results):
        ranks = [i for i, h in enumerate(results.hits) if h.service_type == "homecare"]
        return sum(ranks) / len(ranks)

    assert mean_rank(preferred) < mean_rank(plain)
    assert "homecare" in [h.service_type for h in preferred.hits[:3]]


def test_highlights_mark_the_matching_words(backend, search):
    results = search("q=falls")
    assert results.total > 0
    # Semantic matches may not use the word at all; the lexical ones lead and are marked.
    marked = [hit for hit in results.hits[:5] if "<mark>" in hit.highlight]
    assert len(marked) >= 3 and "<mark>" in results.hits[0].highlight
    words = [w.lower() for hit in marked for w in re.findall(r"<mark>(.*?)</mark>", hit.highlight)]
    assert words and all(w.startswith("fall") for w in words), words
    assert all("<script" not in hit.highlight for hit in results.hits)


def test_pagination_walks_the_whole_result_set(backend, search):
    first, second = search("q=care&page_size=5"), search("q=care&page=2&page_size=5")
    assert first.total == second.total > 5
    assert not set(ids(first)) & set(ids(second))
    everything = search("q=care&page_size=50")
    assert ids(everything)[:10] == ids(first) + ids(second)


def test_sort_by_newest(backend, search):
    results = search("q=staff&sort=newest&page_size=50")
    published = [hit.published for hit in results.hits]
    assert published == sorted(published, reverse=True)


def test_related_case_studies_share_practice(backend, search, demo_records):
    page = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
    answer = backends.related(page, limit=3)
    assert answer.backend == backend
    related = answer.items
    assert related and page.pk not in related
    themes = set(page.themes.values_list("slug", flat=True))
    related_themes = [
        set(p.themes.values_list("slug", flat=True))
        for p in CaseStudyPage.objects.filter(pk__in=related)
    ]
    assert any(themes & t for t in related_themes)


def test_autocomplete_suggests_titles(backend, search, demo_records):
    title = next(r["title"] for r in demo_records if r["id"] == "cs-walking-with-purpose")
    prefix = " ".join(title.split()[:2])[:-1]  # two words, the last one unfinished
    answer = backends.suggest(prefix)
    assert answer.backend == backend
    assert title in [t for t, _ in answer.items]


def test_the_api_and_page_answer_with_the_backend_named(backend, search, client):
    body = client.get("/api/search/?q=falls&theme=falls-prevention").json()
    assert body["backend"] == backend and body["count"] > 0
    assert all("falls-prevention" in r["themes"] for r in body["results"])
    html = client.get("/search/?q=falls&theme=falls-prevention").content.decode()
    assert "Falls prevention" in html and "Remove filter" in html
