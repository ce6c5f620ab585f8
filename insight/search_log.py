"""Writing the search log: each public search (search.events.searched) becomes one
SearchLog row, and a hit of its words in Wagtail's search promotions (the "Search terms"
report and the promotions admin show them). Nothing a person could be known by is kept."""

import logging
import re

from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH

from .models import SearchLog

logger = logging.getLogger("insight")

# Personal data people type into a search box, replaced before anything is stored. Order
# matters: a CQC location id and a postcode hold digits a phone number would take.
PERSONAL_DATA = (
    (re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b1-\d{6,11}\b"), "[cqc location id]"),
    (re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b"), "[postcode]"),
    # Nine or more digits, maybe with +, spaces, dashes, dots or brackets: a UK phone
    # number (and an NHS number); years and counts are shorter.
    (re.compile(r"\+?\(?\d(?:[\s().-]*\d){8,}"), "[phone]"),
)

# The click-through link's token: the log row and the page, signed so that nobody can mark
# someone else's search as opened, or send the reader anywhere but a case study.
OPEN_SALT = "insight.open-result"


def normalised_query(text):
    """The words as logged: lower case, whitespace collapsed, personal data replaced."""
    text = " ".join(text.lower().split())
    for pattern, placeholder in PERSONAL_DATA:
        text = pattern.sub(placeholder, text)
    return text[:MAX_QUERY_STRING_LENGTH]


def count_hit(words, date):
    """One more hit for the words in Wagtail's search promotions (Query, QueryDailyHits):
    two queries once the words have been searched that day."""
    query = Query.get(words)
    updated = QueryDailyHits.objects.filter(query=query, date=date).update(hits=F("hits") + 1)
    if not updated:
        _, created = QueryDailyHits.objects.get_or_create(
            query=query, date=date, defaults={"hits": 1}
        )
        if not created:  # another process made the day's row between the two queries
            QueryDailyHits.objects.filter(query=query, date=date).update(hits=F("hits") + 1)


def open_url(log_id, page_id):
    token = signing.Signer(salt=OPEN_SALT).sign(f"{log_id}-{page_id}")
    return reverse("insight-open-result", args=[token])


def opened_ids(token):
    """(log id, page id) from a click-through token; signing.BadSignature if forged."""
    log_id, page_id = signing.Signer(salt=OPEN_SALT).unsign(token).split("-")
    return int(log_id), int(page_id)


def record_search(sender, request, query, results, source, **kwargs):
    """Receiver of search.events.searched: log the search; return the click-through link
    for its results. A failure is logged and the search goes on without a log."""
    try:
        today = timezone.localdate()
        words = normalised_query(query.q)
        # No transaction of its own (a savepoint would cost two more queries): requests run
        # in autocommit (no ATOMIC_REQUESTS), and a hit not counted after the row was
        # written loses nothing that matters.
        log = SearchLog.objects.create(
            date=today,
            query=words,
            filters=query.filters,
            result_count=results.total,
            backend=results.backend,
            source=source,
        )
        if words:  # browsing without words is not a search term
            count_hit(words, today)
    except Exception:
        logger.exception("Could not log a search")
        return None
    return lambda hit: open_url(log.pk, hit.page_id)
