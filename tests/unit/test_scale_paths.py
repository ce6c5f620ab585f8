"""What keeps a large corpus fast, checked on its behaviour: the stored vocabulary, related
practice cached per revision, vectors left to a later pass, and the benchmark corpus."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.vocabularies import SCHEMA_FILE
from search.backends.elasticsearch.index import fingerprint
from search.backends.elasticsearch.sync import changed_since
from search.models import CaseStudyVector, PendingIndexUpdate, SearchVocabulary
from search.vocabulary import rebuild_vocabulary, vocabulary_cache
from tests.conftest import ROOT, make_record

pytestmark = pytest.mark.django_db

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import generate  # noqa: E402  (benchmarks/ is scripts, not a package)


def test_the_vocabulary_is_stored_and_grows_with_what_is_published(importer):
    importer([make_record(1)])
    stored = SearchVocabulary.objects.get()
    assert stored.size == 1
    assert vocabulary_cache.current().knows("hydration")
    assert not vocabulary_cache.current().knows("zebrafication")

    importer([make_record(2, summary="Zebrafication of the garden made it safer.")])
    assert SearchVocabulary.objects.get().size == 2
    assert vocabulary_cache.current().knows("zebrafication")

    # Withdrawn practice keeps its words until the vocabulary is counted again.
    CaseStudyPage.objects.get(external_id="cs-test-0002").unpublish()
    assert vocabulary_cache.current().knows("zebrafication")
    rebuild_vocabulary()
    assert SearchVocabulary.objects.get().size == 1
    assert not vocabulary_cache.current().knows("zebrafication")


def test_related_practice_is_cached_per_live_revision(importer, client):
    importer([make_record(n, title=f"Night-time falls work {n}") for n in (1, 2, 3)])
    page = CaseStudyPage.objects.get(external_id="cs-test-0001")
    assert client.get(page.url).status_code == 200
    key = f"related:{page.pk}:{page.live_revision_id}:3"
    cached = cache.get(key)
    assert cached is not None and page.pk not in cached and len(cached) == 2

    page.save_revision().publish()
    page.refresh_from_db()
    new_key = f"related:{page.pk}:{page.live_revision_id}:3"
    assert new_key != key and cache.get(new_key) is None
    client.get(page.url)
    assert cache.get(new_key) == cached


def test_an_import_can_leave_its_vectors_to_search_index_vectors(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(make_record(n)) for n in (1, 2)) + "\n")
    call_command(
        "import_case_studies",
        str(path),
        "--defer-vectors",
        "--quiet-progress",
        stdout=io.StringIO(),
    )
    assert CaseStudyPage.objects.count() == 2
    assert CaseStudyVector.objects.count() == 0

    out = io.StringIO()
    call_command("search_index", "--vectors", stdout=out, stderr=io.StringIO())
    assert "Computed 2 vectors" in out.getvalue()
    assert CaseStudyVector.objects.count() == 2
    # Resumable: what has a vector is not computed again.
    out = io.StringIO()
    call_command("search_index", "--vectors", stdout=out, stderr=io.StringIO())
    assert "Computed 0 vectors" in out.getvalue()


def test_an_import_computes_its_vectors_at_its_end_by_default(importer):
    importer([make_record(n) for n in (1, 2, 3)])
    assert CaseStudyVector.objects.count() == 3


def test_the_benchmark_corpus_is_valid_deterministic_and_prefix_stable():
    validator = jsonschema_rs.validator_for(
        json.loads(SCHEMA_FILE.read_text(encoding="utf-8")), validate_formats=True
    )
    records = list(generate(150, 7))
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["id"], errors)
    assert records == list(generate(150, 7))
    assert records[:40] == list(generate(40, 7))
    assert records != list(generate(150, 8))
    assert len({r["id"] for r in records}) == len({r["title"] for r in records}) == 150
    providers = {r["provider"]["cqc_location_id"]: r["provider"] for r in records}
    assert 15 <= len(providers) <= 60  # about one provider per five case studies
    for record in records:  # one provider's data is the same in each of its records
        assert providers[record["provider"]["cqc_location_id"]] == record["provider"]


def test_the_benchmark_corpus_imports_without_errors(importer):
    report = importer(list(generate(60, 3)))
    assert not report.errors, report.errors[:5]
    assert report.created == 60


def test_a_rebuild_replays_each_changed_page_once_and_not_what_it_read():
    """What a rebuild applies again after reading (sync.changed_since): each page changed
    in the overlap once, however often it changed, and not the changes applied (so
    committed) before the rebuild began, which it read. After an import, that was every
    imported page, twice (the model's ordering kept DISTINCT from collapsing them)."""
    now = timezone.now()
    started = now - timedelta(seconds=5)

    def change(page_id, queued_minutes_ago, applied_minutes_ago=None):
        PendingIndexUpdate.objects.create(
            page_id=page_id,
            reason="test",
            queued_at=now - timedelta(minutes=queued_minutes_ago),
            applied_at=(
                None
                if applied_minutes_ago is None
                else now - timedelta(minutes=applied_minutes_ago)
            ),
        )

    change(1, 3)
    change(1, 2)  # pending, twice: once
    change(2, 8, applied_minutes_ago=7)  # applied long before the rebuild: read by it
    change(3, 4, applied_minutes_ago=0)  # applied while it read: again
    change(4, 30, applied_minutes_ago=29)  # before the overlap
    moment = now - timedelta(minutes=10)
    assert sorted(changed_since(moment)) == [1, 2, 3]
    assert sorted(changed_since(moment, settled_before=started - timedelta(minutes=1))) == [1, 3]


def test_a_documents_fingerprint_follows_its_text_and_its_vector():
    document = {"title": "Night checks", "vector": [0.125, -0.5, 0.25]}
    assert fingerprint({**document, "fingerprint": "the old one"}) == fingerprint(document)
    assert fingerprint({**document, "title": "Day checks"}) != fingerprint(document)
    assert fingerprint({**document, "vector": [0.125, -0.5, 0.375]}) != fingerprint(document)
    assert fingerprint({**document, "vector": None}) != fingerprint(document)


def test_the_web_process_keeps_what_start_up_loaded_out_of_the_collectors_passes():
    """config/wsgi.py freezes it: a full pass over it took over 100 ms, every few searches."""
    frozen = subprocess.run(
        [sys.executable, "-c", "import gc, config.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(frozen.stdout) > 50_000
