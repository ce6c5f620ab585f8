"""Rebuilding behind the alias: searches keep answering throughout."""

import threading

from django.core.management import call_command
from django.db import connection

from knowledgebase.case_studies import CaseStudyPage
from search.backends.elasticsearch.client import alias_name, client
from search.backends.elasticsearch.rebuild import merge_into_one_segment


def test_rebuild_swaps_the_alias_while_searches_keep_answering(fresh_index, capsys, caplog):
    es, alias = client(), alias_name()
    expected = CaseStudyPage.objects.live().public().count()
    [before] = es.indices.get_alias(name=alias).keys()
    errors, counts, done = [], [], threading.Event()

    def keep_searching():
        while not done.is_set():
            try:
                counts.append(es.count(index=alias)["count"])
            except Exception as exc:  # noqa: BLE001 - any failure is what we look for
                errors.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        call_command("search_index", "--rebuild")
    finally:
        done.set()
        searcher.join()
        connection.close()
    [after] = es.indices.get_alias(name=alias).keys()
    assert after != before and not es.indices.exists(index=before)
    assert not errors and len(counts) > 5
    assert set(counts) == {expected}
    out = capsys.readouterr()
    assert f"Indexed {expected} case studies" in out.out
    assert "Indexing:" in out.err  # progress
    assert f"Merged {after} into one segment" in caplog.text


def segment_count(es, index):
    return len(es.indices.segments(index=index)["indices"][index]["shards"]["0"][0]["segments"])


def test_a_rebuilt_index_is_merged_into_one_segment_before_searches_use_it(es_settings):
    es, name = client(), f"{alias_name()}-merge-test"  # removed with the test's alias
    es.indices.create(index=name, settings={"number_of_shards": 1, "number_of_replicas": 0})
    for n in range(3):  # a refresh after each write: three segments, as a bulk load leaves
        es.index(index=name, id=str(n), document={"n": n}, refresh=True)
    assert segment_count(es, name) == 3
    merge_into_one_segment(es, name)
    assert segment_count(es, name) == 1
    assert es.count(index=name)["count"] == 3


def test_a_merge_that_fails_leaves_the_rebuild_going(es_settings, caplog):
    merge_into_one_segment(client(), f"{alias_name()}-no-such-index")
    assert "Could not merge" in caplog.text
