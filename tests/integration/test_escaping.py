"""Markup written into a case study, or typed into the search box, is shown as text on every
public surface, whichever backend answers."""

import pytest

from knowledgebase.case_studies import CaseStudyPage
from tests.conftest import make_record

SCRIPT = '<script>alert("px")</script>'
IMAGE = "<img src=x onerror=alert(1)>"


@pytest.fixture(params=["elasticsearch", "database"])
def hostile_case_study(request, db, importer, django_capture_on_commit_callbacks):
    """A published case study with markup in its title, summary and body, on each backend."""
    engine = request.param
    request.getfixturevalue("fresh_index" if engine == "elasticsearch" else "database_search")
    record = make_record(
        950,
        title=f"Falls at night {SCRIPT}",
        summary=f"Hydration rounds cut falls at night {IMAGE} by half in a year.",
        challenge=f"Residents fell at night {SCRIPT} {IMAGE}.",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the index update, as on commit
        report = importer([record])
    assert not report.errors, report.errors
    return engine, CaseStudyPage.objects.get(external_id="cs-test-0950")


def assert_shown_as_text(html):
    assert SCRIPT not in html and IMAGE not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html


def test_markup_in_the_corpus_and_the_query_is_escaped(hostile_case_study, client):
    backend, page = hostile_case_study
    query = {"q": f"falls at night {SCRIPT}"}

    body = client.get("/api/search/", query).json()
    assert body["backend"] == backend
    [hit] = [r for r in body["results"] if r["id"] == page.external_id]
    assert "<mark>" in hit["highlight"]  # the highlight's own markup survives...
    assert_shown_as_text(hit["highlight"])  # ...and nobody else's does

    response = client.get("/search/", query)
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode())

    assert_shown_as_text(client.get(page.url).content.decode())

    suggestions = client.get("/api/search/suggest/", {"q": "Falls at"}).json()["suggestions"]
    assert any(s["text"] == page.title for s in suggestions)  # JSON carries it as data
