import pytest
from django.http import QueryDict

from search.query import InvalidSearch, SearchQuery

pytestmark = pytest.mark.django_db


def parse(qs):
    return SearchQuery.from_params(QueryDict(qs))


def test_repeated_parameters_combine_within_a_facet():
    query = parse("q=falls&theme=falls-prevention&theme=dementia-care&region=london")
    assert query.filters == {"theme": ["falls-prevention", "dementia-care"], "region": ["london"]}


@pytest.mark.parametrize(
    "qs, parameter",
    [
        ("theme=nonsense", "theme"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=500", "page_size"),
        ("sort=oldest", "sort"),
        ("prefer_service_type=castle", "prefer_service_type"),
        ("q=" + "x" * 501, "q"),
    ],
)
def test_bad_parameters_are_named(qs, parameter):
    with pytest.raises(InvalidSearch) as error:
        parse(qs)
    assert error.value.parameter == parameter


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "a AND (b OR",
        "title:falls^5",
        "*",
        "\\",
        "/",
        "~1",
        "<script>alert(1)</script>",
        "NOT",
        "a && b || c",
        "{!}",
    ],
)
def test_any_text_is_a_valid_query(client, database_search, text):
    response = client.get("/api/search/", {"q": text})
    assert response.status_code == 200
    assert client.get("/search/", {"q": text}).status_code == 200


@pytest.mark.parametrize("qs", ["theme=nonsense", "page=-1", "page_size=x", "sort=1"])
def test_api_answers_400_with_a_json_error(client, database_search, qs):
    response = client.get("/api/search/?" + qs)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["message"]


def test_search_page_shows_the_error_and_keeps_the_words(client, database_search):
    response = client.get("/search/?q=falls+at+night&theme=nonsense")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown theme: nonsense" in html
    assert 'value="falls at night"' in html


def test_openapi_description_covers_the_api(client):
    spec = client.get("/api/search/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    parameters = {p["name"] for p in spec["paths"]["/api/search/"]["get"]["parameters"]}
    assert {
        "q",
        "theme",
        "innovation_type",
        "key_question",
        "quality_statement",
        "service_type",
        "region",
        "evidence_type",
        "page",
        "page_size",
    } <= parameters
    assert "400" in spec["paths"]["/api/search/"]["get"]["responses"]
