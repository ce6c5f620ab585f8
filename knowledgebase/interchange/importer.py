"""Writing interchange records into the CMS as published case studies."""

import datetime
import json
from collections import defaultdict
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from ..blocks import approach_from_text
from ..case_studies import CLASSIFICATIONS, RELATIONS, CaseStudyIndexPage, CaseStudyPage
from ..cqc.recheck import recheck_case_studies
from ..providers import Provider
from ..signals import case_studies_imported
from .admin_search import AdminSearchEntries
from .bulk_publish import publish_new_pages
from .records import (
    MAX_LINE_BYTES,
    ImportReport,
    LineError,
    Vocabularies,
    case_study_record,
    normalised,
    provider_from_record,
    provider_record,
    validate_record,
)
from .wagtail_internals import per_save_indexing_held_back, publish_keeping_moderation

_importing = ContextVar("importing", default=False)


def importing():
    """True while an import writes its batches: followers of page_published may leave their
    slow work (the search service's vectors) to case_studies_imported, sent once at the end."""
    return _importing.get()


# Records per transaction: few commits and admin-index refreshes; a failure costs one batch.
BATCH_SIZE = 1000


def read_lines(lines):
    """(line number, record or None, error or None) for each non-blank line.

    Lines are bytes (a file as read: each decoded on its own, so bytes that are not UTF-8
    cost their line only) or text. A byte order mark before line 1 is dropped; a line over
    MAX_LINE_BYTES is refused unread; nesting too deep to parse is that line's error.
    """
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf" if isinstance(line, bytes) else "\ufeff")
        if not line.strip():
            continue
        size = len(line) if isinstance(line, bytes) or line.isascii() else _utf8_size(line)
        if size > MAX_LINE_BYTES:
            limit = f"a line may be at most {MAX_LINE_BYTES:,} bytes"
            yield number, None, f"{size:,} bytes long; {limit} (see the schema's limits)"
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield (
                    number,
                    None,
                    f"not valid UTF-8: byte 0x{line[exc.start]:02x} at column {exc.start + 1} "
                    f"counting bytes ({exc.reason}); save the file as UTF-8",
                )
                continue
        try:
            yield number, json.loads(line, parse_constant=_not_json), None
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"
        except RecursionError:  # the parser's own limit, some 1,000 levels
            yield number, None, "nested too deeply to read (a record has 3 levels)"
        except ValueError as exc:  # from _not_json
            yield number, None, f"not valid JSON: {exc}"


def _utf8_size(text):
    return len(text.encode("utf-8", "surrogatepass"))


def _not_json(name):
    """Python's json reads NaN, Infinity and -Infinity; JSON has no such values."""
    raise ValueError(f"{name} is not a JSON value")


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
        # Provider pk -> the line whose record changed its ratings, for _recheck_rule(). Kept
        # through a rolled-back line: re-checking an unchanged provider's pages is harmless.
        self.ratings_changed = {}
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
                            self._update(existing[record["id"]], record, number)
                    except Exception as exc:  # a database refusal costs this line only
                        self._forget_unsaved()
                        self.report.errors.append(
                            LineError(number, "(record)", f"not saved: {exc}")
                        )
                self._create_all(new)
            self._recheck_rule()
            self._after_batch()

    def provider_for(self, data, line=0):
        location_id = data["cqc_location_id"]
        provider = self.providers.get(location_id)
        if provider is not None and self.provider_data.get(location_id) == data:
            return provider  # the same provider data again: most records share a provider
        if provider is None or _provider_changed(provider, data):
            ratings_before = provider.ratings() if provider is not None else None
            provider = provider_from_record(data, provider)
            provider.full_clean(validate_unique=False)
            provider.save()
            self.providers[location_id] = provider
            self.written_providers.append(provider)
            if ratings_before is not None and provider.ratings() != ratings_before:
                self.ratings_changed[provider.pk] = line
        self.provider_data[location_id] = data
        return provider

    def _update(self, existing, record, number=0):
        """An existing live case study: a new revision of its live content with the record's
        fields, published through Wagtail's own actions.

        The importer publishes only what it wrote. A contributor's draft (a later revision
        than the live one, perhaps in moderation) is not published and its workflow goes on:
        the update starts from the live page, and the draft is then saved again as the latest
        revision with the record's changes under it, wherever the draft had left that field as
        it was live (_keep_draft). A moderator reviewing it still sees it in moderation, and
        approving it publishes both the draft and the import's changes.

        A page that is not live (unpublished by a moderator, or never published) is left
        alone: publishing it is a moderator's decision, not a file's.
        """
        if not existing.live:
            self.report.skipped += 1
            self.report.notices.append(
                LineError(
                    number,
                    record["id"],
                    "skipped: the case study is not live (unpublished by a moderator, or "
                    "never published), so the import leaves it as it is; a moderator can "
                    "publish it again",
                )
            )
            return
        live = case_study_record(existing)
        for kept in ("published", "evidence_strength"):
            if kept not in record:
                live.pop(kept, None)  # a record without a date or a grade keeps the page's
        if normalised(live) == normalised(record):
            self.report.unchanged += 1
            return
        draft = existing.latest_revision if existing.has_unpublished_changes else None
        page = existing  # the page table holds the live content; a draft is only a revision
        self._fill(page, record, self.provider_for(record["provider"], number))
        # Validated already (schema, vocabularies, the Outstanding rule): skip a full_clean().
        revision = page.save_revision(user=self.user, log_action=True, clean=False)
        publish_keeping_moderation(revision, user=self.user)
        if draft is not None:
            self._keep_draft(page.pk, draft, live, record, revision)
            self.report.notices.append(
                LineError(
                    number,
                    record["id"],
                    "the live page is updated; its unpublished draft stays the latest "
                    "revision (and in moderation, if it was), with this record's changes "
                    "to the fields the draft had not changed",
                )
            )
        self.report.updated += 1
        self.written.append(page.pk)
        self.report.page_ids.append(page.pk)

    def _keep_draft(self, page_id, draft, live, record, published):
        """Save the draft again as the latest revision, with the record's changes to the
        fields the draft did not change (a field both changed keeps the draft's value, for
        the moderator to decide). Its moderation, and any schedule, go on."""
        draft_record = case_study_record(draft.as_object())
        content = dict(draft.content)
        for key, names in RECORD_CONTENT.items():
            if key in ("published", "evidence_strength") and key not in record:
                continue  # a record without a date or a grade keeps the page's
            was = _part(live, key)
            if _part(record, key) != was and _part(draft_record, key) == was:
                content.update((name, published.content.get(name)) for name in names)
        page = CaseStudyPage.objects.get(pk=page_id)
        page.with_content_json(content).save_revision(
            user=self.user,
            log_action=True,
            clean=False,
            approved_go_live_at=draft.approved_go_live_at,
        )

    def _recheck_rule(self):
        """The re-check that follows CQC's ratings (knowledgebase/cqc/recheck.py), for what
        this batch touched: live case studies of the providers whose ratings its records
        changed, and those it updated.

        A record's provider data is the provider's, for all its case studies (as entered,
        until CQC's next file). When it drops the provider below the Outstanding rule for
        another published case study, that case study is flagged 'rating dropped', exactly
        as after a CQC file: it stays published, the search API says rating_dropped, and the
        moderators' dashboard lists it to unpublish or change. Refusing the record instead
        would lose valid practice and make the result depend on the order of the lines.
        Ratings that meet the rule again clear the flag.
        """
        changed, self.ratings_changed = self.ratings_changed, {}
        if not changed and not self.written:
            return
        result = recheck_case_studies(
            CaseStudyPage.objects.filter(Q(provider_id__in=list(changed)) | Q(pk__in=self.written))
        )
        self.report.flagged.extend(result.flagged)
        self.report.cleared.extend(result.cleared)
        for page_ids, reason in (
            (
                result.flagged,
                "its ratings now break the Outstanding rule for {}: marked 'rating dropped' "
                "for the moderators to check (still published)",
            ),
            (result.cleared, "meets the Outstanding rule again for {}: 'rating dropped' cleared"),
        ):
            by_provider = defaultdict(list)
            for provider_id, location_id, external_id in (
                CaseStudyPage.objects.filter(pk__in=page_ids)
                .order_by("pk")
                .values_list("provider_id", "provider__cqc_location_id", "external_id")
            ):
                by_provider[provider_id, location_id].append(external_id)
            for (provider_id, location_id), external_ids in by_provider.items():
                self.report.notices.append(
                    LineError(
                        changed.get(provider_id, 0),
                        f"provider {location_id}",
                        reason.format(_ids(external_ids)),
                    )
                )

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
        for number, record in items:
            page = CaseStudyPage(live=True)
            self._fill(page, record, self.provider_for(record["provider"], number))
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
        if record.get("evidence_strength"):
            # A file's grade is confirmed as it stands: files are imported by moderators and
            # administrators. A record without one keeps the page's (older files).
            strength = record["evidence_strength"]
            page.proposed_evidence_strength = strength
            if page.evidence_strength != strength:
                page.evidence_strength = strength
                page.evidence_strength_confirmed = timezone.localdate()
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


# Where each field of a record lives in a page's revision content.
RECORD_CONTENT = {
    "id": ("external_id",),
    "title": ("title",),
    "summary": ("summary",),
    "challenge": ("challenge",),
    "approach": ("approach",),
    "outcomes": ("outcomes",),
    "lessons": ("lessons",),
    "adoption": ("adoption",),
    "provider": ("provider",),
    "contact": ("contact_name", "contact_email", "offers"),
    "published": ("published_date", "review_date"),
    "evidence_strength": ("proposed_evidence_strength",),
    **{name: (name,) for name in CLASSIFICATIONS},
}


def _part(record, key):
    """One field of a record, as export would write it (the provider by its location)."""
    if key == "provider":
        return record.get("provider", {}).get("cqc_location_id")
    return normalised({key: record[key]} if key in record else {})


def _ids(ids, shown=5):
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    noun = "case study" if len(ids) == 1 else "case studies"
    return f"{len(ids)} published {noun} ({', '.join(ids[:shown])}{more})"


def _provider_changed(provider, data):
    return provider_record(provider) != provider_record(provider_from_record(data, Provider()))
