"""The strength of evidence as a facet, and the review-date demotion, on the real
Elasticsearch node as on PostgreSQL's database search: the same answers from both."""

import pytest
from django.db.models import Count

from knowledgebase.case_studies import CaseStudyPage
from search import backends
from search.backends.elasticsearch.sync import enqueue
from search.documents import public_case_studies
from search.query import SearchQuery
from tests.unit.test_review_dates import (
    DROPPED,
    GRACE_DAYS,
    OTHER_REGION,
    OVERDUE,
    REVIEWED,
    STALE,
    days_ago,
    hydration_records,
)

pytestmark = pytest.mark.integration

GRADES = {1: "strong", 2: "moderate", 3: "moderate"}  # 4 (the dropped rating) ungraded


@pytest.fixture(params=["elasticsearch", "database"])
def engine(request, settings, db, importer, django_capture_on_commit_callbacks):
    """The demo content (graded in its file) and the four hydration case studies of
    test_review_dates, graded, on either backend; the grace period as in production."""
    name = request.param
    request.getfixturevalue("fresh_index" if name == "elasticsearch" else "database_search")
    settings.REVIEW_GRACE_DAYS = GRACE_DAYS
    records = hydration_records()
    for n, grade in GRADES.items():
        records[n - 1]["evidence_strength"] = grade
    with django_capture_on_commit_callbacks(execute=True):
        assert not importer(records).errors
        dropped = CaseStudyPage.objects.filter(title=DROPPED)
        dropped.update(rating_dropped=True)
        enqueue(dropped.values_list("pk", flat=True), "test: rating dropped")
    return name


def api(client, engine, **params):
    body = client.get("/api/search/", {"page_size": 50, **params}).json()
    assert body["backend"] == engine, body.get("notice")
    return body


def test_the_strength_facet_counts_what_the_database_holds(client, engine):
    expected = dict(
        public_case_studies()
        .exclude(evidence_strength="")
        .order_by()  # the page tree's ordering would split the groups
        .values_list("evidence_strength")
        .annotate(n=Count("pk"))
    )
    assert expected["moderate"] > 2  # the demo content's grades, and these
    body = api(client, engine)
    counts = {f["value"]: f["count"] for f in body["facets"]["evidence_strength"]}
    assert counts == expected
    strong = api(client, engine, evidence_strength="strong", q="hydration")
    assert [r["title"] for r in strong["results"]] == [STALE]
    assert strong["results"][0]["evidence_strength"] == "strong"


def not_recently_reviewed():
    """Titles of the live case studies more than the grace period past their review date
    (some demo case studies are too, by now)."""
    return {page.title for page in public_case_studies() if page.not_recently_reviewed}


def tiers(titles, stale):
    """Each result's tier: 0 reviewed, 1 not recently reviewed, 2 its rating dropped."""
    return [2 if t == DROPPED else 1 if t in stale else 0 for t in titles]


def test_words_rank_the_not_recently_reviewed_below_the_reviewed(client, engine, settings):
    hydration = {"q": "hydration rounds", "innovation_type": "environment-design"}
    settings.REVIEW_GRACE_DAYS = 365 * 1000
    without = [r["title"] for r in api(client, engine, **hydration)["results"]]
    settings.REVIEW_GRACE_DAYS = GRACE_DAYS
    ranked = [r["title"] for r in api(client, engine, **hydration)["results"]]
    assert sorted(without) == sorted(ranked) and STALE in ranked
    assert without.index(STALE) < without.index(REVIEWED), without
    # Reviewed practice, then the not recently reviewed, then the rating dropped.
    stale = not_recently_reviewed()
    assert STALE in stale and REVIEWED not in stale
    assert tiers(ranked, stale) == sorted(tiers(ranked, stale)), ranked
    assert ranked.index(REVIEWED) < ranked.index(STALE)


def test_browsing_puts_them_after_the_reviewed(client, engine, commit):
    hydration = {"innovation_type": "environment-design", "theme": "falls-prevention"}
    # The newest, given a review date long past (a moderator's edit of the date, say).
    reviewed = CaseStudyPage.objects.filter(title=REVIEWED)
    reviewed.update(review_date=days_ago(GRACE_DAYS + 1))
    commit(lambda: enqueue(reviewed.values_list("pk", flat=True), "test: review date"))
    stale = not_recently_reviewed()
    for params in (hydration, {**hydration, "q": "hydration", "sort": "newest"}):
        titles = [r["title"] for r in api(client, engine, **params)["results"]]
        assert tiers(titles, stale) == sorted(tiers(titles, stale)), titles
        ours = [t for t in titles if t in (OVERDUE, REVIEWED, STALE, DROPPED)]
        assert ours == [OVERDUE, REVIEWED, STALE, DROPPED]


def test_priorities_order_each_tier_and_never_cross_it(engine):
    """Practice for a service's gaps browses by priorities (search/practice_for.py): they
    order the reviewed among themselves and the not recently reviewed among themselves,
    and never lift one of these above a reviewed one."""
    ours = {OVERDUE, REVIEWED, STALE, DROPPED}
    hydration = {"innovation_type": ["environment-design"], "theme": ["falls-prevention"]}

    def titles(priorities):
        query = SearchQuery(filters=hydration, priorities=priorities, page_size=50)
        results = backends.search(query)
        assert results.backend == engine, results.notice
        return [hit.title for hit in results.hits if hit.title in ours]

    assert titles(()) == [REVIEWED, OVERDUE, STALE, DROPPED]
    # The overdue one's region first: it leads the reviewed; the stale one stays after them.
    assert titles((("region", [OTHER_REGION]),)) == [OVERDUE, REVIEWED, STALE, DROPPED]
    # The stale one's region (and the reviewed one's) first: it still comes after OVERDUE.
    assert titles((("region", ["north-west"]),)) == [REVIEWED, OVERDUE, STALE, DROPPED]
