"""Publishing many new pages under one parent at once, with Wagtail's bookkeeping done in bulk.

Wagtail's add_child(), save_revision() and publish() cost over a hundred queries a page
(validation three times, two saves, comments, workflow checks, a reference-index and a
search-index update per save). An import of validated new pages needs the result, not the
route: each page live in the tree, its first revision as latest and live revision, its
relations, "create" and "publish" log entries, its reference-index and admin-search entries,
and the page_published signal. Here each step is one statement per batch.

Updates to existing pages still go through Wagtail's own save_revision() and publish().
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signals import page_published

from ..signals import pages_published_in_bulk
from .wagtail_internals import (
    add_to_admin_search,
    content_path_hash,
    first_child_path,
    mark_not_site_root,
    next_sibling_path,
    references_of,
)


@transaction.atomic
def publish_new_pages(parent, pages, user=None, index_for_admin_search=add_to_admin_search):
    """Add `pages` as live children of `parent`, each with its first revision published.

    `pages` are unsaved instances of one page model, with their fields set and their
    ParentalManyToManyField values assigned; slugs must already be free under `parent`.
    index_for_admin_search(model, pages) writes their admin search entries (at once, unless
    the caller defers them). Returns the pages, saved.
    """
    if not pages:
        return []
    model = type(pages[0])
    now = timezone.now()
    _place_in_tree(parent, pages, user, now)
    _insert_rows(model, pages)
    _insert_relations(model, pages)
    _publish_first_revisions(model, pages, user, now)
    _index_references(model, pages)
    index_for_admin_search(model, pages)
    for page in pages:
        page_published.send(sender=model, instance=page, revision=page.live_revision, in_bulk=True)
    pages_published_in_bulk.send(sender=model, page_ids=[page.pk for page in pages])
    return pages


def _place_in_tree(parent, pages, user, now):
    """Set what Page.save() and treebeard's add_child() would: path, depth, URL path, state."""
    last_path = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    for page in pages:
        last_path = next_sibling_path(last_path) if last_path else first_child_path(parent)
        page.path, page.depth, page.numchild = last_path, parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        page.owner = user
        mark_not_site_root(page)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def _insert_rows(model, pages):
    """The Page rows, then the specific model's rows (multi-table inheritance), one batch each."""
    _insert_objects(Page, pages, _columns(Page))
    # Paths are unique, so one query gives every new row its id.
    ids = dict(
        Page.objects.filter(path__in=[page.path for page in pages]).values_list("path", "pk")
    )
    child_relations = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
    db = router.db_for_write(model)
    for page in pages:
        page.pk = page.id = ids[page.path]  # page_ptr_id is the pk of a subclass
        page._state.adding, page._state.db = False, db
        for name in child_relations:
            # A new page has no comments or other child objects. Saying so in memory spares
            # the revision and the reference index a query each to find that out.
            setattr(page, name, [])
    # bulk_create() refuses multi-table models; the subclass's own table is inserted here.
    _insert_objects(model, pages, model._meta.local_concrete_fields)


def _insert_relations(model, pages):
    """The ParentalManyToManyField values assigned in memory, as rows of their through tables."""
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        _insert_values(
            through,
            [field.m2m_field_name(), field.m2m_reverse_field_name()],
            ((page.pk, term.pk) for page in pages for term in getattr(page, field.name).all()),
        )


def _columns(model):
    """The fields a new row needs: every concrete field but the id the database assigns."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _insert_objects(model, objects, fields):
    """INSERT instances' values for `fields` (of one table), without returning their ids."""
    _insert_values(
        model,
        [f.name for f in fields],
        ([f.pre_save(obj, True) for f in fields] for obj in objects),
    )


def _insert_values(model, field_names, rows):
    """INSERT rows of values: COPY on PostgreSQL, one executemany() elsewhere.

    For thousands of rows bulk_create() spends several times longer compiling SQL than the
    database spends writing; executemany() sends one statement and the rows' values, and
    PostgreSQL's COPY streams them without a round trip per row (three times faster again).
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    # Ints and strings go to the database as they are, except into JSON columns.
    as_is = [f.get_internal_type() != "JSONField" for f in fields]
    params = [
        [
            value if plain and type(value) in (int, str) else f.get_db_prep_save(value, connection)
            for f, plain, value in zip(fields, as_is, row, strict=True)
        ]
        for row in rows
    ]
    if not params:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The psycopg cursor under Django's wrapper: COPY is not part of the DB-API.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", params)


def _publish_first_revisions(model, pages, user, now):
    content_type = ContentType.objects.get_for_model(model)
    base_content_type = ContentType.objects.get_for_model(Page)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=str(page.pk),
            content=page.serializable_data(),
            object_str=str(page)[:255],
            user=user,
            created_at=now,
        )
        for page in pages
    ]
    _insert_objects(Revision, revisions, _columns(Revision))
    # Each page's only revision, found by one correlated subquery instead of a CASE per page.
    first_revision = Revision.objects.filter(
        base_content_type=base_content_type, object_id=Cast(OuterRef("pk"), CharField())
    ).values("pk")[:1]
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(first_revision), live_revision=Subquery(first_revision)
    )
    ids = dict(
        Revision.objects.filter(
            base_content_type=base_content_type, object_id__in=[r.object_id for r in revisions]
        ).values_list("object_id", "pk")
    )
    for page, revision in zip(pages, revisions, strict=True):
        revision.pk = ids[revision.object_id]
        revision._state.adding = False
        page.latest_revision = page.live_revision = revision
    _insert_objects(
        PageLogEntry,
        (
            PageLogEntry(
                content_type=content_type,
                page_id=page.pk,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=now,
                user=user,
                revision=page.live_revision if action == "wagtail.publish" else None,
                content_changed=True,
            )
            for page in pages
            for action in ("wagtail.create", "wagtail.publish")
        ),
        _columns(PageLogEntry),
    )


def _index_references(model, pages):
    """What ReferenceIndex.create_or_update_for_object() writes, without its per-page lookup.

    New pages have no rows to compare against, so the extracted references are inserted
    directly. tests/unit/test_bulk_publish.py checks the rows match Wagtail's own.
    """
    if not ReferenceIndex.is_indexed(model):
        return
    content_type = ContentType.objects.get_for_model(model)
    base_content_type = ContentType.objects.get_for_model(Page)
    _insert_values(
        ReferenceIndex,
        [
            "content_type",
            "base_content_type",
            "object_id",
            "to_content_type",
            "to_object_id",
            "model_path",
            "content_path",
            "content_path_hash",
        ],
        (
            (
                content_type.pk,
                base_content_type.pk,
                str(page.pk),
                to_content_type_id,
                to_object_id,
                model_path,
                content_path,
                content_path_hash(content_path),
            )
            for page in pages
            for to_content_type_id, to_object_id, model_path, content_path in references_of(page)
        ),
    )
