"""What a fault and abuse probe found, each fixed: changes made during a rebuild, requests
Elasticsearch refuses, long questions, a rebuild that dies, a node that does not answer."""

import threading

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from knowledgebase.case_studies import CaseStudyIndexPage, CaseStudyPage
from search import backends
from search.backends.elasticsearch import ElasticsearchBackend, sync
from search.backends.elasticsearch import rebuild as rebuilding
from search.backends.elasticsearch.client import alias_name, circuit, node_urls
from search.backends.elasticsearch.client import client as es_client
from search.health import search_health
from search.locks import LockNotTaken, held
from search.models import PendingIndexUpdate
from search.query import MAX_QUERY_LENGTH, SearchQuery
from tests.conftest import make_record

pytestmark = pytest.mark.integration


@pytest.fixture
def on_demo_index(settings, demo_index, es_url, db):
    """Searches on the shared demo index (read only: its indices are not this test's)."""
    settings.ELASTICSEARCH_URL = es_url
    settings.SEARCH_INDEX_ALIAS = demo_index
    es_client.cache_clear()
    backends.reset_circuit()
    yield settings
    es_client.cache_clear()
    backends.reset_circuit()


def indexed(page_id):
    es_client().indices.refresh(index=alias_name())
    result = es_client().options(ignore_status=404).get(index=alias_name(), id=str(page_id))
    return result["_source"] if result.get("found") else None


def test_changes_made_while_a_rebuild_reads_reach_the_new_index(fresh_index, importer):
    """Unpublished, restricted and new case studies, changed after the rebuild read them
    and flushed to the old index meanwhile (as a web process would), are right after it."""
    unpublished = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    restricted = CaseStudyPage.objects.get(external_id="cs-hydration-uti-reduction")
    changed = []

    def change_once(event, n):
        if event != "advance" or changed:
            return
        unpublished.unpublish()
        PageViewRestriction.objects.create(
            page=restricted, restriction_type="password", password="secret"
        )
        importer([make_record(950, title="Published while the index was rebuilt")])
        changed.append(CaseStudyPage.objects.get(external_id="cs-test-0950"))
        sync.flush()  # to the old index, behind the alias still: the rows are applied

    [before] = es_client().indices.get_alias(name=alias_name())
    rebuilding.rebuild(progress=change_once)
    [after] = es_client().indices.get_alias(name=alias_name())
    assert after != before and changed
    assert indexed(unpublished.pk) is None
    assert indexed(restricted.pk) is None
    assert indexed(changed[0].pk)["title"] == "Published while the index was rebuilt"


def test_a_failed_rebuild_deletes_its_index_and_the_next_removes_orphans(fresh_index):
    es, alias = es_client(), alias_name()
    [current] = es.indices.get_alias(name=alias)

    def die(event, n):
        if event == "advance":
            raise RuntimeError("the rebuild's process was stopped")

    with pytest.raises(RuntimeError):
        rebuilding.rebuild(progress=die)
    assert set(es.indices.get(index=f"{alias}-*")) == {current}
    orphan = f"{alias}-20200101000000000000"  # what a rebuild killed with -9 leaves
    es.indices.create(index=orphan)

    name, total = rebuilding.rebuild()
    assert set(es.indices.get(index=f"{alias}-*")) == {name}
    assert es.count(index=alias)["count"] == total > 0


def test_one_rebuild_at_a_time(fresh_index):
    taken, release = threading.Event(), threading.Event()

    def hold():  # another process's rebuild: its own database connection
        try:
            with held(rebuilding.REBUILD_LOCK):
                taken.set()
                release.wait(30)
        finally:
            connection.close()

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert taken.wait(10)
        with pytest.raises(LockNotTaken):
            rebuilding.rebuild()
    finally:
        release.set()
        other.join()


def test_a_change_made_while_a_replay_applies_its_page_stays_queued(fresh_index, monkeypatch):
    """A replay reads a page's state, then marks its rows applied: a change committed in
    between (its own row) must not be marked with them."""
    page = CaseStudyPage.objects.get(external_id="cs-walking-with-purpose")
    sync.enqueue([page.pk], "first change", flush_after_commit=False)
    real_apply = sync.apply

    def apply_then_another_change(page_ids, **kwargs):
        result = real_apply(page_ids, **kwargs)
        if not PendingIndexUpdate.objects.filter(reason="second change").exists():
            sync.enqueue([page.pk], "second change", flush_after_commit=False)
        return result

    monkeypatch.setattr(sync, "apply", apply_then_another_change)
    sync.flush(page_ids=[page.pk], limit=1)
    monkeypatch.setattr(sync, "apply", real_apply)
    assert list(PendingIndexUpdate.objects.pending().values_list("reason", flat=True)) == [
        "second change"
    ]


def test_a_search_elasticsearch_refuses_does_not_send_everyone_to_the_database(
    on_demo_index, client
):
    # Past the index's result window: Elasticsearch refuses it (a 400), it is not down.
    deep = SearchQuery(page=5000, page_size=50)  # browsing: from=249,950
    assert backends.search(deep).backend == "database"
    assert not circuit.is_open()
    assert backends.search(SearchQuery(q="falls")).backend == "elasticsearch"
    # Through the API the same page is refused before it reaches Elasticsearch.
    response = client.get("/api/search/?q=falls&page=1000&page_size=50")
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "page"
    assert not circuit.is_open()


def test_no_question_a_person_can_type_passes_the_clause_limit(on_demo_index):
    """Every paragraph of the demo content, as long as a query may be, is answered by
    Elasticsearch itself (55 of 120 were refused before expansion was bounded)."""
    backend, refused = ElasticsearchBackend(), []
    questions = []
    for page in CaseStudyPage.objects.live():
        for text in (page.summary, page.challenge, page.approach, page.outcomes):
            words = " ".join(str(text).split())
            question = words[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
            questions.append(question)
            # With typos, which switch on fuzzy matching: two letters of each long word swapped.
            questions.append(
                " ".join(w[:2] + w[3] + w[2] + w[4:] if len(w) > 6 else w for w in question.split())
            )
    for q in questions:
        try:
            backend._search(SearchQuery(q=q))  # no retry with fewer words: the query as typed
        except Exception as exc:  # noqa: BLE001 - any refusal is what we count
            refused.append((q[:60], str(exc)[:120]))
    assert len(questions) > 200
    assert not refused, refused[:3]


def test_an_open_circuit_is_reported_as_degraded(on_demo_index, client):
    health = search_health()
    assert health["status"] == "ok", health
    circuit.open("a search timed out")
    try:
        health = search_health()
        assert health["status"] == "degraded" and "a search timed out" in health["error"]
        # Still serving (from the database): a load balancer keeps this process.
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json()["search"]["status"] == "degraded"
    finally:
        circuit.close()


def test_a_replay_that_cannot_reach_elasticsearch_touches_only_its_batch(es_settings, db):
    ids = list(range(900000, 900000 + sync.FLUSH_BATCH * 3))
    sync.enqueue(ids, "queued while down", flush_after_commit=False)
    url = es_settings.ELASTICSEARCH_URL
    es_settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens: refused at once
    es_client.cache_clear()
    try:
        assert sync.flush() == 0
    finally:
        es_settings.ELASTICSEARCH_URL = url
        es_client.cache_clear()
    # At most the batch it tried records the failure (every queued row was rewritten by
    # each failed attempt, so an import slowed as the queue grew).
    tried = PendingIndexUpdate.objects.pending().exclude(attempts=0).count()
    assert tried <= sync.FLUSH_BATCH
    assert PendingIndexUpdate.objects.pending().count() == len(ids)
    # The failure opened the circuit: an editor's change meanwhile is left for the replay
    # instead of waiting on Elasticsearch, and applied once the circuit closes.
    assert circuit.is_open()
    sync.flush_changed([ids[-1]])
    assert PendingIndexUpdate.objects.pending().filter(page_id=ids[-1]).exists()
    circuit.close()
    sync.flush_changed([ids[-1]])
    assert not PendingIndexUpdate.objects.pending().filter(page_id=ids[-1]).exists()


def test_renaming_the_case_study_index_updates_every_address(fresh_index, commit):
    index_page = CaseStudyIndexPage.objects.first()
    page = CaseStudyPage.objects.live().descendant_of(index_page).first()
    old_url = indexed(page.pk)["url"]
    index_page.slug = "practice"
    commit(lambda: index_page.save_revision().publish())
    new_url = indexed(page.pk)["url"]
    assert new_url != old_url and "/practice/" in new_url
    assert new_url == CaseStudyPage.objects.get(pk=page.pk).url


def test_a_cluster_that_loses_a_node_keeps_answering(on_demo_index, es_url):
    """ELASTICSEARCH_URL lists nodes; one that refuses connections is skipped."""
    on_demo_index.ELASTICSEARCH_URL = f"http://127.0.0.1:1, {es_url}"
    es_client.cache_clear()
    assert node_urls() == ["http://127.0.0.1:1", es_url]
    for _ in range(4):  # round-robin: the dead node's turn comes
        assert backends.search(SearchQuery(q="falls")).backend == "elasticsearch"
    assert not circuit.is_open()
