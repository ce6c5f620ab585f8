import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, INSECURE_DEFAULT_SECRET_KEY, SECRET_KEY, env_bool

# Refuse to start rather than run insecurely.
if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: production refuses the development default.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
# Links in e-mails sent outside a request (alert digests, their unsubscribe headers) and the
# feeds' permanent entry ids are built on it: the development default would send readers to
# 127.0.0.1 and freeze the ids on it.
if not os.environ.get("PUBLIC_BASE_URL", "").startswith("https://"):
    raise ImproperlyConfigured(
        "Set PUBLIC_BASE_URL to the public site's https:// address, e.g. "
        "https://practice.example.org: e-mailed links and feed ids are built on it."
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS only. TLS ends at the reverse proxy, which says so in a header: the header Django
# trusts is SECURE_PROXY_SSL_HEADER (its META name; empty when nothing sits in front, so a
# client cannot claim https). Plain-http requests are redirected; SECURE_SSL_REDIRECT=false
# only where the proxy already redirects (check --deploy then warns, W008, as it should).
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind the proxy every request comes from the proxy's address: the client's, for
# django-axes' lockouts, is the last one in X-Forwarded-For, which the proxy appends
# (django-ipware reads it; what a client sends in the header itself comes before it).
# Left wrong, a lockout would hold a user name for everyone. AXES_BEHIND_PROXY=false where
# nothing is in front.
if env_bool("AXES_BEHIND_PROXY", bool(_proxy_ssl_header)):
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# Load balancers ask /healthz over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a commitment browsers keep for months after it is withdrawn: the domain's
# owner opts in (SECURE_HSTS_PRELOAD=true); until then its deploy warning is silenced here.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
