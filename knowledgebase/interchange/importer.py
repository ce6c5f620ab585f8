"""Writing interchange records into the CMS as published case studies."""

import datetime
import json
from contextvars import ContextVar

from django.db import transaction
from wagtail.models import Page, ReferenceIndex

from ..blocks import approach_from_text
from ..case_studies import CLASSIFICATIONS, RELATIONS, CaseStudyIndexPage, CaseStudyPage
from ..providers import Provider
from ..signals import case_studies_imported
from .admin_search import AdminSearchEntries
from .bulk_publish import publish_new_pages
from .records import (
    ImportReport,
    LineError,
    Vocabularies,
    case_study_record,
    normalised,
    provider_from_record,
    provider_record,
    validate_record,
)
from .wagtail_internals import per_save_indexing_held_back

_importing = ContextVar("importing", default=False)


def importing():
    """True while an import writes its batches: followers of page_published may leave their
    slow work (the search service's vectors) to case_studies_imported, sent once at the end."""
    return _importing.get()


# Records per transaction: few commits and admin-index refreshes; a failure costs one batch.
BATCH_SIZE = 1000


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
        self.report = ImportReport()
        self.written = []
        self.written_providers = []
        self._forget_unsaved()

    def _forget_unsaved(self):
        """After a rollback: what was cached from the database may not be there any more."""
        self.providers = {p.cqc_location_id: p for p in Provider.objects.all()}
        self.provider_data = {}  # the record data each provider was last checked against
        self.sibling_slugs = None

    def import_lines(self, lines, on_line=None, follow_up=True):
        """Import an iterable of JSONL lines; on_line(number) is called after each line.

        Then the follow-up work of the search service (follow_up()), unless the caller
        sends it later itself (the command reports the import's own speed first).
        """
        self.admin_search = AdminSearchEntries()
        token = _importing.set(True)
        try:
            self._import_lines(lines, on_line)
        finally:
            _importing.reset(token)
            for failure in self.admin_search.close():
                self.report.errors.append(
                    LineError(0, "(admin search)", f"entries not written: {failure}")
                )
        if follow_up:
            self.follow_up()
        return self.report

    def follow_up(self, defer=False):
        """case_studies_imported for what was written (see knowledgebase/signals.py)."""
        case_studies_imported.send(
            sender=CaseStudyImporter, page_ids=sorted(self.report.page_ids), defer=defer
        )

    def _import_lines(self, lines, on_line):
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

    def _write(self, batch):
        existing = {
            page.external_id: page
            for page in CaseStudyPage.objects.filter(external_id__in=[r["id"] for _, r in batch])
            .select_related("provider")
            .prefetch_related(*RELATIONS)
        }
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            with per_save_indexing_held_back([CaseStudyPage, Provider]):
                new = []
                for number, record in batch:
                    if record["id"] not in existing:
                        new.append((number, record))
                        continue
                    try:
                        with transaction.atomic():
                            self._update(existing[record["id"]], record)
                    except Exception as exc:  # a database refusal costs this line only
                        self._forget_unsaved()
                        self.report.errors.append(
                            LineError(number, "(record)", f"not saved: {exc}")
                        )
                self._create_all(new)
            self._after_batch()

    def provider_for(self, data):
        location_id = data["cqc_location_id"]
        provider = self.providers.get(location_id)
        if provider is not None and self.provider_data.get(location_id) == data:
            return provider  # the same provider data again: most records share a provider
        if provider is None or _provider_changed(provider, data):
            provider = provider_from_record(data, provider)
            provider.full_clean(validate_unique=False)
            provider.save()
            self.providers[location_id] = provider
            self.written_providers.append(provider)
        self.provider_data[location_id] = data
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
        self._fill(page, record, self.provider_for(record["provider"]))
        # Validated already (schema, vocabularies, the Outstanding rule): skip a full_clean().
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        revision.publish(user=self.user)
        self.report.updated += 1
        self.written.append(page.pk)
        self.report.page_ids.append(page.pk)

    def _create_all(self, items):
        """New case studies, many at once; if the database refuses, one at a time."""
        if not items:
            return
        try:
            with transaction.atomic():
                self._create_published(items)
        except Exception:
            self._forget_unsaved()
            for number, record in items:
                try:
                    with transaction.atomic():
                        self._create_published([(number, record)])
                except Exception as exc:
                    self._forget_unsaved()
                    self.report.errors.append(LineError(number, "(record)", f"not saved: {exc}"))

    def _create_published(self, items):
        """New case studies, live with their first revision, a few statements per batch."""
        taken = self._sibling_slugs()
        pages = []
        for _, record in items:
            page = CaseStudyPage(live=True)
            self._fill(page, record, self.provider_for(record["provider"]))
            page.slug = _free_slug(page.slug, taken)
            page.set_publishing_defaults()
            pages.append(page)
        publish_new_pages(
            self.index_page, pages, user=self.user, index_for_admin_search=self.admin_search.add
        )
        self.report.created += len(pages)
        self.report.page_ids.extend(page.pk for page in pages)

    def _sibling_slugs(self):
        if self.sibling_slugs is None:
            self.sibling_slugs = set(
                Page.objects.child_of(self.index_page).values_list("slug", flat=True)
            )
        return self.sibling_slugs

    def _after_batch(self):
        """Index the batch's updates and providers once for the admin's search and references.

        New case studies were indexed as they were published. Rows are read back, so a
        provider saved in a rolled-back attempt is not indexed.
        """
        pages = list(CaseStudyPage.objects.filter(pk__in=self.written))
        providers = list(Provider.objects.filter(pk__in={p.pk for p in self.written_providers}))
        for model, objects in ((CaseStudyPage, pages), (Provider, providers)):
            if objects:
                self.admin_search.add(model, objects)
        self.written_providers = []
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        self.written = []

    def _fill(self, page, record, provider):
        """Set the page's fields and its relations (in memory, until saved) from a record."""
        v = self.vocabularies.terms
        page.external_id = record["id"]
        page.title = record["title"]
        if not page.slug:
            page.slug = record["id"]
        page.summary = record["summary"]
        page.challenge = record.get("challenge", "")
        page.approach = approach_from_text(record["approach"])
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
        for name in CLASSIFICATIONS:
            setattr(page, name, [v[name][s] for s in record.get(name, [])])
        page.offers = [v["offers"][s] for s in contact.get("offers", [])]


def _commit_without_waiting_for_disk():
    """The batch's commit returns before its WAL reaches the disk (PostgreSQL). A crash in
    that moment can lose the batch, never corrupt anything; running the import again writes
    it. Waiting for the disk was a tenth of an import's time."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _free_slug(slug, taken):
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _provider_changed(provider, data):
    return provider_record(provider) != provider_record(provider_from_record(data, Provider()))
