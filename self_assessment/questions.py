"""The self-assessment's question bank and its answer scale, as data.

Three plain questions for each of CQC's five key questions (15 in all, about five minutes),
each drawn from one of CQC's quality statements (the "we statements" of the single
assessment framework) and tied to its slug in knowledgebase/data/taxonomy.json, which is how
a question finds the practice tagged with that statement.

A question's code ("s1" ... "w3") is its form field and fixes its place in a shareable
result's URL (answers.py): never reuse or reorder codes. A new bank is a new VERSION, so that
links to results of the old one can say so instead of meaning something else.
"""

from dataclasses import dataclass

from knowledgebase.vocabularies import KEY_QUESTION_CHOICES, labels

VERSION = "v1"

# CQC's one-line meaning of each key question, in plain words.
KEY_QUESTION_MEANINGS = {
    "safe": "People are protected from abuse and avoidable harm.",
    "effective": (
        "People's care and support achieve good outcomes and are based on the best "
        "available evidence."
    ),
    "caring": (
        "Staff involve people and treat them with compassion, kindness, dignity and respect."
    ),
    "responsive": "Services are organised so that they meet people's needs.",
    "well-led": (
        "Leadership, management and governance make sure care is high quality and centred "
        "on each person, with learning, innovation and an open, fair culture."
    ),
}


@dataclass(frozen=True)
class Question:
    code: str  # stable: the form field and the answer's place in a shareable URL
    key_question: str  # slug
    quality_statement: str  # slug, under that key question in the taxonomy
    text: str

    @property
    def key_question_label(self):
        return dict(KEY_QUESTION_CHOICES)[self.key_question]

    @property
    def statement_label(self):
        return labels("quality_statements")[self.quality_statement]


QUESTIONS = (
    # Safe
    Question(
        "s1",
        "safe",
        "learning-culture",
        "When something goes wrong, do staff feel safe to raise it, and do you learn from it?",
    ),
    Question(
        "s2",
        "safe",
        "safeguarding",
        "Do staff know how to spot abuse or neglect, and do they report concerns quickly?",
    ),
    Question(
        "s3",
        "safe",
        "safe-and-effective-staffing",
        "Are there enough staff with the right skills on every shift, nights and weekends "
        "included?",
    ),
    # Effective
    Question(
        "e1",
        "effective",
        "assessing-needs",
        "Do you assess each person's health, care and communication needs with them, and "
        "review them when things change?",
    ),
    Question(
        "e2",
        "effective",
        "monitoring-and-improving-outcomes",
        "Do you check whether people's care achieves what they want from it, and change it "
        "when it does not?",
    ),
    Question(
        "e3",
        "effective",
        "consent-to-care-and-treatment",
        "Do staff ask for consent before giving care, and follow the Mental Capacity Act when "
        "someone cannot decide for themselves?",
    ),
    # Caring
    Question(
        "c1",
        "caring",
        "kindness-compassion-and-dignity",
        "Do staff treat people with kindness and protect their privacy and dignity, even when "
        "they are busy?",
    ),
    Question(
        "c2",
        "caring",
        "independence-choice-and-control",
        "Do people choose how they spend their day and how they are supported, and do staff "
        "help them stay as independent as they want to be?",
    ),
    Question(
        "c3",
        "caring",
        "workforce-wellbeing-and-enablement",
        "Do you look after staff wellbeing, so that staff have the time and support to care well?",
    ),
    # Responsive
    Question(
        "r1",
        "responsive",
        "person-centred-care",
        "Is each person's care planned with them, around their routines, history and what "
        "matters to them?",
    ),
    Question(
        "r2",
        "responsive",
        "listening-to-and-involving-people",
        "Is it easy for people and their families to give feedback or complain, and do you "
        "tell them what changed as a result?",
    ),
    Question(
        "r3",
        "responsive",
        "planning-for-the-future",
        "Do you help people plan ahead for what matters to them, including the end of their life?",
    ),
    # Well-led
    Question(
        "w1",
        "well-led",
        "freedom-to-speak-up",
        "Do staff feel able to speak up about anything, and do leaders listen and act on it?",
    ),
    Question(
        "w2",
        "well-led",
        "governance-management-and-sustainability",
        "Do your audits and checks find problems early, and does someone see each one "
        "through to a fix?",
    ),
    Question(
        "w3",
        "well-led",
        "learning-improvement-and-innovation",
        "Do you try new ways of working, check whether they help, and share what you learn?",
    ),
)

QUESTIONS_BY_CODE = {question.code: question for question in QUESTIONS}

NOT_SURE = "x"
# The four-point scale and "Not sure", in the order the form offers them. Not sure is not a
# score (scoring.py says how it counts).
SCALE = (
    ("3", "Yes, consistently"),
    ("2", "Mostly"),
    ("1", "Sometimes"),
    ("0", "Rarely or not at all"),
    (NOT_SURE, "Not sure"),
)
SCALE_LABELS = dict(SCALE)
TOP_SCORE = 3


def score_of(answer):
    """The answer's score (0 to 3), or None for Not sure."""
    return None if answer == NOT_SURE else int(answer)


def questions_by_key_question():
    """[(key question slug, label, meaning, [Question])] in CQC's order."""
    return [
        (
            slug,
            label,
            KEY_QUESTION_MEANINGS[slug],
            [q for q in QUESTIONS if q.key_question == slug],
        )
        for slug, label in KEY_QUESTION_CHOICES
    ]
