"""Practice for the statements a self-assessment says are weakest.

For each statement, the case studies tagged with its quality statement, ranked by
search.practice_for.matching_practice (Outstanding in the key question first, then the
reader's type of service, the same kind of service and the same region; never practice
whose provider's rating dropped); where fewer than PRACTICE_PER_STATEMENT are tagged, the
key question's other practice fills the list, said so on the page.

One search per key question serves all its statements: a case study tagged with a quality
statement is always tagged with its key question too (the importer and the admin form both
refuse otherwise), so the key question's practice, KEY_QUESTION_DEPTH deep and in the same
order, holds each statement's best tagged practice. Only when the key question's facet
counts say a statement has more tagged practice than that page holds, and the page had too
few, is the statement searched on its own (at scale; never on the demo content).
"""

from dataclasses import dataclass, field

from knowledgebase.vocabularies import SERVICE_TYPE_CHOICES, labels
from search.practice_for import matching_practice
from search.query import MAX_PAGE_SIZE

PRACTICE_PER_STATEMENT = 3
KEY_QUESTION_DEPTH = MAX_PAGE_SIZE


@dataclass
class Match:
    """A case study matched to a statement (or to a key question)."""

    hit: object  # search.results.Hit
    key_question: str
    tagged: bool  # tagged with the statement; False: practice for its key question
    url: str = ""  # absolute, set by the view (the printed page shows it)

    @property
    def outstanding_in_key_question(self):
        return self.hit.provider_ratings.get(self.key_question) == "outstanding"

    @property
    def service_type_label(self):
        return dict(SERVICE_TYPE_CHOICES).get(self.hit.service_type, "")

    @property
    def region_label(self):
        return labels("regions").get(self.hit.region, "")


@dataclass
class MatchedPractice:
    """{statement code or key question slug: [Match]}, and what the search said."""

    matches: dict = field(default_factory=dict)
    notice: str = ""  # e.g. the main search is down and a simpler one answered
    searches: int = 0  # how many searches it took (measured in the tests)

    def for_target(self, key):
        return self.matches.get(key, [])


def _statement_counts(results):
    """{quality statement slug: how many of a key question's practice are tagged with it}."""
    return {value.value: value.count for value in results.facets.get("quality_statement", [])}


def practice_for_statements(targets, location=None, service_type=""):
    """MatchedPractice for each target statement (scoring.StatementResult), keyed by its
    question's code. A case study is offered again under a second statement only when the
    key question has nothing else to fill with."""
    matched = MatchedPractice()
    by_key_question = {}
    shown = set()
    for target in targets:
        kq, slug = target.key_question, target.quality_statement
        if kq not in by_key_question:
            by_key_question[kq] = matching_practice(
                kq, location, service_type, page_size=KEY_QUESTION_DEPTH
            )
            matched.searches += 1
        found = by_key_question[kq]
        matched.notice = matched.notice or found.notice
        tagged = [hit for hit in found.hits if slug in hit.quality_statements]
        tagged_in_all = _statement_counts(found).get(slug, 0)
        if len(tagged) < PRACTICE_PER_STATEMENT and tagged_in_all > len(tagged):
            # More is tagged than this page of the key question's practice holds.
            tagged = matching_practice(
                kq, location, service_type, quality_statement=slug, page_size=PRACTICE_PER_STATEMENT
            ).hits
            matched.searches += 1
        tagged = tagged[:PRACTICE_PER_STATEMENT]
        chosen = {hit.id for hit in tagged}
        # The key question's other practice, what no other statement showed first.
        others = sorted(
            (hit for hit in found.hits if hit.id not in chosen), key=lambda hit: hit.id in shown
        )
        fill = others[: PRACTICE_PER_STATEMENT - len(tagged)]
        matched.matches[target.code] = [Match(hit, kq, True) for hit in tagged] + [
            Match(hit, kq, False) for hit in fill
        ]
        shown.update(hit.id for hit in tagged + fill)
    return matched


def practice_for_key_questions(key_questions, location=None, service_type=""):
    """MatchedPractice for whole key questions (slugs), keyed by slug: for a service whose
    answers are strong throughout, practice to compare with, from Good to Outstanding."""
    matched = MatchedPractice()
    for kq in key_questions:
        found = matching_practice(kq, location, service_type, page_size=PRACTICE_PER_STATEMENT)
        matched.searches += 1
        matched.notice = matched.notice or found.notice
        matched.matches[kq] = [Match(hit, kq, False) for hit in found.hits]
    return matched
