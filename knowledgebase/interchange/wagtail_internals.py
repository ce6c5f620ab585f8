"""Every private Wagtail, treebeard and modelsearch API the import pipeline relies on.

Bulk publishing (bulk_publish.py) and the importer do in a few statements what Wagtail
does page by page, and for that they reach past the public API. Those reaches are fenced
here, so an upgrade has one module to check:

- treebeard's ``MP_Node._get_path()`` and ``_inc_path()``: the materialised path of a new
  child, and of the sibling after it;
- Wagtail's ``Page._is_site_root``: the cached answer of ``Page.is_site_root()``;
- Wagtail's ``ReferenceIndex._extract_references_from_object()`` and
  ``ReferenceIndex._get_content_path_hash()``: the rows the reference index holds for
  an object;
- modelsearch's ``signal_handlers.post_save_signal_handler``: the per-save admin search
  update, held back while a batch is written and replaced by one bulk update;
- Wagtail's ``signal_handlers.disable_reference_index_auto_update()``: the same for the
  reference index;
- Wagtail's ``PublishPageRevisionAction._after_publish()`` and the
  ``_current_workflow_states`` that ``current_workflow_state`` reads: publishing an import's
  revision without cancelling the moderation of a contributor's draft
  (publish_keeping_moderation());
- modelsearch's PostgreSQL ``ObjectIndexer`` (which texts a search entry holds, at which
  weight), ``IndexEntry`` (its table) and ``PostgresIndex._refresh_title_norms()``: the
  admin search entries of a batch written in one statement (see add_to_admin_search()).

tests/unit/test_bulk_publish.py compares what bulk publishing leaves with what Wagtail's
own add_child(), save_revision() and publish() leave (tree, revisions, log, references,
admin search), so a change behind any of these names fails a test.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import connections, router
from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresSearchBackend,
)
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.signal_handlers import post_save_signal_handler
from modelsearch.utils import get_content_type_pk
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update


def first_child_path(parent):
    """The tree path of the first child of `parent`."""
    return Page._get_path(parent.path, parent.depth + 1, 1)


def next_sibling_path(path):
    """The tree path after `path`, at the same depth."""
    return Page(path=path)._inc_path()


def mark_not_site_root(page):
    """Spare is_site_root() its query: a new child page is never the root of a site."""
    page._is_site_root = False


def references_of(obj):
    """{(to_content_type_id, to_object_id, model_path, content_path)} as the index would hold."""
    return set(ReferenceIndex._extract_references_from_object(obj))


def content_path_hash(content_path):
    return ReferenceIndex._get_content_path_hash(content_path)


class _PublishKeepingModeration(PublishPageRevisionAction):
    def _after_publish(self):
        # What prefetch_workflow_states() leaves for current_workflow_state to read: empty,
        # the action finds no workflow to cancel. Everything else (page_published, aliases)
        # happens as in any publish.
        self.object._current_workflow_states = []
        super()._after_publish()


def publish_keeping_moderation(revision, user=None):
    """revision.publish(), except that a workflow in progress on the page goes on.

    Wagtail cancels the page's workflow on every publish (WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH,
    for the editor who publishes their own draft). An import publishes its own revision of the
    live content; the contributor's draft in moderation is another revision, and stays there.
    """
    return _PublishKeepingModeration(revision, user=user).execute()


@contextmanager
def per_save_indexing_held_back(models):
    """Hold back the admin search and reference index updates that each save triggers.

    The caller indexes what it wrote once, at the end of its batch.
    """
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def add_to_admin_search(model, objects):
    """Index objects for the admin's search (and the database search backend), in bulk, now."""
    for write in admin_search_writes(model, objects):
        write()


def admin_search_writes(model, objects):
    """What indexing objects for the admin's search takes, as calls to make (now, or once
    their transaction has committed, from another thread: each opens its own cursor).

    modelsearch's PostgreSQL index compiles a Django expression per text of every object
    (six milliseconds a case study, most of an import's time); here the same rows are
    written by one statement per shape of row, the texts and weights taken from
    modelsearch's own ObjectIndexer. Other backends (SQLite's FTS) get their own add_bulk().
    tests/integration/test_scale_paths.py compares the rows with modelsearch's.
    """
    if not objects or not model.get_search_fields():
        return []
    writes = []
    for backend in get_search_backends(with_auto_update=True):
        if isinstance(backend, PostgresSearchBackend):
            writes.append(_postgres_entries_write(backend, model, objects))
        else:
            writes.append(lambda backend=backend: backend.add_bulk(model, objects))
    return writes


def _texts(indexer):
    """(title, body, autocomplete) as lists of (text, weight), as ObjectIndexer groups them."""
    groups = ([], [], [])
    for search_field in indexer.search_fields:
        for current, weight, value in indexer.prepare_field(indexer.obj, search_field):
            if isinstance(current, AutocompleteField):
                groups[2].append((value.strip(), weight))
            elif isinstance(current, SearchField):
                group = groups[0] if current.field_name == "title" else groups[1]
                group.append((value.strip(), weight))
    return tuple([(text, weight) for text, weight in group if text] for group in groups)


def _vector_sql(texts, config):
    """SQL for ObjectIndexer.as_vector(): each text to_tsvector'd at its weight, concatenated."""
    if not texts:
        return "''::tsvector", []
    to_tsvector = "to_tsvector(%s::regconfig, %s)" if config else "to_tsvector(%s)"
    sql = " || ".join(f"setweight({to_tsvector}, %s)" for _ in texts)
    params = []
    for text, weight in texts:
        params.extend([config, text, weight] if config else [text, weight])
    return f"({sql})", params


def _postgres_entries_write(backend, model, objects):
    """The rows of IndexEntry for these objects, and a call that writes them."""
    content_type_pk = get_content_type_pk(model)
    by_shape = defaultdict(list)  # one statement per shape: the same SQL for every row
    for obj in objects:
        title, body, autocomplete = _texts(ObjectIndexer(obj, backend))
        vectors = [
            _vector_sql(title, backend.config),
            _vector_sql(autocomplete, backend.autocomplete_config),
            _vector_sql(body, backend.config),
        ]
        by_shape[tuple(sql for sql, _ in vectors)].append(
            [
                content_type_pk,
                str(obj.pk),
                *(p for _, params in vectors for p in params),
                " ".join(text for text, _ in title),
                " ".join(text for text, _ in body),
            ]
        )
    index = backend.get_index_for_model(model)

    def write():
        connection = connections[router.db_for_write(IndexEntry)]
        for (title_sql, autocomplete_sql, body_sql), rows in by_shape.items():
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id, "
                    "title, autocomplete, body, title_norm, title_text, body_text) VALUES "
                    f"(%s, %s, {title_sql}, {autocomplete_sql}, {body_sql}, 1.0, %s, %s) "
                    "ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                    "title = EXCLUDED.title, title_norm = 1.0, "
                    "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                    "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    rows,
                )
        index._refresh_title_norms()

    return write
