"""Rebuilding behind the alias: searches keep answering throughout."""

import threading

from django.core.management import call_command
from django.db import connection

from knowledgebase.case_studies import CaseStudyPage
from search.backends.elasticsearch.client import alias_name, client


def test_rebuild_swaps_the_alias_while_searches_keep_answering(fresh_index, capsys):
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
