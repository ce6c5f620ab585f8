"""The period the Search insight screen reports on."""

from django import forms

from .reports import Period

MAX_PERIOD_DAYS = 3660


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        help_text="The first day, for example 2026-01-31.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label="To",
        help_text="The last day, included.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The last day must be on or after the first day.")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", "Choose a period of at most ten years.")
        return cleaned

    def period(self):
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
