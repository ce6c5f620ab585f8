"""The signed links in alert e-mails (confirm, unsubscribe).

A link carries only ids, signed with the site's SECRET_KEY (django.core.signing): never the
e-mail address, which would otherwise sit in every server and proxy log.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "following.alert.confirm"
UNSUBSCRIBE_SALT = "following.alert.unsubscribe"


def confirmation_days():
    """How long a confirmation link works; an address never confirmed goes after as long."""
    return settings.ALERT_CONFIRMATION_DAYS


class InvalidLink(Exception):
    """A link that was never ours, or was cut short when copied."""


class ExpiredLink(Exception):
    """A confirmation link older than confirmation_days(); alert_id says for which alert."""

    def __init__(self, alert_id):
        super().__init__(alert_id)
        self.alert_id = alert_id


def confirm_path(alert):
    token = signing.dumps({"alert": alert.pk, "address": alert.address_id}, salt=CONFIRM_SALT)
    return reverse("alert-confirm", args=[token])


def read_confirmation(token):
    """(alert id, address id) from a confirmation link. Raises InvalidLink, ExpiredLink."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=confirmation_days()))
    except signing.SignatureExpired:
        # Still ours (the signature holds), only old: say which alert, to start it again.
        data = signing.loads(token, salt=CONFIRM_SALT)
        raise ExpiredLink(_ids(data, "alert", "address")[0]) from None
    except signing.BadSignature:
        raise InvalidLink(token) from None
    return _ids(data, "alert", "address")


def unsubscribe_path(alert=None, address=None):
    """The one-click link that stops one alert, or with address every alert of it. It does
    not expire: a digest read months later must still stop the e-mails."""
    payload = {"alert": alert.pk} if alert is not None else {"address": address.pk}
    token = signing.dumps(payload, salt=UNSUBSCRIBE_SALT)
    return reverse("alert-unsubscribe", args=[token])


def read_unsubscribe(token):
    """("alert", id) or ("address", id) from an unsubscribe link. Raises InvalidLink."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise InvalidLink(token) from None
    for kind in ("alert", "address"):
        if isinstance(data, dict) and isinstance(data.get(kind), int):
            return kind, data[kind]
    raise InvalidLink(token)


def _ids(data, *names):
    if not isinstance(data, dict) or not all(isinstance(data.get(name), int) for name in names):
        raise InvalidLink(data)
    return tuple(data[name] for name in names)
