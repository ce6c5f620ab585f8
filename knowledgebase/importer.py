"""Writing interchange records into the CMS as published case studies."""

import datetime
import json
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from .case_studies import RELATIONS, CaseStudyIndexPage, CaseStudyPage
from .interchange import (
    ImportReport,
    LineError,
    Vocabularies,
    case_study_record,
    normalised,
    provider_from_record,
    text_to_stream,
    validate_record,
)
from .providers import Provider

BATCH_SIZE = 200  # records per transaction: far fewer commits, and a failure costs one batch


@contextmanager
def quiet_indexing():
    """Hold back the admin search and reference index updates that each save triggers.

    The importer indexes each batch once at the end instead of once per save.
    """
    for model in (CaseStudyPage, Provider):
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in (CaseStudyPage, Provider):
            post_save.connect(post_save_signal_handler, sender=model)


def read_lines(lines):
    """(line number, record or None, parse error or None) for each non-blank line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"


class CaseStudyImporter:
    def __init__(self, user=None, index_page=None):
        self.user = user
        self.index_page = index_page or CaseStudyIndexPage.objects.first()
        if self.index_page is None:
            raise RuntimeError("There is no case study index page to import into; run migrate.")
        self.vocabularies = Vocabularies()
        self.providers = {p.cqc_location_id: p for p in Provider.objects.all()}
        self.report = ImportReport()
        self.written = []
        self.written_providers = []
        self.sibling_slugs = None

    def import_lines(self, lines, on_line=None):
        """Import an iterable of JSONL lines; on_line(number) is called after each line."""
        batch, batch_ids = [], set()
        for number, record, parse_error in read_lines(lines):
            problems = [("(line)", parse_error)] if parse_error else None
            problems = problems or validate_record(record, self.vocabularies)
            if problems:
                self.report.errors.extend(LineError(number, f, r) for f, r in problems)
            else:
                if record["id"] in batch_ids:  # a later line updates an earlier one
                    self._write(batch)
                    batch, batch_ids = [], set()
                batch.append((number, record))
                batch_ids.add(record["id"])
            if len(batch) >= BATCH_SIZE:
                self._write(batch)
                batch, batch_ids = [], set()
            if on_line:
                on_line(number)
        if batch:
            self._write(batch)
        return self.report

    def _write(self, batch):
        existing = {
            page.external_id: page
            for page in CaseStudyPage.objects.filter(external_id__in=[r["id"] for _, r in batch])
            .select_related("provider")
            .prefetch_related(*RELATIONS)
        }
        with transaction.atomic():
            with quiet_indexing():
                new = []
                for number, record in batch:
                    if record["id"] not in existing:
                        new.append((number, record))
                        continue
                    try:
                        with transaction.atomic():
                            self._update(existing[record["id"]], record)
                    except Exception as exc:  # a database refusal costs this line only
                        self.report.errors.append(
                            LineError(number, "(record)", f"not saved: {exc}")
                        )
                self._create_all(new)
            self._after_batch()

    def provider_for(self, data):
        provider = self.providers.get(data["cqc_location_id"])
        if provider is not None and not _provider_changed(provider, data):
            return provider
        provider = provider_from_record(data, provider)
        provider.full_clean(validate_unique=False)
        provider.save()
        self.providers[provider.cqc_location_id] = provider
        self.written_providers.append(provider)
        return provider

    def _update(self, existing, record):
        """An existing case study: a new revision, published through Wagtail's own actions."""
        unchanged = (
            existing.live
            and not existing.has_unpublished_changes
            and normalised(case_study_record(existing)) == normalised(record)
        )
        if unchanged:
            self.report.unchanged += 1
            return
        page = existing.get_latest_revision_as_object()
        m2m = self._fill(page, record, self.provider_for(record["provider"]))
        for name, terms in m2m.items():
            setattr(page, name, terms)
        revision = page.save_revision(user=self.user, log_action=True)
        revision.publish(user=self.user)
        self.report.updated += 1
        self.written.append(page.pk)

    def _create_all(self, items):
        """New case studies, many at once; if the database refuses, one at a time."""
        if not items:
            return
        try:
            with transaction.atomic():
                self._create_published(items)
        except Exception:
            self.sibling_slugs = None  # the rolled-back slugs must not count as taken
            for number, record in items:
                try:
                    with transaction.atomic():
                        self._create_published([(number, record)])
                except Exception as exc:
                    self.sibling_slugs = None
                    self.report.errors.append(LineError(number, "(record)", f"not saved: {exc}"))

    def _create_published(self, items):
        """New case studies, each live with its first revision, in a few queries apiece.

        Wagtail's save_revision() then publish() costs over a hundred queries a page (three
        validations, two saves, comments, workflow checks, a relation query per field);
        a bulk import of validated new pages needs none of it. The result is the same: a
        live page whose live and latest revision hold its content, with its relations,
        a publish log entry and the page_published signal.
        """
        now = timezone.now()
        parent = self.index_page
        path = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        taken = self._sibling_slugs()
        created = []
        for _, record in items:
            page = CaseStudyPage(
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
                owner=self.user,
                locale_id=parent.locale_id,
            )
            m2m = self._fill(page, record, self.provider_for(record["provider"]))
            page.slug = _free_slug(page.slug, taken)
            page.draft_title = page.title
            path = (
                Page(path=path)._inc_path()
                if path
                else parent._get_path(parent.path, parent.depth + 1, 1)
            )
            page.path, page.depth, page.numchild = path, parent.depth + 1, 0
            page._cached_parent_obj = parent  # spares save() a query for the parent
            # Validated already; relations, revision and log entry are added below in bulk.
            page.save(clean=False, log_action=None)
            for name, terms in m2m.items():
                setattr(page, name, terms)  # in memory, for the revision's content
            created.append((page, m2m))
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(created))

        for name in RELATIONS:
            field = CaseStudyPage._meta.get_field(name)
            through = field.remote_field.through
            target = field.m2m_reverse_field_name()
            through.objects.bulk_create(
                through(casestudypage_id=page.pk, **{f"{target}_id": term.pk})
                for page, m2m in created
                for term in m2m[name]
            )
        content_type = ContentType.objects.get_for_model(CaseStudyPage)
        base_content_type = ContentType.objects.get_for_model(Page)
        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(page.pk),
                content=page.serializable_data(),
                object_str=str(page)[:255],
                user=self.user,
                created_at=now,
            )
            for page, _ in created
        )
        Page.objects.bulk_update(
            [
                Page(pk=page.pk, latest_revision_id=r.pk, live_revision_id=r.pk)
                for (page, _), r in zip(created, revisions, strict=True)
            ],
            ["latest_revision", "live_revision"],
        )
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                content_type=content_type,
                page_id=page.pk,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=now,
                user=self.user,
                revision=revision if action == "wagtail.publish" else None,
                content_changed=True,
            )
            for (page, _), revision in zip(created, revisions, strict=True)
            for action in ("wagtail.create", "wagtail.publish")
        )
        for (page, _), revision in zip(created, revisions, strict=True):
            page.latest_revision = page.live_revision = revision
            page_published.send(sender=CaseStudyPage, instance=page, revision=revision)
            self.written.append(page.pk)
        self.report.created += len(created)

    def _sibling_slugs(self):
        if self.sibling_slugs is None:
            self.sibling_slugs = set(
                Page.objects.child_of(self.index_page).values_list("slug", flat=True)
            )
        return self.sibling_slugs

    def _after_batch(self):
        """Index the batch once for the admin's search and reference index, not per save."""
        pages = list(CaseStudyPage.objects.filter(pk__in=self.written))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(CaseStudyPage, pages)
            if self.written_providers:
                backend.add_bulk(Provider, self.written_providers)
        self.written_providers = []
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        self.written = []

    def _fill(self, page, record, provider):
        """Set the page's own fields from a record; return its relations for the caller."""
        v = self.vocabularies.terms
        page.external_id = record["id"]
        page.title = record["title"]
        if not page.slug:
            page.slug = record["id"]
        page.summary = record["summary"]
        page.challenge = record.get("challenge", "")
        page.approach = text_to_stream(record["approach"])
        page.outcomes = record.get("outcomes", "")
        page.lessons = record.get("lessons", "")
        page.adoption = record.get("adoption", "")
        page.provider = provider
        contact = record.get("contact", {})
        page.contact_name = contact.get("name", "")
        page.contact_email = contact.get("email", "")
        if record.get("published"):
            published = datetime.date.fromisoformat(record["published"])
            if page.published_date != published:
                page.published_date = published
                page.review_date = None  # recomputed from the new date on save
        return {
            "themes": [v["themes"][s] for s in record["themes"]],
            "innovation_types": [
                v["innovation_types"][s] for s in record.get("innovation_types", [])
            ],
            "key_questions": [v["key_questions"][s] for s in record["key_questions"]],
            "quality_statements": [
                v["quality_statements"][s] for s in record.get("quality_statements", [])
            ],
            "evidence_types": [v["evidence_types"][s] for s in record.get("evidence_types", [])],
            "offers": [v["offers"][s] for s in contact.get("offers", [])],
        }


def _free_slug(slug, taken):
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _provider_changed(provider, data):
    from .interchange import provider_record

    return provider_record(provider) != provider_record(provider_from_record(data, Provider()))
