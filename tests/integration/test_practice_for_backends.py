"""Practice for my gaps ranks the same way on the real Elasticsearch and on PostgreSQL."""

import pytest

from knowledgebase.case_studies import CaseStudyPage
from search.backends.elasticsearch.sync import enqueue
from search.practice_for import practice_for
from tests.conftest import make_record
from tests.unit.test_practice_for import location, provider


@pytest.fixture(params=["elasticsearch", "database"])
def engine(request, db, importer, django_capture_on_commit_callbacks):
    name = request.param
    request.getfixturevalue("fresh_index" if name == "elasticsearch" else "database_search")
    records = [
        make_record(
            800 + n,
            provider=provider(n, service_type, region, overall, **ratings),
            key_questions=["safe"],
            quality_statements=[],
        )
        for n, (service_type, region, overall, ratings) in enumerate(
            [
                ("homecare", "london", "good", {"safe": "outstanding"}),
                ("residential-care-home", "north-west", "outstanding", {}),
                ("nursing-home", "london", "good", {"safe": "outstanding"}),
                ("residential-care-home", "north-west", "good", {"safe": "outstanding"}),
                ("residential-care-home", "north-west", "good", {"safe": "outstanding"}),
            ],
            start=1,
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert not importer(records).errors
        flagged = CaseStudyPage.objects.filter(external_id="cs-test-0805")
        flagged.update(rating_dropped=True)
        enqueue(flagged.values_list("pk", flat=True), "test: rating dropped")
    return name


def test_the_best_practice_for_a_gap_on_each_backend(engine):
    place = location(location_id="1-5000000801", safe="requires-improvement")
    [safe] = practice_for(place).gaps
    assert safe.backend == engine and len(safe.results) == 5
    care_homes = {"residential-care-home", "nursing-home"}

    def fit(hit):
        return (
            hit.provider_ratings.get("safe") == "outstanding",
            hit.service_type in care_homes,
            hit.region == "north-west",
        )

    # Outstanding in Safe, then a care home, then the same region, whatever else is there.
    assert [fit(hit) for hit in safe.results] == sorted(
        (fit(hit) for hit in safe.results), reverse=True
    )
    assert fit(safe.results[0]) == (True, True, True)
    ids = [hit.id for hit in safe.results]
    assert "cs-test-0804" in ids and "cs-test-0805" not in ids  # 0805's rating dropped
    assert all("safe" in hit.key_questions for hit in safe.results)


def test_search_with_words_ranks_practice_whose_rating_dropped_last(engine, client):
    body = client.get(
        "/api/search/", {"q": "hydration rounds falls at night", "page_size": 50}
    ).json()
    assert body["backend"] == engine and 0 < body["count"] <= 50
    ids = [r["id"] for r in body["results"]]
    assert "cs-test-0805" in ids and ids[-1] == "cs-test-0805"
    assert body["results"][-1]["rating_dropped"] is True
