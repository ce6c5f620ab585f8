"""Providers and their CQC ratings, and the rule of the product that depends on them.

Ratings come from one of two places: CQC's ratings file (knowledgebase/cqc/: after each
import a provider whose location CQC lists takes its latest ratings from there), or as
entered, by a moderator or an interchange import, for a provider the file does not cover.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from .vocabularies import (
    KEY_QUESTION_CHOICES,
    OUTSTANDING,
    RATING_CHOICES,
    REGION_CHOICES,
    SERVICE_TYPE_CHOICES,
    labels,
)

cqc_location_id_validator = RegexValidator(
    r"^1-[0-9]{6,11}$",
    "A CQC location id looks like 1-1234567890: '1-' then 6 to 11 digits.",
)

# Key question slug -> the Provider field that holds its rating.
RATING_FIELDS = {
    "safe": "rating_safe",
    "effective": "rating_effective",
    "caring": "rating_caring",
    "responsive": "rating_responsive",
    "well-led": "rating_well_led",
}


# Every field that holds a rating, overall first.
RATING_VALUE_FIELDS = ("overall_rating", *RATING_FIELDS.values(), "rating_date")

FROM_CQC, AS_ENTERED = "cqc", "entered"
RATINGS_SOURCE_CHOICES = [(FROM_CQC, "CQC ratings file"), (AS_ENTERED, "As entered")]


def outstanding_for(overall_rating, key_question_ratings, key_question_slugs):
    """What makes a provider Outstanding for a case study on these key questions (the rule of
    the product), from its overall rating and {key question slug: rating}: ["overall"] when it
    is rated Outstanding overall, else those of the key questions it is rated Outstanding in,
    in CQC's order; [] when none is. Provider.outstanding_for applies it to a provider; the
    search page to the ratings a result's search document holds."""
    if overall_rating == OUTSTANDING:
        return ["overall"]
    addressed = set(key_question_slugs)
    return [
        kq
        for kq in RATING_FIELDS
        if key_question_ratings.get(kq) == OUTSTANDING and kq in addressed
    ]


def rating_field(verbose_name):
    return models.CharField(verbose_name, max_length=30, choices=RATING_CHOICES, blank=True)


class ProviderForm(WagtailAdminModelForm):
    """Ratings a moderator changes by hand are theirs until CQC's next file says otherwise."""

    def save(self, commit=True):
        if any(name in self.changed_data for name in RATING_VALUE_FIELDS):
            self.instance.mark_ratings_entered()
        return super().save(commit=commit)


class Provider(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    cqc_location_id = models.CharField(
        "CQC location id",
        max_length=20,
        unique=True,
        validators=[cqc_location_id_validator],
        help_text="As on the CQC website, for example 1-1234567890.",
    )
    service_type = models.CharField(max_length=40, choices=SERVICE_TYPE_CHOICES)
    region = models.CharField(max_length=40, choices=REGION_CHOICES)
    overall_rating = models.CharField(max_length=30, choices=RATING_CHOICES)
    rating_safe = rating_field("Safe")
    rating_effective = rating_field("Effective")
    rating_caring = rating_field("Caring")
    rating_responsive = rating_field("Responsive")
    rating_well_led = rating_field("Well-led")
    rating_date = models.DateField(null=True, blank=True)
    ratings_source = models.CharField(
        "ratings come from", max_length=10, choices=RATINGS_SOURCE_CHOICES, default=AS_ENTERED
    )
    ratings_source_file = models.CharField("CQC ratings file", max_length=255, blank=True)
    ratings_published = models.DateField("published by CQC", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="providers",
        help_text="Contributor accounts that write for this provider and receive its requests; "
        "set by moderators",
    )

    base_form_class = ProviderForm
    panels = [
        FieldPanel("name"),
        FieldPanel("cqc_location_id"),
        FieldRowPanel([FieldPanel("service_type"), FieldPanel("region")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("overall_rating"), FieldPanel("rating_date")]),
                FieldRowPanel([FieldPanel(name) for name in RATING_FIELDS.values()]),
                FieldRowPanel(
                    [
                        FieldPanel("ratings_source", read_only=True),
                        FieldPanel("ratings_source_file", read_only=True),
                        FieldPanel("ratings_published", read_only=True),
                    ]
                ),
            ],
            heading="CQC ratings",
            help_text="A provider whose location is in CQC's ratings file takes its ratings "
            "from each new file; a change made here lasts until then.",
        ),
        FieldPanel("contributors"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("cqc_location_id"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.cqc_location_id})"

    @property
    def ratings_from_cqc(self):
        return self.ratings_source == FROM_CQC

    def ratings(self):
        """Every rating field's value as text (a date as ISO), to tell whether they changed."""
        return tuple(str(getattr(self, name) or "") for name in RATING_VALUE_FIELDS)

    def mark_ratings_entered(self):
        self.ratings_source = AS_ENTERED
        self.ratings_source_file = ""
        self.ratings_published = None

    def key_question_ratings(self):
        """{key question slug: rating slug} for the key questions that have a rating."""
        ratings = {kq: getattr(self, field) for kq, field in RATING_FIELDS.items()}
        return {kq: rating for kq, rating in ratings.items() if rating}

    def rating_rows(self):
        """(key question label, rating label, rating slug) for display, in CQC order."""
        kq_labels, rating_labels = dict(KEY_QUESTION_CHOICES), labels("ratings")
        return [
            (kq_labels[kq], rating_labels[rating], rating)
            for kq, rating in self.key_question_ratings().items()
        ]

    def outstanding_rule_error(self, key_question_slugs):
        """Why this provider cannot publish a case study on these key questions, or None.

        The rule of the product: practice comes from services rated Outstanding overall,
        or Outstanding in at least one key question the case study addresses.
        """
        if self.outstanding_for(key_question_slugs):
            return None
        ratings = self.key_question_ratings()
        rating_labels, kq_labels = labels("ratings"), dict(KEY_QUESTION_CHOICES)
        held = ", ".join(
            f"{kq_labels[kq]}: {rating_labels[rating]}" for kq, rating in ratings.items()
        )
        outstanding_in = [kq_labels[kq] for kq, rating in ratings.items() if rating == OUTSTANDING]
        advice = (
            f"It is Outstanding in {', '.join(outstanding_in)}: the case study must address "
            "one of those key questions."
            if outstanding_in
            else "It is not rated Outstanding in any key question."
        )
        return (
            f"{self.name} is rated {rating_labels.get(self.overall_rating, 'unrated')} overall"
            f"{f' ({held})' if held else ''}. A case study must come from a provider rated "
            f"Outstanding overall or in a key question it addresses. {advice}"
        )

    def outstanding_for(self, key_question_slugs):
        """outstanding_for() with this provider's ratings."""
        return outstanding_for(self.overall_rating, self.key_question_ratings(), key_question_slugs)

    def outstanding_basis(self, key_question_slugs):
        """Why this provider counts as Outstanding for a case study on these key questions, in
        the words its page uses (so that "Good overall" is no contradiction); "" when it does
        not count (outstanding_rule_error says why)."""
        basis = self.outstanding_for(key_question_slugs)
        if not basis:
            return ""
        when = self.rating_date
        by_cqc = f"by CQC ({when.day} {when:%B %Y})" if when else "by CQC"
        if basis == ["overall"]:
            return f"Rated Outstanding overall {by_cqc}"
        kq_labels = dict(KEY_QUESTION_CHOICES)
        names = [kq_labels[kq] for kq in basis]
        outstanding_in = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        which = "a key question" if len(names) == 1 else "key questions"
        overall = labels("ratings").get(self.overall_rating)
        rated = f"Rated {overall} overall {by_cqc};" if overall else f"Rated {by_cqc}:"
        return f"{rated} Outstanding in {outstanding_in}, {which} this case study addresses"
