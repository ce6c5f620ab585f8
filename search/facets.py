"""The facets a searcher narrows by: one definition serves both backends, the page and the API."""

import time
from dataclasses import dataclass

from django.apps import apps

from knowledgebase.evidence import EVIDENCE_STRENGTH_CHOICES
from knowledgebase.vocabularies import REGION_CHOICES, SERVICE_TYPE_CHOICES

from .results import FacetValue


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter, e.g. ?theme=falls-prevention
    label: str
    field: str  # the search document field (a list of slugs, or one slug)
    db_lookup: str  # the ORM path from CaseStudyPage to the slug
    model: str = ""  # the vocabulary model in knowledgebase, when it is one
    choices: tuple = ()  # fixed choices, when it is not

    def options(self):
        """(slug, label) for every value the facet can take, in display order.

        A vocabulary's terms are kept for OPTIONS_MAX_AGE_SECONDS (every search asked for
        them, five queries a search); a change to them in this process forgets them at once
        (search/signals.py), other processes see it within that time.
        """
        if self.choices:
            return list(self.choices)
        cached = _options.get(self.name)
        if cached and time.monotonic() - cached[0] < OPTIONS_MAX_AGE_SECONDS:
            return list(cached[1])
        model = apps.get_model("knowledgebase", self.model)
        found = list(model.objects.values_list("slug", "label"))
        _options[self.name] = (time.monotonic(), found)
        return list(found)

    def values(self, counts, selected):
        """What a reader sees of the facet, from {slug: count}: the values with results and
        those selected (with 0 if they have none), in display order."""
        selected = set(selected)
        return [
            FacetValue(slug, label, counts.get(slug, 0), slug in selected)
            for slug, label in self.options()
            if counts.get(slug) or slug in selected
        ]


OPTIONS_MAX_AGE_SECONDS = 60
_options = {}  # facet name -> (when read, [(slug, label)])


def forget_options():
    _options.clear()


FACETS = [
    Facet("theme", "Theme", "themes", "themes__slug", model="Theme"),
    Facet(
        "innovation_type",
        "Innovation type",
        "innovation_types",
        "innovation_types__slug",
        model="InnovationType",
    ),
    Facet(
        "key_question",
        "CQC key question",
        "key_questions",
        "key_questions__slug",
        model="KeyQuestion",
    ),
    Facet(
        "quality_statement",
        "CQC quality statement",
        "quality_statements",
        "quality_statements__slug",
        model="QualityStatement",
    ),
    Facet(
        "service_type",
        "Service type",
        "service_type",
        "provider__service_type",
        choices=tuple(SERVICE_TYPE_CHOICES),
    ),
    Facet("region", "Region", "region", "provider__region", choices=tuple(REGION_CHOICES)),
    Facet(
        "evidence_type",
        "Evidence type",
        "evidence_types",
        "evidence_types__slug",
        model="EvidenceType",
    ),
    Facet(
        "evidence_strength",
        "Strength of evidence",
        "evidence_strength",
        "evidence_strength",
        choices=tuple(EVIDENCE_STRENGTH_CHOICES),
    ),
]
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
