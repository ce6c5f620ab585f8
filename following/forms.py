"""The alert sign-up form: one e-mail field, nothing else about the person."""

from django import forms


class AlertSignUpForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="We use it only to send these e-mails. We keep nothing else about you.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
            "max_length": "Enter an e-mail address of at most 254 characters",
        },
    )

    def clean_email(self):
        # One address, however it is typed: mail providers treat the case as the same.
        return self.cleaned_data["email"].strip().lower()
