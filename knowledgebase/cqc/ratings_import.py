"""Importing CQC's Latest ratings file: its adult social care ratings stored as dated facts,
then providers refreshed and published case studies re-checked, in one transaction.

Each import leaves a RatingsImport row: the file's name and sha256, when it ran, what it
read, stored, found unchanged and skipped (by reason), or why it failed. Rows are written
in batches, never splitting one location's run of rows, with what is already stored for
the batch's locations read once per batch; memory stays flat whatever the file's size.
Once committed, ratings_refreshed (knowledgebase/signals.py) tells the search service which
providers and case studies changed.
"""

import contextlib
import datetime
import hashlib
from collections import Counter
from functools import lru_cache

from django.db import connections, models, router, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from ..case_studies import CaseStudyPage
from ..providers import cqc_location_id_validator
from ..signals import ratings_refreshed
from . import ratings_file as column
from .provider_ratings import refresh_providers
from .ratings import CareLocation, OtherLocation, RatingFact
from .ratings_file import RatingsFile
from .recheck import recheck_case_studies
from .terms import OVERALL_GROUP, domain_slug, rating_slug, region_slug, service_kind

BATCH_ROWS = 5000
MAX_PROBLEMS = 20  # malformed rows described in the log; the rest are only counted

NOT_ADULT_SOCIAL_CARE = "not adult social care"
NOT_A_RATING = "not a rating"
DUPLICATE = "duplicate"
MALFORMED = "malformed row"
SKIP_REASONS = (NOT_ADULT_SOCIAL_CARE, NOT_A_RATING, DUPLICATE, MALFORMED)

LOCATION_ID_PATTERN = cqc_location_id_validator.regex
NOT_STORED = object()


class RatingsImport(models.Model):
    """One import of CQC's ratings file, and what came of it."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    facts_stored = models.PositiveIntegerField("rating facts stored", default=0)
    facts_unchanged = models.PositiveIntegerField("rating facts already stored", default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    skipped = models.JSONField("rows skipped, by reason", default=dict, blank=True)
    problems = models.JSONField("malformed rows (the first few)", default=list, blank=True)
    locations_added = models.PositiveIntegerField(default=0)
    providers_updated = models.PositiveIntegerField("providers whose ratings changed", default=0)
    case_studies_flagged = models.PositiveIntegerField(default=0)
    case_studies_cleared = models.PositiveIntegerField(default=0)
    error = models.TextField("why it failed", blank=True)

    class Meta:
        verbose_name = "CQC ratings import"
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def succeeded(self):
        return self.finished_at is not None and not self.error

    def earlier_import_of_the_same_file(self):
        return (
            RatingsImport.objects.filter(sha256=self.sha256, finished_at__isnull=False, error="")
            .exclude(pk=self.pk)
            .filter(started_at__lte=self.started_at)
            .first()
        )


def import_ratings(path, on_progress=None):
    """Import the ratings file at path; returns its RatingsImport, counts filled in.

    on_progress(bytes_read, bytes_total) is called after each batch. Raises OSError when
    the file cannot be opened and RatingsFileError when it is not a ratings file; then
    nothing is stored but the log row, which says why.
    """
    ratings_file = RatingsFile(path)
    log = RatingsImport.objects.create(file_name=ratings_file.name, sha256=file_sha256(path))
    try:
        with transaction.atomic():
            FactReader(log, ratings_file, on_progress).read()
            providers = refresh_providers()
            recheck = recheck_case_studies()
            log.providers_updated = len(providers.ratings_changed)
            log.case_studies_flagged = len(recheck.flagged)
            log.case_studies_cleared = len(recheck.cleared)
            log.finished_at = timezone.now()
            log.save()
            case_study_ids = sorted(
                {
                    *CaseStudyPage.objects.filter(
                        provider_id__in=providers.ratings_changed
                    ).values_list("pk", flat=True),
                    *recheck.changed,
                }
            )
    except BaseException as exc:  # an interrupted import is logged as not finished, too
        log.error = str(exc) or exc.__class__.__name__
        log.finished_at = timezone.now()
        with contextlib.suppress(Exception):  # the error itself matters more than its log
            log.save(update_fields=["error", "finished_at"])
        raise
    transaction.on_commit(
        lambda: ratings_refreshed.send(
            sender=RatingsImport,
            ratings_import=log,
            provider_ids=providers.ratings_changed,
            case_study_ids=case_study_ids,
        )
    )
    return log


def file_sha256(path):
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def text(value):
    """A cell as stripped text (a date cell where text was expected as ISO)."""
    if value.__class__ is str:
        return value.strip()
    return "" if value is None else str(value)


@lru_cache(maxsize=4096)  # a monthly file has a few hundred distinct dates
def parse_date(value):
    """dd/mm/yyyy as CQC writes it; yyyy-mm-dd (with or without a time) also read."""
    value = value.split(" ")[0].split("T")[0]
    try:
        if "/" in value:
            day, month, year = value.split("/")
            return datetime.date(int(year), int(month), int(day))
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def publication_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return parse_date(text(value)) if value else None


# CareLocation field -> the column it is read from.
LOCATION_COLUMNS = {
    "name": column.LOCATION_NAME,
    "care_home": column.CARE_HOME,
    "location_type": column.LOCATION_TYPE,
    "primary_inspection_category": column.PRIMARY_INSPECTION_CATEGORY,
    "street_address": column.STREET_ADDRESS,
    "address_line_2": column.ADDRESS_LINE_2,
    "city": column.CITY,
    "postcode": column.POSTCODE,
    "local_authority": column.LOCAL_AUTHORITY,
    "region": column.REGION,
    "cqc_url": column.URL,
    "cqc_provider_id": column.PROVIDER_ID,
    "cqc_provider_name": column.PROVIDER_NAME,
}


def max_lengths(model, names):
    return {name: model._meta.get_field(name).max_length for name in names}


LOCATION_TEXT_LIMITS = max_lengths(
    CareLocation,
    [
        name
        for name in CareLocation.DESCRIPTIVE_FIELDS
        if name not in ("care_home", "service_kind", "region")
    ],
)
# The order insert_facts() writes them in.
FACT_COLUMNS = (
    "location",
    "service_group",
    "domain",
    "publication_date",
    "rating",
    "report_type",
    "inherited",
    "source_file",
    "imported_at",
    "ratings_import",
)
SERVICE_GROUP_LIMIT = RatingFact._meta.get_field("service_group").max_length
REPORT_TYPE_LIMIT = RatingFact._meta.get_field("report_type").max_length
OTHER_TYPE_LIMIT = OtherLocation._meta.get_field("location_type").max_length


class FactReader:
    """The rows of one file into CareLocation and RatingFact rows, batch by batch."""

    def __init__(self, log, ratings_file, on_progress=None):
        self.log, self.file, self.on_progress = log, ratings_file, on_progress
        self.skipped = Counter()
        self.problems = []
        self.batch = []  # (location id, service group, domain, rating, date, report, inherited)
        self.locations = {}  # the batch's locations: location id -> descriptive fields
        self.rows_read = self.stored = self.unchanged = self.locations_added = 0
        self.others = {}  # locations outside adult social care: location id -> type

    def read(self):
        last_location = None
        for number, row in self.file.rows():
            self.rows_read += 1
            location_id = self.location_of(number, row)
            if location_id is None:
                continue
            full = len(self.batch) >= BATCH_ROWS or len(self.locations) >= BATCH_ROWS
            if full and location_id != last_location:
                self.flush()
            if location_id not in self.locations:
                self.locations[location_id] = self.location_fields(row)
            last_location = location_id
            fact = self.fact(number, row, location_id)
            if fact is not None:
                self.batch.append(fact)
        self.flush()
        self.save_others()
        if self.on_progress:  # all read (an ODS's sheets after Locations need not be)
            self.on_progress(self.file.size, self.file.size)
        log = self.log
        log.rows_read, log.facts_stored, log.facts_unchanged = (
            self.rows_read,
            self.stored,
            self.unchanged,
        )
        log.skipped = {reason: self.skipped[reason] for reason in SKIP_REASONS}
        log.rows_skipped = sum(self.skipped.values())
        log.problems = self.problems
        log.locations_added = self.locations_added

    def location_of(self, number, row):
        """The row's location id if it is an adult social care location's, else None."""
        get = row.get
        location_id = text(get(column.LOCATION_ID))
        if not location_id:
            return self.malformed(number, "no Location ID")
        kind = service_kind(
            text(get(column.LOCATION_TYPE)), text(get(column.PRIMARY_INSPECTION_CATEGORY))
        )
        if kind is None:
            self.skipped[NOT_ADULT_SOCIAL_CARE] += 1
            if location_id not in self.others:
                self.others[location_id] = text(get(column.LOCATION_TYPE))[:OTHER_TYPE_LIMIT]
            return None
        if not LOCATION_ID_PATTERN.match(location_id):
            return self.malformed(number, f"Location ID {location_id!r} is not a CQC location id")
        return location_id

    def fact(self, number, row, location_id):
        """The row as a fact tuple, or None when it is skipped (and counted)."""
        get = row.get
        rating = rating_slug(text(get(column.LATEST_RATING)))
        if rating is None:
            self.skipped[NOT_A_RATING] += 1
            return None
        domain = domain_slug(text(get(column.DOMAIN)))
        if domain is None:
            return self.malformed(number, f"unknown Domain {text(get(column.DOMAIN))!r}")
        date = publication_date(get(column.PUBLICATION_DATE))
        if date is None:
            return self.malformed(
                number,
                f"Publication Date {text(get(column.PUBLICATION_DATE))!r} is not a date "
                "(dd/mm/yyyy)",
            )
        group = text(get(column.SERVICE_GROUP))[:SERVICE_GROUP_LIMIT]
        if not group:
            return self.malformed(number, "no Service / Population Group")
        if group.lower() == "overall":
            group = OVERALL_GROUP
        return (
            location_id,
            group,
            domain,
            rating,
            date,
            text(get(column.REPORT_TYPE))[:REPORT_TYPE_LIMIT],
            text(get(column.INHERITED)).upper().startswith("Y"),
        )

    def save_others(self):
        """The ids of the file's locations outside adult social care, with their type."""
        others = [OtherLocation(location_id=i, location_type=t) for i, t in self.others.items()]
        OtherLocation.objects.bulk_create(others, batch_size=BATCH_ROWS, ignore_conflicts=True)

    def malformed(self, number, why):
        self.skipped[MALFORMED] += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"row {number}: {why}")
        return None

    def location_fields(self, row):
        get = row.get
        fields = {name: text(get(key)) for name, key in LOCATION_COLUMNS.items()}
        for name, limit in LOCATION_TEXT_LIMITS.items():
            fields[name] = fields[name][:limit]
        fields["care_home"] = fields["care_home"].upper().startswith("Y")
        fields["service_kind"] = service_kind(
            fields["location_type"], fields["primary_inspection_category"]
        )
        fields["region"] = region_slug(fields["region"])
        return fields

    def flush(self):
        if not self.locations:
            return
        location_pks = self.save_locations()
        this_import = self.log.pk
        stored = {
            (location, group, domain, date): first_import
            for location, group, domain, date, first_import in RatingFact.objects.filter(
                location_id__in=list(location_pks.values())
            ).values_list(
                "location_id", "service_group", "domain", "publication_date", "ratings_import_id"
            )
        }
        new = []
        for location_id, group, domain, rating, date, report_type, inherited in self.batch:
            key = (location_pks[location_id], group, domain, date)
            first_import = stored.get(key, NOT_STORED)
            if first_import is NOT_STORED:
                stored[key] = this_import
                new.append((*key, rating, report_type, inherited))
            elif first_import == this_import:  # a second row for the same rating: keep one
                self.skipped[DUPLICATE] += 1
            else:
                stored[key] = this_import  # so that a repeat in this file counts as duplicate
                self.unchanged += 1
        self.insert_facts(new)
        self.stored += len(new)
        self.batch, self.locations = [], {}
        if self.on_progress:
            self.on_progress(self.file.bytes_read(), self.file.size)

    def insert_facts(self, facts):
        """INSERT the new facts with one executemany().

        bulk_create() spends some 30 microseconds a row in Python building model instances
        and SQL, half the time of a 300,000-fact import; this sends one statement and the
        rows' values. The rows were checked against what is stored; the database's "ignore
        conflicts" clause covers an import running beside this one.
        """
        if not facts:
            return
        connection = connections[router.db_for_write(RatingFact)]
        ops, quote = connection.ops, connection.ops.quote_name
        fields = [RatingFact._meta.get_field(name) for name in FACT_COLUMNS]
        sql = "{} {} ({}) VALUES ({}) {}".format(
            ops.insert_statement(on_conflict=OnConflict.IGNORE),
            quote(RatingFact._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
            ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None),
        ).strip()
        log = self.log
        dates = {}  # a few hundred distinct publication dates in a file
        common = (
            log.file_name,
            ops.adapt_datetimefield_value(log.started_at),
            log.pk,
        )
        params = []
        for location, group, domain, date, rating, report_type, inherited in facts:
            if date not in dates:
                dates[date] = ops.adapt_datefield_value(date)
            params.append(
                (location, group, domain, dates[date], rating, report_type, inherited, *common)
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

    def save_locations(self):
        """Create and update the batch's locations; {location id: pk}."""
        log = self.log
        existing = {
            location.location_id: location
            for location in CareLocation.objects.filter(location_id__in=list(self.locations))
        }
        new, changed, seen = [], [], []
        for location_id, fields in self.locations.items():
            location = existing.get(location_id)
            if location is None:
                new.append(
                    CareLocation(
                        location_id=location_id, first_seen_in=log, last_seen_in=log, **fields
                    )
                )
                continue
            if any(getattr(location, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(location, name, value)
                changed.append(location)
            if location.last_seen_in_id != log.pk:
                seen.append(location.pk)
        CareLocation.objects.bulk_create(new)
        if any(location.pk is None for location in new):  # a database that returns no ids
            new = CareLocation.objects.filter(location_id__in=[loc.location_id for loc in new])
        CareLocation.objects.bulk_update(changed, CareLocation.DESCRIPTIVE_FIELDS, batch_size=500)
        CareLocation.objects.filter(pk__in=seen).update(last_seen_in=log)
        self.locations_added += len(new)
        return {location.location_id: location.pk for location in [*existing.values(), *new]}
