"""The embedded default (SQLite, database backend) understands a new reader's words: typos,
other forms of a word, taxonomy labels, generic words for people, and paraphrase through
the vectors; and it keeps answering when the embedding model is missing."""

import pytest
from django.db import connection
from django.http import QueryDict

from knowledgebase.case_studies import CaseStudyPage
from search import backends, embeddings
from search.models import CaseStudyVector
from search.query import SearchQuery
from search.synonyms import SynonymFileError, generic_terms, parse, solr_rules, synonym_groups
from search.vocabulary import Vocabulary
from tests.conftest import DEMO_FILE, make_record

pytestmark = pytest.mark.django_db


def search(qs, ranking="fused"):
    query = SearchQuery.from_params(QueryDict(qs))
    query.ranking = ranking
    results = backends.search(query)
    assert results.backend == "database"
    return results


def ids(results):
    return [hit.id for hit in results.hits]


@pytest.fixture
def demo(importer, database_search, django_capture_on_commit_callbacks):
    """The demo content, committed as an import would be: vectors computed on publish."""
    with django_capture_on_commit_callbacks(execute=True):
        report = importer(DEMO_FILE.read_text(encoding="utf-8").splitlines())
    assert not report.errors
    return report


@pytest.fixture
def no_model(settings, tmp_path):
    settings.EMBEDDING_MODEL_DIR = tmp_path  # an empty folder: no model in it
    embeddings.reset()
    yield
    embeddings.reset()


def test_vectors_are_computed_once_per_text_and_model(
    importer, demo, django_capture_on_commit_callbacks
):
    model = embeddings.get_model()
    assert CaseStudyVector.objects.filter(model=model.version).count() == 40
    before = dict(CaseStudyVector.objects.values_list("page_id", "updated_at"))

    record = make_record(1)
    with django_capture_on_commit_callbacks(execute=True):
        importer([record])
    page = CaseStudyPage.objects.get(external_id="cs-test-0001")
    first = CaseStudyVector.objects.get(page=page)
    with django_capture_on_commit_callbacks(execute=True):  # a new revision, same text
        page.save_revision().publish()
    assert CaseStudyVector.objects.get(page=page).updated_at == first.updated_at
    with django_capture_on_commit_callbacks(execute=True):  # new words: a new vector
        importer([{**record, "summary": "Oral health champions brushed teeth after lunch daily."}])
    changed = CaseStudyVector.objects.get(page=page)
    assert changed.updated_at > first.updated_at and changed.vector != first.vector
    after = dict(CaseStudyVector.objects.exclude(page=page).values_list("page_id", "updated_at"))
    assert after == before  # nobody else's vector was recomputed


def test_a_typo_is_corrected_and_offered(demo, client):
    results = search("q=demntia")
    assert results.suggestion == "dementia"
    assert results.total > 0
    dementia = set(
        CaseStudyPage.objects.filter(themes__slug="dementia-care").values_list(
            "external_id", flat=True
        )
    )
    assert set(ids(results)[:3]) <= dementia
    assert "<mark>dementia</mark>" in results.hits[0].highlight.lower()
    html = client.get("/search/", {"q": "demntia"}).content.decode()
    assert "Did you mean" in html and "q=dementia" in html
    assert client.get("/api/search/", {"q": "demntia"}).json()["did_you_mean"] == "dementia"


def test_other_forms_of_a_word_match_on_sqlite(demo):
    assert connection.vendor == "sqlite"  # whose full text search does not stem
    assert "cs-hydration-uti-reduction" in ids(search("q=hydrating", ranking="lexical"))


def test_a_case_study_tagged_with_the_theme_is_found_by_its_label(demo):
    tagged = set(
        CaseStudyPage.objects.filter(themes__slug="safeguarding").values_list(
            "external_id", flat=True
        )
    )
    assert len(tagged) >= 2
    assert tagged <= set(ids(search("q=safeguarding&page_size=50", ranking="lexical")))


def test_dehydration_finds_hydration_practice(demo):
    assert "cs-hydration-uti-reduction" in ids(search("q=dehydration"))[:3]


def test_generic_words_for_people_do_not_widen_the_count(demo):
    results = search("q=residents refusing personal care&page_size=50")
    assert ids(results)[0] == "cs-personal-care-refusal"
    assert results.total <= 3, ids(results)
    # "residents" alone still finds what mentions residents, as a word, not as everyone.
    assert 0 < search("q=residents&page_size=50", ranking="lexical").total < 40


def test_nonsense_finds_nothing(demo):
    for ranking in ("fused", "semantic", "lexical"):
        assert search("q=zzzz qqq", ranking=ranking).total == 0


def test_without_the_model_search_answers_lexically_and_healthz_says_why(
    demo, no_model, client, settings
):
    results = search("q=falls")
    assert results.total > 0
    assert search("q=falls", ranking="semantic").total == 0
    settings.HEALTHZ_TOKEN = "monitoring-token"  # the reason is a detail, for monitoring
    body = client.get("/healthz", headers={"Authorization": "Bearer monitoring-token"}).json()
    assert body["semantic"]["status"] == "unavailable"
    assert "missing" in body["semantic"]["reason"]
    assert body["search"]["status"] == "ok" and body["status"] == "degraded"
    page = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
    response = client.get(page.url)
    assert response.status_code == 200 and "Related practice" in response.content.decode()


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Falls, trips", "lowercase"),
        ("falls => trips", "'=>'"),
        ("falls", "two terms"),
        ("falls, not eating", "stop word"),
        ("falls, trips\nslips, falls", "already on line 1"),
    ],
)
def test_a_synonym_rule_that_breaks_the_file_s_rules_fails_the_load(line, reason):
    with pytest.raises(SynonymFileError, match=reason):
        parse(line)


def test_the_synonym_file_loads_with_generic_words_apart():
    assert "residents" in generic_terms() and "people we support" in generic_terms()
    assert not any("residents" in rule.split(", ") for rule in solr_rules())
    assert len(synonym_groups()) > 400


def test_a_word_of_the_sectors_synonyms_is_never_a_typo():
    """Case studies that say "pressure ulcers" and "scores" must not turn a search for
    "pressure sores" into one for "scores" (a synonym of the sector, in synonyms.txt), on
    either backend: the database's "Did you mean" and Elasticsearch's fuzzy clause both
    ask Vocabulary.correction."""
    vocabulary = Vocabulary()
    vocabulary.add([["Pressure ulcers fell; wellbeing scores rose."]] * 3)
    vocabulary = vocabulary.indexed()
    assert vocabulary.correction("scorse") == "scores"  # a typo is still corrected
    assert vocabulary.correction("sores") is None
    assert vocabulary.corrected("pressure sores") == ""
