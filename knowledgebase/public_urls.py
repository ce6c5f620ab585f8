"""Absolute addresses of the public site, for links read outside a request: in e-mails (a
request to a provider, an alert's digest) and in feeds' permanent ids."""

from django.conf import settings


def public_url(path):
    """`path` (a site path such as a page's URL) on settings.PUBLIC_BASE_URL; a URL that is
    already absolute is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.PUBLIC_BASE_URL}{path}"
