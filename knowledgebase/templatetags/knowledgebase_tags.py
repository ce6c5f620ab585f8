from django import template

from knowledgebase import evidence
from knowledgebase.curated_collections import collections_including

register = template.Library()

# {% collections_including page as collections %}: where a curator has placed this case study.
register.simple_tag(collections_including, name="collections_including")


@register.simple_tag
def outstanding_basis(provider, key_questions):
    """{% outstanding_basis page.provider key_questions as basis %}: why the provider counts as
    Outstanding for a case study on these key questions (Provider.outstanding_basis). Templates
    cannot pass arguments to a method; the key questions are the page's, already read."""
    if provider is None:
        return ""
    return provider.outstanding_basis([key_question.slug for key_question in key_questions])


@register.simple_tag
def proposed_evidence_strength(task_state):
    """{% proposed_evidence_strength task_state as proposal %}: the grade the contributor
    proposed in the revision under review, as a (label, definition) pair, or None."""
    slug = evidence.proposed_strength(task_state)
    return (evidence.LABELS[slug], evidence.DEFINITIONS[slug]) if slug in evidence.LABELS else None


@register.simple_tag
def evidence_strengths():
    """{% evidence_strengths as strengths %}: the grades with their definitions, strongest
    first (the taxonomy's)."""
    return evidence.STRENGTHS
