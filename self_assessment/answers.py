"""A result's shareable URL: the answers, encoded compactly in it, and read back.

Answers are never stored, so the result's address is the only place they live:
/self-assessment/result/?answers=v1-320x1...&location=1-123&service_type=nursing-home.
The value is the bank's version, a hyphen, then one character per question in the bank's
order ("0" to "3", or "x" for Not sure): 18 characters for 15 answers, safe in a URL as is.
A link from another version of the bank, or one cut short when it was copied, is refused
with a message saying which, never read as something else.
"""

from .questions import NOT_SURE, QUESTIONS, SCALE_LABELS, VERSION

PARAMETER = "answers"
SEPARATOR = "-"


class MalformedAnswers(ValueError):
    """The answers in a link cannot be read; the message says why, for the reader."""


def encode(answers):
    """The compact form of {question code: answer}, every question answered."""
    return VERSION + SEPARATOR + "".join(answers[q.code] for q in QUESTIONS)


def decode(text):
    """{question code: answer} from the compact form. Raises MalformedAnswers."""
    text = (text or "").strip()
    version, separator, values = text.partition(SEPARATOR)
    if not separator or not version:
        raise MalformedAnswers(
            "The answers in this link are not in a form we can read. It may have been "
            "changed or cut short when it was copied. Answer the questions again below."
        )
    if version != VERSION:
        raise MalformedAnswers(
            "This link is from a different version of the self-assessment, so its answers "
            "would not mean the same questions. Answer the questions again below."
        )
    if len(values) != len(QUESTIONS):
        raise MalformedAnswers(
            f"This link holds {len(values)} answers, but the self-assessment has "
            f"{len(QUESTIONS)} questions: it may have been cut short when it was copied. "
            "Answer the questions again below."
        )
    answers = {}
    for question, value in zip(QUESTIONS, values, strict=True):
        if value not in SCALE_LABELS:
            raise MalformedAnswers(
                f"This link's answer to question {QUESTIONS.index(question) + 1} is not one "
                f"we know (each is 0 to 3, or {NOT_SURE} for Not sure): it may have been "
                "changed. Answer the questions again below."
            )
        answers[question.code] = value
    return answers


def shareable_params(answers, location_id="", service_type=""):
    """The result URL's query parameters, in their canonical order, empty ones left out."""
    params = {PARAMETER: encode(answers)}
    if location_id:
        params["location"] = location_id
    if service_type:
        params["service_type"] = service_type
    return params
