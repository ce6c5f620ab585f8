"""Hybrid ranking on both backends, the real Elasticsearch and PostgreSQL: a paraphrase that
shares no word with its answer finds it, the result set the reader sees is the one counted,
nonsense finds nothing, and search keeps answering without the model."""

import re
from collections import Counter

import pytest
from django.http import QueryDict

from knowledgebase.case_studies import CaseStudyPage
from search import backends, embeddings
from search.query import SearchQuery

PARAPHRASE = "sore bottoms"  # said by a worried manager; the case study says "pressure ulcers"
ANSWER = "cs-pressure-ulcer-prevention"


@pytest.fixture
def search(backend):
    def run(qs, ranking="fused"):
        query = SearchQuery.from_params(QueryDict(qs))
        query.ranking = ranking
        results = backends.search(query)
        assert results.backend == backend, f"{backend} did not answer: {results.notice}"
        return results

    return run


def ids(results):
    return [hit.id for hit in results.hits]


def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def test_a_query_sharing_no_word_with_its_answer_finds_it(backend, search, demo_records):
    record = next(r for r in demo_records if r["id"] == ANSWER)
    assert not words(PARAPHRASE) & words(" ".join(str(v) for v in record.values()))
    assert ANSWER not in ids(search(f"q={PARAPHRASE}", ranking="lexical"))
    assert ANSWER in ids(search(f"q={PARAPHRASE}", ranking="semantic"))[:3]
    assert ANSWER in ids(search(f"q={PARAPHRASE}"))[:3]


def test_the_counted_result_set_is_the_one_shown_under_fusion(backend, search):
    """Total, facet counts and pages describe one result set: lexical and semantic matches."""
    everything = search("q=lonely old lady sitting alone at home&page_size=50")
    assert everything.total == len(everything.hits) > 0
    lexical = set(
        ids(search("q=lonely old lady sitting alone at home&page_size=50", ranking="lexical"))
    )
    semantic = set(
        ids(search("q=lonely old lady sitting alone at home&page_size=50", ranking="semantic"))
    )
    assert semantic - lexical, "the example should have a semantic-only match"
    assert set(ids(everything)) == lexical | semantic

    theme = "activities-and-wellbeing"
    filtered = search(f"q=lonely old lady sitting alone at home&theme={theme}&page_size=50")
    pages = {
        p.external_id: p for p in CaseStudyPage.objects.filter(external_id__in=ids(everything))
    }
    tagged = {i for i in ids(everything) if pages[i].themes.filter(slug=theme).exists()}
    assert set(ids(filtered)) == tagged and filtered.total == len(tagged)
    # The theme facet counts as if no theme were chosen: over the whole result set.
    expected = Counter(t.slug for p in pages.values() for t in p.themes.all())
    assert {v.value: v.count for v in filtered.facets["theme"]} == dict(expected)
    region = Counter(pages[i].provider.region for i in tagged)
    assert {v.value: v.count for v in filtered.facets["region"]} == dict(region)

    first, second = (
        search("q=lonely old lady sitting alone at home&page_size=3"),
        search("q=lonely old lady sitting alone at home&page=2&page_size=3"),
    )
    assert ids(first) + ids(second) == ids(everything)[:6]


def test_nonsense_finds_nothing(backend, search):
    for ranking in ("fused", "semantic", "lexical"):
        results = search("q=zzzz qqq", ranking=ranking)
        assert results.total == 0 and not results.hits


def test_related_practice_comes_from_the_vectors(backend, search):
    page = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
    answer = backends.related(page, limit=3)
    assert answer.backend == backend and len(answer.items) == 3 and page.pk not in answer.items
    assert embeddings.get_model() is not None  # so these came from the vectors


def test_search_answers_without_the_model(
    backend, search, settings, tmp_path, client, healthz_details
):
    settings.EMBEDDING_MODEL_DIR = tmp_path
    embeddings.reset()
    try:
        results = search("q=falls")
        assert results.total > 0
        assert search(f"q={PARAPHRASE}", ranking="semantic").total == 0
        body = healthz_details().json()
        assert body["semantic"]["status"] == "unavailable"
        page = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
        assert backends.related(page).backend == backend
        assert client.get(page.url).status_code == 200
    finally:
        embeddings.reset()
