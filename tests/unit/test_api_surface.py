"""The edges of the search API and pages (issue #12): a NUL character in a parameter, HEAD
and the methods the API does not answer, CSRF, and highlights for queries and texts with
control characters in them."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from search import backends
from search.query import SearchQuery
from search.snippets import highlight
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

LOCATION = "1-1234567890"
API = [
    "/api/search/?q=falls",
    "/api/search/suggest/?q=fall",
    "/api/search/openapi.json",
    f"/api/practice-for/{LOCATION}/",
]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MARK = re.compile(r"</?mark>")


def markup_problem(highlight):
    """Why a highlight is not escaped text with balanced, unnested <mark> pairs, or ""."""
    depth = 0
    for tag in MARK.findall(highlight):
        depth += 1 if tag == "<mark>" else -1
        if depth not in (0, 1):
            return "a <mark> nested or closed before it opened"
    if depth:
        return "a <mark> never closed"
    if re.search(r"[<>]", MARK.sub("", highlight)):
        return "markup other than <mark>"
    if CONTROL.search(highlight):
        return "a control character"
    return ""


def test_markup_problem_finds_stray_and_unbalanced_marks():
    assert markup_problem("a <mark>fall</mark> at night &amp; day") == ""
    assert markup_problem("a fall</mark> at night")
    assert markup_problem("a <mark>fall at night")
    assert markup_problem("<mark><mark>fall</mark></mark>")
    assert markup_problem("a <b>fall</b>")
    assert markup_problem("a fall\x01 at night")


@pytest.fixture
def csrf_client():
    """A client that, like a browser or curl, gets no CSRF exemption from the test runner."""
    return Client(enforce_csrf_checks=True)


# --- A NUL character ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("/api/search/suggest/?q=fa%00lls", "q"),
        ("/api/search/suggest/?q=%00%00", "q"),
        ("/api/search/?q=fa%00lls", "q"),
        ("/api/search/?q=%00", "q"),
        ("/api/search/?theme=falls-prevention%00", "theme"),
        ("/api/search/?innovation_type=%00", "innovation_type"),
        ("/api/search/?key_question=safe&key_question=sa%00fe", "key_question"),
        ("/api/search/?quality_statement=safe%00", "quality_statement"),
        ("/api/search/?service_type=homecare%00", "service_type"),
        ("/api/search/?region=london%00", "region"),
        ("/api/search/?evidence_type=research%00", "evidence_type"),
        ("/api/search/?prefer_service_type=homecare%00", "prefer_service_type"),
        ("/api/search/?sort=newest%00", "sort"),
        ("/api/search/?page=1%00", "page"),
        ("/api/search/?page_size=10%00", "page_size"),
        ("/api/search/?q=falls&fa%00lls=1", "falls"),
        (f"/api/practice-for/{LOCATION}/?service_type=homecare%00", "service_type"),
    ],
)
def test_a_nul_in_an_api_parameter_is_a_json_400_naming_it(
    client, database_search, path, parameter
):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["parameter"] == parameter
    assert "NUL character" in error["message"]


def test_a_nul_in_the_search_page_shows_the_page_with_a_message(client, database_search, importer):
    importer([make_record(1)])
    response = client.get("/search/?q=fa%00lls&theme=falls-prevention%00")
    assert response.status_code == 400
    page = response.content.decode()
    assert "NUL character" in page
    assert 'value="falls"' in page  # the rest of the search answered
    assert "Test case study 1" in page
    assert "\x00" not in page


@pytest.mark.parametrize(
    "parameter, value",
    [
        ("theme", "falls-prevention"),
        ("region", "north-west"),
        ("page", "1"),
        ("sort", "newest"),
        ("prefer_service_type", "homecare"),
    ],
)
def test_a_nul_in_any_filter_of_the_search_page_is_left_out_with_a_message(
    client, database_search, importer, parameter, value
):
    importer([make_record(1)])
    response = client.get(f"/search/?q=falls&{parameter}={value[:2]}%00{value[2:]}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "NUL character" in page
    assert "Test case study 1" in page
    assert "\x00" not in page


@pytest.mark.parametrize(
    "path, message",
    [
        ("/practice-for/?location=Meadow%00bank", "NUL character"),
        ("/practice-for/1-1%00/", "is not a CQC location id"),
    ],
)
def test_a_nul_in_find_your_service_is_a_message(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "\x00" not in page


# --- Methods ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", API)
def test_head_answers_like_get_without_the_body(client, database_search, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head["Content-Type"] == get["Content-Type"] == "application/json"
    assert int(head["Content-Length"]) == len(get.content)
    assert head.content == b""


@pytest.mark.parametrize("path", ["/search/?q=falls", "/practice-for/"])
def test_head_on_the_pages_answers_like_get(client, database_search, path):
    assert client.head(path).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("path", API)
def test_other_methods_get_a_json_405_with_allow(csrf_client, database_search, method, path):
    response = getattr(csrf_client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["status"] == 405


def test_a_post_to_the_api_never_reaches_the_search(csrf_client, database_search, monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("a POST ran a search")

    monkeypatch.setattr(backends, "search", no_search)
    monkeypatch.setattr(backends, "suggest", no_search)
    assert csrf_client.post("/api/search/?q=falls").status_code == 405
    assert csrf_client.post("/api/search/suggest/?q=falls").status_code == 405


def test_only_the_read_only_api_and_one_click_unsubscribe_are_csrf_exempt(csrf_client):
    exempt = {
        pattern.name
        for pattern in get_resolver().url_patterns
        for pattern in getattr(pattern, "url_patterns", [pattern])
        if getattr(getattr(pattern, "callback", None), "csrf_exempt", False)
    }
    # The alert's unsubscribe link takes a mail client's RFC 8058 one-click POST, which has no
    # token; its signed link is what authorises it, and it can only stop e-mails.
    assert exempt == {
        "search-api",
        "search-suggest",
        "search-openapi",
        "practice-for-api",
        "alert-unsubscribe",
    }
    # The pages keep CSRF protection (Django's own 403 for a POST without a token).
    assert csrf_client.post("/search/?q=falls").status_code == 403


# --- Highlights with control characters ---------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["falls\x01", "fa\x01lls", "\x0bfalls at night\x1f", "night\x1cfalls", "falls\x7f\x85night"],
)
def test_highlights_for_a_query_with_control_characters_are_balanced(importer, database_search, q):
    importer([make_record(1)])
    results = backends.search(SearchQuery.from_params(QueryDict(urlencode({"q": q}))))
    assert results.hits
    for hit in results.hits:
        assert markup_problem(hit.highlight) == "", hit.highlight


def test_control_characters_in_the_text_never_reach_the_highlight():
    text = "Residents\x01 had <falls>\x0b at night\x1f; falls\x7f fell\x85 by half & more."
    snippet = highlight([text], "falls\x0b at\x01 night")
    assert markup_problem(snippet) == "", snippet
    assert "<mark>night</mark>" in snippet
    assert "<mark>falls</mark>" in snippet
    assert "&lt;<mark>falls</mark>&gt;" in snippet


WORDS = st.sampled_from(["falls", "night", "fell", "mark", "lighting", "care", "K", "ſ"])
NOISE = st.sampled_from(["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u2028", " "])
MARKUP = st.sampled_from(["<", ">", "&", "/", "</mark>", "<mark>", '"', "&lt;"])
TEXT = st.lists(st.one_of(WORDS, NOISE, MARKUP), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=TEXT, q=TEXT)
def test_any_highlight_is_escaped_text_with_balanced_marks(text, q):
    snippet = highlight([text], q)
    assert markup_problem(snippet) == "", (text, q, snippet)
    # Nothing but the marks was added: the rest is the text, escaped.
    plain = html.unescape(MARK.sub("", snippet)).strip("…")
    assert CONTROL.sub(" ", text).find(plain) != -1 or not snippet
