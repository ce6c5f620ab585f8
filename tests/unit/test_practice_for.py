"""Practice for my gaps: a struggling service's weakest key questions matched to Outstanding
practice from services like it, on the page, in the API and in the search results."""

import copy
import datetime

import pytest
from django.utils import timezone

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings import CareLocation, RatingFact
from knowledgebase.cqc.ratings_import import import_ratings
from search.practice_for import practice_for
from tests.conftest import PROVIDER, make_record
from tests.cqc_files import GP_PRACTICE, HEADERS, location_rows, write_ods

pytestmark = pytest.mark.django_db

DOMAINS = ("overall", "safe", "effective", "caring", "responsive", "well-led")


def location(location_id="1-5000000001", kind="care-home", region="north-west", **ratings):
    place = CareLocation.objects.create(
        location_id=location_id,
        name=f"Struggling House {location_id}",
        care_home=kind == "care-home",
        location_type="Social Care Org",
        primary_inspection_category="Residential social care",
        service_kind=kind,
        region=region,
        postcode="M1 2AB",
        cqc_url=f"https://www.cqc.org.uk/location/{location_id}",
    )
    for domain in DOMAINS:
        RatingFact.objects.create(
            location=place,
            domain=domain,
            rating=ratings.get(domain.replace("-", "_"), "good"),
            publication_date=datetime.date(2026, 6, 1),
            source_file="test.ods",
            imported_at=timezone.now(),
        )
    return place


def provider(n, service_type, region, overall="good", **key_question_ratings):
    data = copy.deepcopy(PROVIDER)
    data.update(
        name=f"Provider {n}",
        cqc_location_id=f"1-60000000{n:02d}",
        service_type=service_type,
        region=region,
        overall_rating=overall,
    )
    data["key_question_ratings"] = {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "good",
        "well-led": "good",
        **key_question_ratings,
    }
    return data


@pytest.fixture
def practice(importer, database_search):
    """Safe practice from five providers; the best match for a north-west care home is
    Outstanding in Safe and a care home in the north-west."""
    records = [
        # Outstanding in Safe, homecare in London: Outstanding in it, but unlike the reader.
        make_record(
            1,
            provider=provider(1, "homecare", "london", safe="outstanding"),
            key_questions=["safe"],
            quality_statements=[],
        ),
        # Outstanding overall (not in Safe), care home, north-west: like the reader.
        make_record(
            2,
            provider=provider(2, "residential-care-home", "north-west", "outstanding"),
            key_questions=["safe"],
            quality_statements=[],
        ),
        # Outstanding in Safe, nursing home (a care home), London.
        make_record(
            3,
            provider=provider(3, "nursing-home", "london", safe="outstanding"),
            key_questions=["safe"],
            quality_statements=[],
        ),
        # Outstanding in Safe, care home, north-west: the best match.
        make_record(
            4,
            provider=provider(4, "residential-care-home", "north-west", safe="outstanding"),
            key_questions=["safe"],
            quality_statements=[],
        ),
        # Outstanding in Safe and like the reader, but its rating has since dropped.
        make_record(
            5,
            provider=provider(5, "residential-care-home", "north-west", safe="outstanding"),
            key_questions=["safe"],
            quality_statements=[],
        ),
        # Well-led practice, for the second gap.
        make_record(
            6,
            provider=provider(6, "homecare", "london", "outstanding"),
            key_questions=["well-led"],
            quality_statements=[],
        ),
    ]
    report = importer(records)
    assert not report.errors, report.errors
    CaseStudyPage.objects.filter(external_id="cs-test-0005").update(rating_dropped=True)


def ids(hits):
    return [hit.id for hit in hits]


def test_weak_key_questions_worst_first_with_the_best_practice_for_each(practice):
    place = location(safe="requires-improvement", well_led="inadequate", caring="outstanding")
    result = practice_for(place)
    assert result.aim == "improve"
    assert [(g.key_question, g.rating) for g in result.gaps] == [
        ("well-led", "inadequate"),
        ("safe", "requires-improvement"),
    ]
    safe = next(g for g in result.gaps if g.key_question == "safe")
    # Outstanding in Safe first; among them a care home before homecare; the same region first.
    assert ids(safe.results) == ["cs-test-0004", "cs-test-0003", "cs-test-0001", "cs-test-0002"]
    assert "cs-test-0005" not in ids(safe.results)  # its rating dropped: never recommended
    assert ids(result.gaps[0].results) == ["cs-test-0006"]


def test_the_reader_s_own_service_type_comes_first(practice):
    place = location(safe="requires-improvement")
    safe = practice_for(place, service_type="nursing-home").gaps[0]
    assert ids(safe.results)[0] == "cs-test-0003"


def test_nothing_weak_offers_practice_to_move_from_good_to_outstanding(practice):
    result = practice_for(location(caring="outstanding"))
    assert result.aim == "outstanding"
    assert [g.key_question for g in result.gaps] == ["safe", "effective", "responsive", "well-led"]


def test_the_api_answers_in_the_documented_shape(practice, client):
    place = location(safe="inadequate")
    body = client.get(f"/api/practice-for/{place.location_id}/").json()
    assert body["location"] == {
        "id": place.location_id,
        "name": place.name,
        "service_type": "care-home",
        "region": "north-west",
        "cqc_url": place.cqc_url,
        "ratings": {d: ("inadequate" if d == "safe" else "good") for d in DOMAINS},
        "publication_date": "2026-06-01",
    }
    [gap] = body["gaps"]
    assert gap["key_question"] == "safe" and gap["rating"] == "inadequate"
    first = gap["results"][0]
    assert first["id"] == "cs-test-0004" and first["rating_dropped"] is False
    assert first["provider"]["ratings"]["safe"] == "outstanding"


@pytest.mark.parametrize(
    "location_id, status, message",
    [("not-an-id", 400, "not a CQC location id"), ("1-9999999999", 404, "No adult social care")],
)
def test_bad_and_unknown_location_ids(practice, client, location_id, status, message):
    response = client.get(f"/api/practice-for/{location_id}/")
    assert response.status_code == status
    assert message in response.json()["error"]["message"]
    page = client.get(f"/practice-for/{location_id}/")
    assert page.status_code == status and message in page.content.decode()


def test_the_page_finds_a_service_by_name_or_postcode_and_shows_its_gaps(practice, client):
    place = location(safe="requires-improvement")
    found = client.get("/practice-for/", {"location": "m12ab"}).content.decode()
    assert place.name in found
    response = client.get("/practice-for/", {"location": place.location_id})
    assert response.status_code == 302 and response.url == f"/practice-for/{place.location_id}/"
    html = client.get(response.url).content.decode()
    assert "Safe: rated Requires improvement" in html
    assert "Test case study 4" in html and "Test case study 5" not in html
    assert "Outstanding in Safe" in html


def test_search_ranks_practice_whose_rating_dropped_last_and_says_so(practice, client):
    body = client.get("/api/search/", {"key_question": "safe", "page_size": 50}).json()
    assert body["results"][-1]["id"] == "cs-test-0005"
    assert body["results"][-1]["rating_dropped"] is True
    assert all(not r["rating_dropped"] for r in body["results"][:-1])
    assert "Rating changed" in client.get("/search/", {"key_question": "safe"}).content.decode()


def test_an_imported_file_s_services_are_matched_and_its_gp_practices_turned_away(
    practice, client, tmp_path
):
    """From CQC's file to the page: the care home is found; a GP practice's id is answered
    with a message that it is not adult social care, not with "unknown"."""
    rows = [
        *location_rows("1-7770000001", ["Requires improvement", "Inadequate", *["Good"] * 4]),
        *location_rows("1-7770000002", "Good", kind=GP_PRACTICE, group="Older people"),
    ]
    ods = write_ods(tmp_path / "latest.ods", {"Locations": [HEADERS, *rows]})
    import_ratings(ods)

    body = client.get("/api/practice-for/1-7770000001/").json()
    assert [(g["key_question"], g["rating"]) for g in body["gaps"]] == [("safe", "inadequate")]
    response = client.get("/api/practice-for/1-7770000002/")
    assert response.status_code == 404
    assert "not an adult social care service" in response.json()["error"]["message"]
    assert "Primary Medical Services" in response.json()["error"]["message"]
