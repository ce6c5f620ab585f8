"""Published case studies checked again against the rule of the product.

A case study must come from a provider rated Outstanding overall, or Outstanding in a key
question it addresses (Provider.outstanding_rule_error). Ratings change after publication;
each import of CQC's file re-checks every live case study, flags those whose provider no
longer meets the rule (rating_dropped, since the date of the provider's current ratings) and
clears the flag of those that meet it again. The flag is written with a queryset update: it
is a fact about the page, not an edit, so it makes no revision.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from ..case_studies import CaseStudyPage
from ..providers import RATING_VALUE_FIELDS

# What outstanding_rule_error and the flag's date read of a provider.
PROVIDER_FIELDS = ("name", *RATING_VALUE_FIELDS, "ratings_published")


@dataclass
class Recheck:
    flagged: list = field(default_factory=list)  # page ids newly flagged
    cleared: list = field(default_factory=list)  # page ids whose flag was cleared

    @property
    def changed(self):
        return sorted({*self.flagged, *self.cleared})


def recheck_case_studies(among=None):
    """Flag and clear live case studies by the rule (those of the queryset `among`, or all);
    returns which were flagged and cleared."""
    live = (CaseStudyPage.objects if among is None else among).live().filter(provider__isnull=False)
    addressed = defaultdict(list)
    for page_id, slug in live.filter(key_questions__isnull=False).values_list(
        "pk", "key_questions__slug"
    ):
        addressed[page_id].append(slug)
    today = timezone.localdate()
    result, flag_since = Recheck(), defaultdict(list)
    for page in live.select_related("provider").only(
        "pk", "rating_dropped", "provider", *(f"provider__{name}" for name in PROVIDER_FIELDS)
    ):
        provider = page.provider
        breaks_rule = provider.outstanding_rule_error(addressed[page.pk]) is not None
        if breaks_rule and not page.rating_dropped:
            since = provider.ratings_published or provider.rating_date or today
            flag_since[since].append(page.pk)
            result.flagged.append(page.pk)
        elif page.rating_dropped and not breaks_rule:
            result.cleared.append(page.pk)
    for since, ids in flag_since.items():
        CaseStudyPage.objects.filter(pk__in=ids).update(
            rating_dropped=True, rating_dropped_since=since
        )
    if result.cleared:
        CaseStudyPage.objects.filter(pk__in=result.cleared).update(
            rating_dropped=False, rating_dropped_since=None
        )
    result.flagged.sort()
    result.cleared.sort()
    return result
