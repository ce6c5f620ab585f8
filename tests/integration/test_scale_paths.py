"""The fast paths of a large import and search, on the real PostgreSQL and Elasticsearch:
admin search entries written in bulk (and in the background), vectors computed after an
import and brought into the index, and the API saying where a search's time went."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.utils import get_content_type_pk

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.providers import Provider
from search.backends.elasticsearch.backend import doc_value, raw_hits
from search.backends.elasticsearch.client import alias_name
from search.backends.elasticsearch.client import client as es_client
from search.backends.elasticsearch.queries import knn_search
from search.models import CaseStudyVector
from search.vectors import from_bytes
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def admin_search_rows(model, ids):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id, title::text, autocomplete::text, body::text, title_text, "
            "body_text FROM wagtailsearch_indexentry WHERE content_type_id = %s "
            "AND object_id = ANY(%s) ORDER BY object_id",
            [get_content_type_pk(model), [str(pk) for pk in ids]],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("model", [CaseStudyPage, Provider])
def test_bulk_admin_search_entries_are_the_ones_modelsearch_writes(model):
    objects = list(model.objects.all())
    assert objects
    ids = [obj.pk for obj in objects]
    ours = admin_search_rows(model, ids)  # written by the import, in the background
    assert len(ours) == len(objects)
    get_search_backend().add_bulk(model, objects)  # modelsearch's own, per object
    assert admin_search_rows(model, ids) == ours


def test_vectors_computed_after_an_import_reach_the_index(
    fresh_index, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "records.jsonl"
    record = make_record(901, title="Scented garden walks for people living with dementia")
    path.write_text(json.dumps(record) + "\n")
    with django_capture_on_commit_callbacks(execute=True):  # as the command's commit does
        call_command(
            "import_case_studies",
            str(path),
            "--defer-vectors",
            "--quiet-progress",
            stdout=io.StringIO(),
        )
    page = CaseStudyPage.objects.get(external_id=record["id"])
    assert not CaseStudyVector.objects.filter(page=page).exists()

    # The new vectors go to the index once they are committed (as the command's are).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("search_index", "--vectors", stdout=io.StringIO(), stderr=io.StringIO())
    vector = from_bytes(CaseStudyVector.objects.get(page=page).vector)
    es_client().indices.refresh(index=alias_name())
    nearest = raw_hits(knn_search(vector, 1).execute())
    assert [doc_value(hit, "page_id") for hit in nearest] == [page.pk]


def test_the_search_api_says_where_its_time_went(fresh_index, client):
    response = client.get("/api/search/", {"q": "falls at night"})
    assert response.status_code == 200
    assert response.json()["backend"] == "elasticsearch"
    timings = dict(
        part.split(";dur=") for part in response["Server-Timing"].replace(" ", "").split(",")
    )
    assert float(timings["engine"]) > 0  # Elasticsearch's own "took", summed
    assert float(timings["search"]) >= float(timings["engine"])
    assert "embedding" in timings
