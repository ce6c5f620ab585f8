"""Where a service looks weakest, from its answers to the question bank. Pure functions.

A statement's answer is a score from 0 ("Rarely or not at all") to 3 ("Yes, consistently"),
or Not sure. A score of 0 or 1 is a weakness. Not sure is not a score: it is left out of the
averages, and it counts as a gap to look into, ranked after every measured weakness and
before what the answers say is mostly or fully in place (not knowing whether staff feel
safe to speak up matters more than polishing what mostly works).

Key questions are ordered weakest first: those whose average is below 2, then those with
every answer Not sure, then the rest; by average within each (lowest first), then by their
lowest single score, then by how many answers were Not sure, then in CQC's order. Within a
key question, statements are ordered the same way: weaknesses (0 before 1), Not sure,
Mostly, then Yes, consistently; ties keep the bank's order.
"""

from dataclasses import dataclass

from knowledgebase.vocabularies import KEY_QUESTION_CHOICES

from .questions import (
    KEY_QUESTION_MEANINGS,
    NOT_SURE,
    QUESTIONS,
    QUESTIONS_BY_CODE,
    SCALE_LABELS,
    TOP_SCORE,
    Question,
    score_of,
)

WEAK, NOT_SURE_BAND, MOSTLY, STRONG = "weak", "not-sure", "mostly", "strong"
BANDS = (WEAK, NOT_SURE_BAND, MOSTLY, STRONG)  # weakest first
BAND_LABELS = {
    WEAK: "Looks weak",
    NOT_SURE_BAND: "Not sure: worth finding out",
    MOSTLY: "Mostly in place",
    STRONG: "Strong",
}
WEAK_BELOW = 2  # a score (or a key question's average) below this is a weakness
PRACTICE_TARGETS = 5  # how many statements get matched practice on the result page
KEY_QUESTIONS = [slug for slug, _ in KEY_QUESTION_CHOICES]  # CQC's order
CQC_WEAK_RATINGS = ("inadequate", "requires-improvement")
CQC_GOOD_RATINGS = ("good", "outstanding")

# Aims, like practice_for's: improve what is weak; or, where nothing is, move from Good to
# Outstanding; or, where every answer was Not sure, find out first.
IMPROVE, OUTSTANDING, FIND_OUT = "improve", "outstanding", "find-out"


def band_of(value):
    """The band of a score or of an average (None: nothing measured)."""
    if value is None:
        return NOT_SURE_BAND
    if value < WEAK_BELOW:
        return WEAK
    return STRONG if value >= TOP_SCORE else MOSTLY


@dataclass(frozen=True)
class StatementResult:
    question: Question
    answer: str  # "0" to "3", or NOT_SURE

    @property
    def score(self):
        return score_of(self.answer)

    @property
    def band(self):
        return band_of(self.score)

    @property
    def band_label(self):
        return BAND_LABELS[self.band]

    @property
    def answer_label(self):
        return SCALE_LABELS[self.answer]

    @property
    def not_sure(self):
        return self.answer == NOT_SURE

    @property
    def code(self):
        return self.question.code

    @property
    def key_question(self):
        return self.question.key_question

    @property
    def quality_statement(self):
        return self.question.quality_statement

    @property
    def label(self):
        return self.question.statement_label


@dataclass(frozen=True)
class KeyQuestionResult:
    key_question: str
    statements: tuple  # StatementResult, weakest first

    @property
    def scores(self):
        return [s.score for s in self.statements if s.score is not None]

    @property
    def mean(self):
        """The average of the answered statements, or None when every answer was Not sure."""
        scores = self.scores
        return sum(scores) / len(scores) if scores else None

    @property
    def band(self):
        return band_of(self.mean)

    @property
    def band_label(self):
        return BAND_LABELS[self.band]

    @property
    def not_sure_count(self):
        return sum(1 for s in self.statements if s.not_sure)

    @property
    def label(self):
        return dict(KEY_QUESTION_CHOICES)[self.key_question]

    @property
    def meaning(self):
        return KEY_QUESTION_MEANINGS[self.key_question]


@dataclass(frozen=True)
class Assessment:
    key_questions: tuple  # KeyQuestionResult, weakest first

    @property
    def statements(self):
        """Every statement, in the order the result shows them."""
        return tuple(s for kq in self.key_questions for s in kq.statements)

    @property
    def weaknesses(self):
        return tuple(s for s in self.statements if s.band == WEAK)

    @property
    def not_sure(self):
        return tuple(s for s in self.statements if s.not_sure)

    @property
    def aim(self):
        if self.weaknesses:
            return IMPROVE
        if len(self.not_sure) == len(self.statements):
            return FIND_OUT
        return OUTSTANDING

    @property
    def all_strong(self):
        return all(s.band == STRONG for s in self.statements)

    def practice_targets(self, limit=PRACTICE_TARGETS):
        """The statements that get matched practice: the weakest that are not already
        strong, at most `limit`. Among equals, one from each key question before a second
        from any (the weakest key question first), so that ties spread over the key
        questions rather than filling the page with the first one."""
        key_question_rank = {kq.key_question: n for n, kq in enumerate(self.key_questions)}
        candidates = [
            (position, statement)
            for kq in self.key_questions
            for position, statement in enumerate(kq.statements)
            if statement.band != STRONG
        ]
        candidates.sort(
            key=lambda item: (
                BANDS.index(item[1].band),
                item[1].score or 0,
                item[0],
                key_question_rank[item[1].key_question],
            )
        )
        return tuple(statement for _, statement in candidates[:limit])


def _statement_order(statement):
    return (
        BANDS.index(statement.band),
        statement.score or 0,
        QUESTIONS.index(statement.question),
    )


def _key_question_order(result):
    # Weak averages, then all Not sure, then the rest: the band's order is exactly that.
    return (
        BANDS.index(result.band),
        result.mean if result.mean is not None else 0,
        min(result.scores, default=0),
        -result.not_sure_count,
        KEY_QUESTIONS.index(result.key_question),
    )


class IncompleteAnswers(ValueError):
    pass


def assess(answers):
    """The Assessment of {question code: "0".."3" or NOT_SURE}, every question answered."""
    missing = [q.code for q in QUESTIONS if q.code not in answers]
    unknown = [code for code in answers if code not in QUESTIONS_BY_CODE]
    bad = [code for code, value in answers.items() if value not in SCALE_LABELS]
    if missing or unknown or bad:
        raise IncompleteAnswers(f"missing {missing}, unknown {unknown}, not on the scale {bad}")
    results = []
    for slug in KEY_QUESTIONS:
        statements = [
            StatementResult(q, answers[q.code]) for q in QUESTIONS if q.key_question == slug
        ]
        if statements:
            results.append(KeyQuestionResult(slug, tuple(sorted(statements, key=_statement_order))))
    return Assessment(tuple(sorted(results, key=_key_question_order)))


# Where CQC's published rating and the answers disagree.
CQC_RATED_LOWER, ANSWERS_LOWER = "cqc-rated-lower", "answers-lower"


def compared_with_cqc(result, rating):
    """CQC_RATED_LOWER when CQC rated the key question Requires improvement or Inadequate
    but the answers say it is mostly or fully in place; ANSWERS_LOWER when CQC rated it Good
    or Outstanding but the answers say it looks weak; otherwise None."""
    if rating in CQC_WEAK_RATINGS and result.band in (MOSTLY, STRONG):
        return CQC_RATED_LOWER
    if rating in CQC_GOOD_RATINGS and result.band == WEAK:
        return ANSWERS_LOWER
    return None
