"""What the search log says over a period: the tables of the "Search insight" admin screen
and their CSV downloads. Each table is a list of rows; every row has the words, how often
they were searched, and the rest of its columns."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .models import SearchLog

DEFAULT_PERIOD_DAYS = 30
TABLE_LIMIT = 50  # rows each table shows; the CSV has them all
# "Never opened" lists words searched at least this often with no result ever opened: once
# or twice says little.
NEVER_OPENED_MIN_SEARCHES = 3


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @classmethod
    def default(cls):
        today = timezone.localdate()
        return cls(today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)

    def logs(self):
        """The searches with words in the period (browsing without words is left out)."""
        return SearchLog.objects.filter(date__range=(self.start, self.end)).exclude(query="")


@dataclass(frozen=True)
class Table:
    slug: str  # in the CSV's URL and file name
    title: str
    description: str
    columns: tuple  # (heading, row key)
    rows: list


def _by_words(logs):
    return logs.values("query").annotate(
        searches=Count("id"),
        average_results=Avg("result_count"),
        opened=Count("id", filter=Q(opened=True)),
    )


def top_queries(period, limit=None):
    rows = _by_words(period.logs()).order_by("-searches", "query")
    return Table(
        "top",
        "Top searches",
        "The words searched most often, with how many results they found on average and how "
        "many of those searches opened a result.",
        (
            ("Words", "query"),
            ("Searches", "searches"),
            ("Average results", "average_results"),
            ("Searches that opened a result", "opened"),
        ),
        _rounded(rows[:limit] if limit else rows),
    )


def no_results(period, limit=None):
    # Searched with no results every time (with filters or without).
    rows = _by_words(period.logs()).filter(average_results=0).order_by("-searches", "query")
    return Table(
        "no-results",
        "Searches with no results",
        "Words that found no case study: practice people look for and the site does not have, "
        "or words the search does not understand.",
        (("Words", "query"), ("Searches", "searches")),
        _rounded(rows[:limit] if limit else rows),
    )


def never_opened(period, limit=None, min_searches=NEVER_OPENED_MIN_SEARCHES):
    rows = (
        _by_words(period.logs().filter(result_count__gt=0, source="page"))
        .filter(opened=0, searches__gte=min_searches)
        .order_by("-searches", "query")
    )
    return Table(
        "never-opened",
        "Results never opened",
        f"Words searched on the search page at least {min_searches} times that found "
        "results, none of which was opened: the results may not answer the question. "
        "(Searches through the API record no openings and are not counted here.)",
        (
            ("Words", "query"),
            ("Searches", "searches"),
            ("Average results", "average_results"),
        ),
        _rounded(rows[:limit] if limit else rows),
    )


TABLES = {"top": top_queries, "no-results": no_results, "never-opened": never_opened}


def _rounded(rows):
    return [
        {**row, "average_results": round(float(row["average_results"] or 0), 1)} for row in rows
    ]
