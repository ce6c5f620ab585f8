"""The alert e-mails: the confirmation and the digest, plain text from
templates/following/emails/, every link absolute on settings.PUBLIC_BASE_URL."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.text import Truncator

from knowledgebase.public_urls import public_url

from .links import confirm_path, confirmation_days, unsubscribe_path

SUMMARY_LINE_LENGTH = 200


def _subject(template, context):
    # A subject is one line: a template's line breaks would make the header invalid.
    return " ".join(render_to_string(template, context).split())


def send_confirmation(alert, connection=None):
    """The one e-mail an unconfirmed address ever gets: a signed link that confirms the
    alert. Raises what the mail backend raises when it fails."""
    context = {
        "alert": alert,
        "confirm_url": public_url(confirm_path(alert)),
        "search_url": public_url(alert.search_url),
        "days": confirmation_days(),
    }
    EmailMessage(
        subject=_subject("following/emails/confirmation_subject.txt", context),
        body=render_to_string("following/emails/confirmation.txt", context),
        to=[alert.address.email],
        connection=connection,
    ).send()


def digest_message(digest, connection=None):
    """The digest of one address as an EmailMessage, with one-click unsubscribe headers
    (RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs)."""
    unsubscribe_all = public_url(unsubscribe_path(address=digest.address))
    context = {
        "searches": [
            {
                "title": news.alert.title,
                "description": news.alert.description,
                "total": len(news.case_studies),
                "more": len(news.case_studies) - len(news.shown),
                "all_url": public_url(news.followed.newest_url),
                "unsubscribe_url": public_url(unsubscribe_path(alert=news.alert)),
                "case_studies": [
                    {
                        "title": page.title,
                        "provider": page.provider.name if page.provider else "",
                        "url": public_url(page.get_url()),
                        "summary": Truncator(" ".join(page.summary.split())).chars(
                            SUMMARY_LINE_LENGTH
                        ),
                    }
                    for page in news.shown
                ],
            }
            for news in digest.news
        ],
        "quiet": [
            {"title": alert.title, "unsubscribe_url": public_url(unsubscribe_path(alert=alert))}
            for alert in digest.quiet
        ],
        "count": digest.case_study_count,
        "unsubscribe_all_url": unsubscribe_all,
        "home_url": public_url("/"),
    }
    return EmailMessage(
        subject=_subject("following/emails/digest_subject.txt", context),
        body=render_to_string("following/emails/digest.txt", context),
        to=[digest.address.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
