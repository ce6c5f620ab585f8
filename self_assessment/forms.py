"""The self-assessment form: every question answered (Not sure is an answer), an optional
CQC location id and an optional type of service. Bound to GET parameters: either the form's
own fields or a shareable link's answers (views.py)."""

from django import forms

from knowledgebase.vocabularies import SERVICE_TYPE_CHOICES
from search.practice_for import MalformedLocationId, location_by_id

from .questions import QUESTIONS, SCALE, questions_by_key_question

QUESTION_CODES = frozenset(q.code for q in QUESTIONS)
LONGEST_LOCATION_ID = 20  # CQC's are 1- and up to 11 digits; longer is not worth echoing


class SelfAssessmentForm(forms.Form):
    location = forms.CharField(label="Your CQC location id", required=False)
    service_type = forms.ChoiceField(
        label="Your type of service",
        required=False,
        choices=[("", "Not saying"), *SERVICE_TYPE_CHOICES],
        error_messages={"invalid_choice": "Choose your type of service from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.care_location = None  # the CareLocation of a known location id, once cleaned
        for number, question in enumerate(QUESTIONS, start=1):
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=SCALE,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Question {number}: choose an answer, or “Not sure”.",
                    "invalid_choice": f"Question {number}: choose one of the answers given.",
                },
            )

    def clean_location(self):
        typed = " ".join(self.cleaned_data["location"].split())
        if not typed:
            return ""
        if len(typed) > LONGEST_LOCATION_ID:
            raise forms.ValidationError(
                "That is too long to be a CQC location id: they look like 1-1234567890."
            )
        try:
            # None when the id is well formed but not a location we hold: the result says so.
            self.care_location = location_by_id(typed)
        except MalformedLocationId as exc:
            raise forms.ValidationError(str(exc)) from None
        return typed

    def answers(self):
        """{question code: answer} of a valid form."""
        return {q.code: self.cleaned_data[q.code] for q in QUESTIONS}

    def sections(self):
        """[(key question slug, label, meaning, [(number, question, bound field)])]: the
        form's fieldsets, in CQC's order."""
        numbers = {q.code: n for n, q in enumerate(QUESTIONS, start=1)}
        return [
            (slug, label, meaning, [(numbers[q.code], q, self[q.code]) for q in questions])
            for slug, label, meaning, questions in questions_by_key_question()
        ]

    def error_summary(self):
        """[(id of the field to go to, message)] in the page's order: the questions, then
        the location id and the type of service. A radio group's link goes to its first
        option (Django's ids: id_<name>_<n>)."""
        summary = []
        for name in [q.code for q in QUESTIONS] + ["location", "service_type"]:
            anchor = f"id_{name}_0" if name in QUESTION_CODES else f"id_{name}"
            summary += [(anchor, message) for message in self.errors.get(name, [])]
        return summary
