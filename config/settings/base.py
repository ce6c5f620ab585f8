"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# config/settings/base.py: the repository is two folders up.
BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The fallback key only ever serves development and tests; production refuses it.
INSECURE_DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "home",
    "knowledgebase",
    "search",
    "following",
    "self_assessment",
    "insight",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite file by default so the site runs with no services; PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
random_page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and random_page_cost:
    # PostgreSQL's default random_page_cost (4) prices an index read as a spinning disk's, so
    # it read every search index entry rather than use the full text GIN index for a common
    # word: 162 ms against 4 ms at 10,000 case studies (issue #11). 1.1 is the usual figure
    # for SSDs and for data held in memory. Added to any options the URL set (a search path);
    # an empty DATABASE_RANDOM_PAGE_COST leaves the server's own (behind a pooler that refuses
    # startup options, set it on the database instead: ALTER DATABASE ... SET).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(
        filter(None, [options.get("options"), f"-c random_page_cost={random_page_cost}"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Brute force (issue #12): django-axes counts failed logins (Wagtail's admin login and Django
# admin's both go through authenticate()) per username and client address, in the database so
# every worker shares the count, and refuses that pair with a 429 for the cool-off once the
# limit is reached, the right password included. config/urls.py puts Wagtail's page and
# document password forms under the same count. The backend needs authenticate(request=...).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The project's own words over Wagtail's where they differ (locale/en_GB: "Changes
# requested", not "Rejected"); read before the apps' catalogues.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static_src"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies other than files are held in memory: Django's 2.5 MB, stated. Uploaded files
# above 2.5 MB go to a temporary file, not memory; their size limits are Wagtail's below (a
# reverse proxy in front should cap the body at a little over 10 MB too).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

WAGTAIL_SITE_NAME = "Practice Exchange"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address, for links in e-mails sent outside a request (alert digests).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# Wagtail's own search serves the admin only; the public search is the search app.
WAGTAILSEARCH_BACKENDS = {
    # English stemming when the database is PostgreSQL; SQLite's FTS5 ignores it.
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
# Decompression bombs (issue #12): an 11,000 x 11,000 PNG of 375 KB passed Wagtail's 128
# million pixels and took a worker to 1.09 GB to render. 40 million pixels still takes a
# 7,000 x 5,000 camera photo; uploads stay at 10 MB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True

# The public search service (search/). Unset ELASTICSEARCH_URL means the database backend.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_ALIAS = os.environ.get("SEARCH_INDEX_ALIAS", "practice-exchange-case-studies")
SEARCH_TIMEOUT_SECONDS = float(os.environ.get("SEARCH_TIMEOUT_SECONDS", "3"))
# A cluster (ELASTICSEARCH_URL listing its nodes, comma-separated) survives losing a node
# with a replica of each shard; a single node can hold no replica.
ELASTICSEARCH_SHARDS = int(os.environ.get("ELASTICSEARCH_SHARDS", "1"))
ELASTICSEARCH_REPLICAS = int(os.environ.get("ELASTICSEARCH_REPLICAS", "0"))
# After a search Elasticsearch answered, replay updates queued while it was down in a
# background thread of the web process (search_index --replay, scheduled, does it too).
SEARCH_REPLAY_IN_BACKGROUND = env_bool("SEARCH_REPLAY_IN_BACKGROUND", True)

# Semantic search (search/embeddings.py): the e5-small-v2 model that scripts/model.sh unpacks.
SEMANTIC_SEARCH = env_bool("SEMANTIC_SEARCH", True)
EMBEDDING_MODEL_DIR = Path(
    os.environ.get("EMBEDDING_MODEL_DIR", BASE_DIR / ".models" / "e5-small-v2-q")
)
# Inference threads per process: the 2-core machines this runs on; lower it for many workers.
EMBEDDING_THREADS = int(os.environ.get("EMBEDDING_THREADS", "2"))

# E-mail (Wagtail's moderation and workflow notices): one URL read by dj-email-url, e.g.
# submission://user:password@mail.example.org:587 (STARTTLS), smtp://host:465?ssl=true,
# smtp://localhost:25; percent-encode the password. Unset: Django's SMTP on localhost:25.
# dev.py prints mail instead, test.py keeps it in memory.
EMAIL_CONFIG = dj_email_url.parse(os.environ.get("EMAIL_URL", "smtp://localhost:25"))
if "EMAIL_BACKEND" not in EMAIL_CONFIG:
    raise ImproperlyConfigured(
        "EMAIL_URL: unknown scheme; use submission://, smtp://, console: or file://."
    )
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG["EMAIL_HOST"]
EMAIL_PORT = EMAIL_CONFIG["EMAIL_PORT"]
EMAIL_HOST_USER = EMAIL_CONFIG["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = EMAIL_CONFIG["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_CONFIG["EMAIL_USE_TLS"]
EMAIL_USE_SSL = EMAIL_CONFIG["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = EMAIL_CONFIG["EMAIL_TIMEOUT"] or 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Practice Exchange <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Requests from readers to providers (knowledgebase/enquiries.py): how many an hour are
# accepted from one client address, and separately from one e-mail address; and how many
# days they are kept (`manage.py delete_old_enquiries`, run daily, deletes older ones).
ENQUIRY_RATE_LIMIT = int(os.environ.get("ENQUIRY_RATE_LIMIT", "5"))
ENQUIRY_RETENTION_DAYS = int(os.environ.get("ENQUIRY_RETENTION_DAYS", "365"))
# E-mail alerts (following/): how long a confirmation link works, and so how long an address
# that was never confirmed is kept (`manage.py send_alert_digests` deletes it after that).
ALERT_CONFIRMATION_DAYS = int(os.environ.get("ALERT_CONFIRMATION_DAYS", "7"))

# Search insight (insight/): public searches are logged without personal data and deleted
# after this many days (`manage.py delete_old_search_logs`, run daily).
SEARCH_LOG_RETENTION_DAYS = int(os.environ.get("SEARCH_LOG_RETENTION_DAYS", "365"))

# Review dates (knowledgebase/case_studies.py): a case study more than this many days past
# its review date is marked "not recently reviewed" on its page and ranked below reviewed
# practice by both search backends, until a moderator reviews (publishes) it again.
REVIEW_GRACE_DAYS = int(os.environ.get("REVIEW_GRACE_DAYS", "90"))

# Content Security Policy (django-csp 4) for the public site: its own CSS and script only
# (static_src/), no inline code, images from this site (and data: URIs); the autocomplete
# script fetches from this origin. CSP_EXTRA_IMG_SRC adds image origins (media on a CDN).
# Wagtail's and Django's admins use inline scripts and styles a strict policy would break:
# they are excluded, and rely on Django's CSRF, clickjacking and session protections.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("CSP_EXTRA_IMG_SRC")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The admin's page preview frames the public page: same origin only.
        "frame-ancestors": [SELF],
    },
}

# Everything logs to stderr (the console handler) in every environment: gunicorn and the
# container keep it. The "django" logger is Django's own default but without its DEBUG-only
# filter, so in production a 500 is logged by django.request with its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
        # runserver's request lines, as Django's default logging has them.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "search": {"handlers": ["console"], "level": "INFO"},
        "knowledgebase": {"handlers": ["console"], "level": "INFO"},
    },
}
# /healthz shows each part's details (versions, index, errors) only to staff and to a request
# with "Authorization: Bearer <HEALTHZ_TOKEN>"; unset, only staff see them.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# Wait for each index write to be searchable; tests and development want that, production not.
SEARCH_REFRESH_ON_WRITE = env_bool("SEARCH_REFRESH_ON_WRITE", False)
