"""The alert pages: sign up, confirm by the signed link, unsubscribe with one click."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import alerts
from .forms import AlertSignUpForm
from .links import (
    ExpiredLink,
    InvalidLink,
    confirmation_days,
    read_confirmation,
    read_unsubscribe,
    unsubscribe_path,
)
from .models import Alert
from .searches import FollowedSearch, InvalidSearch


def problem(request, heading, message, status, start_again_url, start_again_text):
    """A page that says what went wrong and how to start again."""
    context = {
        "heading": heading,
        "message": message,
        "start_again_url": start_again_url,
        "start_again_text": start_again_text,
    }
    return render(request, "following/problem.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    """/alerts/new/?<the search page's parameters>: one e-mail field; POST sends the
    confirmation e-mail and says to check it."""
    try:
        followed = FollowedSearch.from_params(request.GET)
    except InvalidSearch as exc:
        return problem(
            request,
            "We could not use that search",
            exc.message,
            400,
            reverse("search"),
            "Search again, then choose “Get new practice by e-mail”",
        )
    form = AlertSignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                alerts.sign_up(email, followed)
            except alerts.TooSoon as exc:
                status = 429
                retry_at = timezone.localtime(exc.retry_at)
                form.add_error(
                    "email",
                    f"We sent a confirmation e-mail to this address a few minutes ago. We send "
                    f"at most one every {alerts.RESEND_AFTER_MINUTES} minutes: check your "
                    f"inbox and spam folder, or try again after {retry_at:%H:%M}.",
                )
            except alerts.NotSent:
                status = 503
                form.add_error(
                    "email",
                    "We could not send the confirmation e-mail just now. Nothing was saved: "
                    "please try again in a few minutes.",
                )
            else:
                context = {
                    "followed": followed,
                    "email": email,
                    "days": confirmation_days(),
                    "resend_minutes": alerts.RESEND_AFTER_MINUTES,
                }
                return render(request, "following/check_your_email.html", context)
    context = {"followed": followed, "form": form, "resend_minutes": alerts.RESEND_AFTER_MINUTES}
    return render(request, "following/sign_up.html", context, status=status)


def _link_problem(request, exc):
    """The page for a confirmation link that is not ours, or too old, or whose alert has
    gone: 400 for the first, 410 for the others, each with a way to start again."""
    if isinstance(exc, InvalidLink):
        return problem(
            request,
            "This link does not work",
            "The link may have been cut short when it was copied. Open it from the e-mail "
            "again, or search again and choose “Get new practice by e-mail”.",
            400,
            reverse("search"),
            "Search case studies",
        )
    alert = Alert.objects.filter(pk=exc.alert_id).first() if isinstance(exc, ExpiredLink) else None
    return problem(
        request,
        "This link has expired",
        f"A confirmation link works for {confirmation_days()} days, and unconfirmed alerts are "
        "then deleted. Sign up again and we will send you a new link.",
        410,
        alert.sign_up_url if alert else reverse("alert-sign-up"),
        "Sign up again for this search" if alert else "Sign up again",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button; only its POST confirms. Mail scanners and link previewers open
    the links in incoming e-mail: if opening the link confirmed, they would confirm addresses
    whose owners never asked, which is what double opt-in is there to prevent."""
    try:
        alert_id, address_id = read_confirmation(token)
    except (InvalidLink, ExpiredLink) as exc:
        return _link_problem(request, exc)
    alert = (
        Alert.objects.select_related("address").filter(pk=alert_id, address_id=address_id).first()
    )
    if alert is None:  # deleted since: never confirmed in time, or unsubscribed
        return _link_problem(request, ExpiredLink(alert_id))
    if request.method == "POST":
        newly = alerts.confirm(alert)
        return render(request, "following/confirmed.html", {"alert": alert, "newly": newly})
    if alert.is_confirmed:
        return render(request, "following/confirmed.html", {"alert": alert, "newly": False})
    context = {"alert": alert, "days": confirmation_days()}
    return render(request, "following/confirm.html", context)


# CSRF-exempt for RFC 8058's one-click unsubscribe: a mail client's "Unsubscribe" button
# POSTs "List-Unsubscribe=One-Click" to this URL from outside the site, with no CSRF token.
# Nothing can be forged: only the signed token in the URL, sent in the digest, unsubscribes,
# and opening the link (GET) unsubscribes just the same.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        kind, pk = read_unsubscribe(token)
    except InvalidLink:
        return problem(
            request,
            "This link does not work",
            "The link may have been cut short when it was copied. Open it from the e-mail "
            "again; every e-mail we send has a link to stop them all at its end.",
            400,
            reverse("search"),
            "Search case studies",
        )
    if request.method == "HEAD":  # checking the link changes nothing
        return HttpResponse()
    result = alerts.unsubscribe(kind, pk)
    if request.method == "POST":
        return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
    context = {
        "result": result,
        "stop_all_url": unsubscribe_path(address=result.address) if result.remaining else "",
    }
    return render(request, "following/unsubscribed.html", context)
