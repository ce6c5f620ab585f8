"""CQC's ratings as dated facts: the adult social care locations it lists, and each rating
it has published for them.

A fact is never changed once stored. A later monthly file adds the facts it has that are
new beside the old ones, so a location's history accumulates, and the same file imported
twice adds nothing. A location's current ratings are its latest fact per domain.
"""

from django.db import models

from ..vocabularies import RATING_CHOICES, REGION_CHOICES
from .terms import DOMAIN_CHOICES, OVERALL_GROUP, SERVICE_KIND_CHOICES


class CareLocation(models.Model):
    """An adult social care location as CQC's ratings file lists it (the rest are not kept)."""

    location_id = models.CharField("CQC location id", max_length=20, unique=True)
    name = models.CharField(max_length=255)
    care_home = models.BooleanField(default=False)
    location_type = models.CharField(max_length=100)
    primary_inspection_category = models.CharField(max_length=100)
    service_kind = models.CharField(max_length=20, choices=SERVICE_KIND_CHOICES)
    street_address = models.CharField(max_length=255, blank=True)
    address_line_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=40, choices=REGION_CHOICES, blank=True)
    cqc_url = models.URLField("CQC url", max_length=300, blank=True)
    cqc_provider_id = models.CharField("CQC provider id", max_length=20, blank=True)
    cqc_provider_name = models.CharField("CQC provider name", max_length=255, blank=True)
    first_seen_in = models.ForeignKey(
        "knowledgebase.RatingsImport", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_in = models.ForeignKey(
        "knowledgebase.RatingsImport", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # What a later file may correct (CQC's spelling of a name, a new address).
    DESCRIPTIVE_FIELDS = (
        "name",
        "care_home",
        "location_type",
        "primary_inspection_category",
        "service_kind",
        "street_address",
        "address_line_2",
        "city",
        "postcode",
        "local_authority",
        "region",
        "cqc_url",
        "cqc_provider_id",
        "cqc_provider_name",
    )

    class Meta:
        verbose_name = "CQC care location"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.location_id})"


class OtherLocation(models.Model):
    """A location in CQC's file that is not adult social care (a GP practice, a dentist, a
    hospital): only its id and what CQC lists it as, so that a reader who enters its id is
    told why there is no practice for it rather than that it is unknown."""

    location_id = models.CharField("CQC location id", max_length=20, unique=True)
    location_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = "CQC location outside adult social care"

    def __str__(self):
        return f"{self.location_id} ({self.location_type})"


class RatingFact(models.Model):
    """One rating CQC published: a location's rating in one domain, on one date."""

    location = models.ForeignKey(CareLocation, on_delete=models.CASCADE, related_name="facts")
    service_group = models.CharField(
        "service / population group", max_length=100, default=OVERALL_GROUP
    )
    domain = models.CharField(max_length=20, choices=DOMAIN_CHOICES)
    rating = models.CharField(max_length=30, choices=RATING_CHOICES)
    publication_date = models.DateField()
    report_type = models.CharField(max_length=60, blank=True)
    inherited = models.BooleanField(default=False)
    source_file = models.CharField(max_length=255)
    imported_at = models.DateTimeField()
    ratings_import = models.ForeignKey(
        "knowledgebase.RatingsImport",
        null=True,
        on_delete=models.SET_NULL,
        related_name="facts",
        help_text="The import that first stored this fact.",
    )

    class Meta:
        verbose_name = "CQC rating"
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service_group", "domain", "publication_date"],
                name="rating_fact_once_per_publication",
            )
        ]

    def __str__(self):
        return (
            f"{self.location_id} {self.service_group} {self.domain}: {self.rating} "
            f"({self.publication_date})"
        )


def latest_ratings(location_ids, chunk=5000):
    """{location id: {domain slug: RatingFact}}: each location's latest rating per domain,
    for the location itself (service group Overall). Locations without facts are absent."""
    location_ids = list(location_ids)
    latest = {}
    for start in range(0, len(location_ids), chunk):
        facts = (
            RatingFact.objects.filter(
                location__location_id__in=location_ids[start : start + chunk],
                service_group=OVERALL_GROUP,
            )
            .select_related("location__last_seen_in")
            .order_by("location_id", "domain", "-publication_date")
        )
        for fact in facts:
            latest.setdefault(fact.location.location_id, {}).setdefault(fact.domain, fact)
    return latest
