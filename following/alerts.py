"""Signing up for an alert, confirming it, and stopping it: double opt-in, one click out.

Until an address confirms a search by the signed link, the one confirmation e-mail is all
it is ever sent, and at most one every RESEND_AFTER. Each search is confirmed on its own.
"""

import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import emails
from .links import confirmation_days
from .models import Alert, AlertAddress

# One confirmation e-mail per address in this time, whoever asks: a form that sends mail
# must not become a way to flood someone's inbox.
RESEND_AFTER = timedelta(minutes=5)
RESEND_AFTER_MINUTES = int(RESEND_AFTER.total_seconds() // 60)


class TooSoon(Exception):
    """A confirmation went to this address less than RESEND_AFTER ago; try after retry_at."""

    def __init__(self, retry_at):
        super().__init__(retry_at)
        self.retry_at = retry_at


class NotSent(Exception):
    """The mail server did not take the confirmation e-mail; nothing was stored."""


def sign_up(email, followed):
    """Record that `email` wants alerts for the FollowedSearch `followed`, unconfirmed, and
    send the confirmation e-mail. Raises TooSoon or NotSent; either way nothing is stored
    that was not there before."""
    now = timezone.now()
    try:
        with transaction.atomic():
            address, _ = AlertAddress.objects.select_for_update().get_or_create(email=email)
            sent = address.confirmation_sent_at
            if sent and now - sent < RESEND_AFTER:
                raise TooSoon(sent + RESEND_AFTER)
            alert, _ = Alert.objects.get_or_create(
                address=address,
                search=followed.query_string,
                defaults={"description": followed.description()},
            )
            address.confirmation_sent_at = now
            address.save(update_fields=["confirmation_sent_at"])
            # Sent inside the transaction: if the mail server refuses it, the address and
            # the alert are rolled back, and the reader is asked to try again.
            emails.send_confirmation(alert)
    except (smtplib.SMTPException, OSError) as exc:
        raise NotSent(str(exc)) from exc
    return alert


def confirm(alert):
    """Start the alert (and its address, the first time). True if it was not yet confirmed."""
    if alert.is_confirmed:
        return False
    now = timezone.now()
    with transaction.atomic():
        alert.confirmed_at = now
        alert.save(update_fields=["confirmed_at"])
        AlertAddress.objects.filter(pk=alert.address_id, confirmed_at=None).update(confirmed_at=now)
    return True


@dataclass
class Unsubscribed:
    """What an unsubscribe link stopped, for the page that says so."""

    stopped: list = field(default_factory=list)  # the Alerts stopped (no longer saved)
    remaining: list = field(default_factory=list)  # the address's other confirmed Alerts
    address: AlertAddress | None = None  # None when it was deleted (no searches left)


def unsubscribe(kind, pk):
    """Stop one alert ("alert", id) or every alert of an address ("address", id). An address
    left with no searches is deleted. Stopping what is already stopped does nothing."""
    with transaction.atomic():
        if kind == "address":
            address = AlertAddress.objects.filter(pk=pk).first()
            if address is None:
                return Unsubscribed()
            stopped = list(address.alerts.all())
            address.delete()
            return Unsubscribed(stopped=stopped)
        alert = Alert.objects.select_related("address").filter(pk=pk).first()
        if alert is None:
            return Unsubscribed()
        address = alert.address
        alert.delete()
        remaining = list(address.alerts.all())
        if not remaining:
            address.delete()
            return Unsubscribed(stopped=[alert])
        confirmed = [other for other in remaining if other.is_confirmed]
        return Unsubscribed(stopped=[alert], remaining=confirmed, address=address)


def delete_unconfirmed(now, dry_run=False):
    """Delete what can no longer be confirmed: addresses never confirmed whose last
    confirmation link has expired (confirmation_days()), and the unconfirmed searches of
    confirmed addresses whose links have expired too. Returns (addresses, searches) deleted
    (or that would be, with dry_run)."""
    cutoff = now - timedelta(days=confirmation_days())
    expired = Q(confirmation_sent_at__lt=cutoff) | Q(
        confirmation_sent_at=None, created_at__lt=cutoff
    )
    addresses = AlertAddress.objects.filter(expired, confirmed_at=None)
    confirmed_with_expired_links = AlertAddress.objects.filter(expired, confirmed_at__isnull=False)
    searches = Alert.objects.filter(confirmed_at=None, address__in=confirmed_with_expired_links)
    counts = (addresses.count(), searches.count())
    if not dry_run:
        searches.delete()
        addresses.delete()
    return counts
