"""Classifications of a case study.

Theme and InnovationType are snippets that editors extend; their slugs are what the
import format and the search API speak, so a slug never changes once the term exists.
KeyQuestion, QualityStatement, EvidenceType and Offer are fixed vocabularies seeded by
migration from data/taxonomy.json. Key questions and quality statements belong to a CQC
AssessmentFramework: when CQC changes its framework, a data migration adds the new one and
its terms, and the old terms stay for the case studies classified by them.
"""

from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Term(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "label"]

    def __str__(self):
        return self.label


class TermForm(WagtailAdminModelForm):
    """Slugs are identifiers other systems hold, so they are fixed after creation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "slug" in self.fields:
            self.fields["slug"].disabled = True
            self.fields[
                "slug"
            ].help_text = (
                "The slug is fixed once created: imports, exports and search links use it."
            )


class EditableTerm(index.Indexed, Term):
    description = models.TextField(blank=True)

    base_form_class = TermForm
    panels = [FieldPanel("label"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("label"), index.AutocompleteField("label")]

    class Meta(Term.Meta):
        abstract = True


class Theme(EditableTerm):
    class Meta(EditableTerm.Meta):
        verbose_name = "theme"


class InnovationType(EditableTerm):
    class Meta(EditableTerm.Meta):
        verbose_name = "innovation type"


class AssessmentFramework(models.Model):
    """A version of how CQC assesses services, e.g. its single assessment framework (2023)."""

    slug = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = "CQC assessment framework"
        ordering = ["slug"]

    def __str__(self):
        return self.label


class KeyQuestion(Term):
    """One of the CQC's five key questions: safe, effective, caring, responsive, well-led."""

    framework = models.ForeignKey(
        AssessmentFramework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_questions",
    )

    class Meta(Term.Meta):
        verbose_name = "CQC key question"


class QualityStatement(Term):
    """One of the 34 quality statements of the CQC single assessment framework."""

    key_question = models.ForeignKey(
        KeyQuestion, on_delete=models.PROTECT, related_name="quality_statements"
    )
    framework = models.ForeignKey(
        AssessmentFramework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quality_statements",
    )

    class Meta(Term.Meta):
        verbose_name = "CQC quality statement"
        ordering = ["key_question__sort_order", "sort_order"]

    def __str__(self):
        return f"{self.key_question.label}: {self.label}"


class EvidenceType(Term):
    class Meta(Term.Meta):
        verbose_name = "evidence type"


class Offer(Term):
    """What a provider offers to services that want to adopt the practice."""

    class Meta(Term.Meta):
        verbose_name = "offer"
