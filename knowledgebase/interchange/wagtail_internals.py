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
  reference index.

tests/unit/test_bulk_publish.py compares what bulk publishing leaves with what Wagtail's
own add_child(), save_revision() and publish() leave (tree, revisions, log, references,
admin search), so a change behind any of these names fails a test.
"""

from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
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
