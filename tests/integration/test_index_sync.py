"""The index never lies: every change that alters what the public may see reaches it."""

import subprocess
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.taxonomy import Theme
from search import backends
from search.backends.elasticsearch import sync
from search.backends.elasticsearch.backend import doc_value, raw_hits
from search.backends.elasticsearch.client import alias_name, client
from search.backends.elasticsearch.queries import knn_search
from search.backends.elasticsearch.rebuild import reconcile
from search.models import CaseStudyVector, PendingIndexUpdate
from search.vectors import from_bytes
from tests.conftest import ROOT, make_record


def indexed(page_id):
    client().indices.refresh(index=alias_name())
    result = client().options(ignore_status=404).get(index=alias_name(), id=str(page_id))
    return result["_source"] if result.get("found") else None


def test_publish_unpublish_and_delete_reach_the_index(fresh_index, commit, importer):
    commit(lambda: importer([make_record(900, title="Brand new practice on oral health")]))
    page = CaseStudyPage.objects.get(external_id="cs-test-0900")
    assert indexed(page.pk)["title"] == "Brand new practice on oral health"

    commit(page.unpublish)
    assert indexed(page.pk) is None

    commit(lambda: page.get_latest_revision().publish())
    assert indexed(page.pk) is not None

    page_id = page.pk
    commit(page.delete)
    assert indexed(page_id) is None
    assert not PendingIndexUpdate.objects.pending().exists()


def test_an_import_queues_its_new_pages_in_one_statement(fresh_index, importer):
    """Bulk-published pages go to the outbox together, in the publish's transaction."""
    with CaptureQueriesContext(connection) as captured:
        importer([make_record(n) for n in (910, 911, 912)])
    queued = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('INSERT INTO "search_pendingindexupdate"')
        and "published" in q["sql"]
    ]
    assert len(queued) == 1
    new = CaseStudyPage.objects.filter(
        external_id__in=["cs-test-0910", "cs-test-0911", "cs-test-0912"]
    )
    assert set(
        PendingIndexUpdate.objects.pending()
        .filter(reason="published")
        .values_list("page_id", flat=True)
    ) == set(new.values_list("pk", flat=True))


def test_drafts_and_unpublished_revisions_never_reach_the_index(fresh_index, commit):
    page = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    published_title = page.title
    page.title = "Draft title that must stay private"
    commit(page.save_revision)
    assert indexed(page.pk)["title"] == published_title


def test_making_a_page_private_removes_it(fresh_index, commit):
    page = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    restriction = commit(
        lambda: PageViewRestriction.objects.create(page=page, restriction_type="login")
    )
    assert indexed(page.pk) is None
    commit(restriction.delete)
    assert indexed(page.pk) is not None


def test_provider_and_label_changes_update_documents(fresh_index, commit):
    page = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    provider = page.provider

    def rename():
        provider.name = "Renamed Care Ltd"
        provider.save()

    commit(rename)
    assert indexed(page.pk)["provider_name"] == "Renamed Care Ltd"

    theme = page.themes.first()

    def relabel():
        theme.label = "Relabelled theme"
        theme.save()

    commit(relabel)
    assert "Relabelled theme" in indexed(page.pk)["theme_labels"]
    assert Theme.objects.get(pk=theme.pk).slug == theme.slug


def test_reconcile_finds_and_fixes_drift(fresh_index, db):
    es = client()
    missing = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    stale = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
    es.delete(index=alias_name(), id=str(missing.pk), refresh=True)
    es.update(
        index=alias_name(),
        id=str(stale.pk),
        doc={"title": "wrong", "fingerprint": "x"},
        refresh=True,
    )
    es.index(
        index=alias_name(),
        id="999999",
        document={"page_id": 999999, "title": "ghost"},
        refresh=True,
    )

    drift = reconcile()
    assert drift == {"missing": [missing.pk], "stale": [stale.pk], "extra": [999999]}
    assert indexed(missing.pk) and indexed(stale.pk)["title"] == stale.title
    assert indexed(999999) is None
    assert reconcile(fix=False) == {"missing": [], "stale": [], "extra": []}


def es_script(command):
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "elasticsearch.sh"), command],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_with_elasticsearch_stopped_search_answers_and_updates_wait(
    fresh_index, commit, importer, client
):
    """Stops the real node: the page answers from the database, and nothing is lost."""
    page = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    es_script("stop")
    try:
        response = client.get("/search/?q=falls")
        assert response.status_code == 200
        assert "main search is unavailable" in response.content.decode()
        body = client.get("/api/search/?q=falls").json()
        assert body["backend"] == "database" and body["count"] > 0 and body["notice"]
        assert client.get("/healthz").status_code == 503
        assert client.get(page.url).status_code == 200  # related practice falls back too

        commit(lambda: importer([make_record(901, title="Published while the search was down")]))
        commit(page.unpublish)
        queued = PendingIndexUpdate.objects.pending().values_list("page_id", flat=True)
        assert set(queued) == {page.pk, CaseStudyPage.objects.get(external_id="cs-test-0901").pk}
        # Its vector does not wait for Elasticsearch: it is stored as it is published.
        assert CaseStudyVector.objects.filter(page__external_id="cs-test-0901").exists()
    finally:
        es_script("start")
    backends.reset_circuit()
    new_page = CaseStudyPage.objects.get(external_id="cs-test-0901")
    for _ in range(30):  # the node may need a moment to recover its shards
        if client.get("/api/search/?q=falls").json()["backend"] == "elasticsearch":
            break
        time.sleep(1)
        backends.reset_circuit()
    sync._last_replay_check = 0.0
    body = client.get("/api/search/?q=published+while+the+search+was+down").json()
    assert body["backend"] == "elasticsearch"
    sync.flush()  # the replay (search_index --replay, or a web process's background thread)
    document = indexed(new_page.pk)
    assert document is not None
    # Its vector is in the index (kept out of the stored _source): it is its own neighbour.
    vector = from_bytes(CaseStudyVector.objects.get(page=new_page).vector)
    nearest = raw_hits(knn_search(vector, 1).execute())
    assert [doc_value(hit, "page_id") for hit in nearest] == [new_page.pk]
    assert indexed(page.pk) is None
    assert not PendingIndexUpdate.objects.pending().exists()
    # Searchable now, by its words and by its vector (its summary, asked in other words).
    body = client.get("/api/search/?q=published+while+the+search+was+down").json()
    assert body["backend"] == "elasticsearch" and body["results"][0]["id"] == "cs-test-0901"
    found = client.get("/api/search/?q=fewer+night+time+tumbles").json()
    assert "cs-test-0901" in [r["id"] for r in found["results"]]
