import uuid

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SEARCH_REFRESH_ON_WRITE = True
SEARCH_TIMEOUT_SECONDS = 5
SEARCH_REPLAY_IN_BACKGROUND = False  # tests replay explicitly (search_index --replay, flush())

# Every test run writes to Elasticsearch indices of its own, never to the alias a developer's
# site uses: tests/conftest.py removes this run's indices at the end, and indices that a
# killed run left behind (older than a few hours) at the start of the next.
TEST_INDEX_PREFIX = "test-px-"
SEARCH_INDEX_ALIAS = f"{TEST_INDEX_PREFIX}{uuid.uuid4().hex[:10]}"

# The demo content's review dates are fixed while the calendar moves: with the real grace
# period, a demo case study would turn "not recently reviewed" (and sink in every ranking)
# on some future day, and tests of its order would start failing then. The suite runs
# without the demotion; tests/unit/test_review_dates.py and the backends' integration test
# set REVIEW_GRACE_DAYS themselves and build their dates from today.
REVIEW_GRACE_DAYS = 365 * 1000
