"""Writing interchange records into the CMS as published case studies."""

import datetime
import json
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from modelsearch.backends import get_search_backends
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from .case_studies import CaseStudyIndexPage, CaseStudyPage
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
    backends = settings.WAGTAILSEARCH_BACKENDS
    before = {name: params.get("AUTO_UPDATE", True) for name, params in backends.items()}
    for params in backends.values():
        params["AUTO_UPDATE"] = False
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for name, value in before.items():
            backends[name]["AUTO_UPDATE"] = value


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

    def import_lines(self, lines, on_line=None):
        """Import an iterable of JSONL lines; on_line(number) is called after each line."""
        batch = []
        for number, record, parse_error in read_lines(lines):
            if parse_error:
                self.report.errors.append(LineError(number, "(line)", parse_error))
            else:
                problems = validate_record(record, self.vocabularies)
                if problems:
                    self.report.errors.extend(LineError(number, f, r) for f, r in problems)
                else:
                    batch.append((number, record))
            if len(batch) >= BATCH_SIZE:
                self._write(batch)
                batch = []
            if on_line:
                on_line(number)
        if batch:
            self._write(batch)
        return self.report

    def _write(self, batch):
        with transaction.atomic():
            with quiet_indexing():
                for number, record in batch:
                    try:
                        with transaction.atomic():
                            self.import_record(record)
                    except Exception as exc:  # a database refusal costs this line only
                        self.report.errors.append(
                            LineError(number, "(record)", f"not saved: {exc}")
                        )
            self._after_batch()

    def provider_for(self, data):
        provider = self.providers.get(data["cqc_location_id"])
        if provider is not None and not _provider_changed(provider, data):
            return provider
        provider = provider_from_record(data, provider)
        provider.full_clean(validate_unique=False)
        provider.save()
        self.providers[provider.cqc_location_id] = provider
        return provider

    def import_record(self, record):
        existing = CaseStudyPage.objects.filter(external_id=record["id"]).first()
        unchanged = (
            existing
            and existing.live
            and not existing.has_unpublished_changes
            and normalised(case_study_record(existing)) == normalised(record)
        )
        if unchanged:
            self.report.unchanged += 1
            return existing
        provider = self.provider_for(record["provider"])
        if existing is None:
            page = self._create_published(record, provider)
            self.report.created += 1
        else:
            # Updates go through Wagtail's own revision and publish actions.
            page = existing.get_latest_revision_as_object()
            self._fill(page, record, provider)
            revision = page.save_revision(user=self.user, log_action=True)
            revision.publish(user=self.user)
            self.report.updated += 1
        self.written.append(page.pk)
        return page

    def _create_published(self, record, provider):
        """A new case study, live with its first revision, in a handful of queries.

        Wagtail's save_revision() then publish() costs over a hundred queries a page
        (three validations, two saves, comments, workflow checks); a bulk import of new
        pages needs none of that. The result is the same: a live page whose live and
        latest revision hold its content, a publish log entry and the page_published
        signal.
        """
        now = timezone.now()
        page = CaseStudyPage(live=True, has_unpublished_changes=False)
        self._fill(page, record, provider)
        page.first_published_at = page.last_published_at = now
        page.owner = self.user
        self.index_page.add_child(instance=page)
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            content=page.serializable_data(),
            object_str=str(page)[:255],
            user=self.user,
            created_at=now,
        )
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision, live_revision=revision, latest_revision_created_at=now
        )
        page.latest_revision, page.live_revision = revision, revision
        log(instance=page, action="wagtail.publish", user=self.user, revision=revision)
        page_published.send(sender=CaseStudyPage, instance=page, revision=revision)
        return page

    def _after_batch(self):
        """Index the batch once for the admin's search and reference index, not per save."""
        pages = list(CaseStudyPage.objects.filter(pk__in=self.written))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(CaseStudyPage, pages)
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        self.written = []

    def _fill(self, page, record, provider):
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
        page.themes = [v["themes"][s] for s in record["themes"]]
        page.innovation_types = [
            v["innovation_types"][s] for s in record.get("innovation_types", [])
        ]
        page.key_questions = [v["key_questions"][s] for s in record["key_questions"]]
        page.quality_statements = [
            v["quality_statements"][s] for s in record.get("quality_statements", [])
        ]
        page.evidence_types = [v["evidence_types"][s] for s in record.get("evidence_types", [])]
        contact = record.get("contact", {})
        page.contact_name = contact.get("name", "")
        page.contact_email = contact.get("email", "")
        page.offers = [v["offers"][s] for s in contact.get("offers", [])]
        if record.get("published"):
            published = datetime.date.fromisoformat(record["published"])
            if page.published_date != published:
                page.published_date = published
                page.review_date = None  # recomputed from the new date on save


def _provider_changed(provider, data):
    from .interchange import provider_record

    return provider_record(provider) != provider_record(provider_from_record(data, Provider()))
