"""Search insight: every public search logged without personal data, the click-through, the
admin screen and its CSV downloads, who may see them, and the log's retention."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

from insight.models import SearchLog
from insight.search_log import normalised_query, open_url, record_search
from knowledgebase.case_studies import CaseStudyPage
from search.events import searched
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def member(group_name):
    user = User.objects.create_user(group_name.lower(), password="pw", email="x@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def pages(importer, database_search):
    importer(
        [
            make_record(1, title="Hydration rounds at night"),
            make_record(2, title="Hydration stations in the lounge"),
        ]
    )
    return list(CaseStudyPage.objects.order_by("external_id"))


def log(query, days_ago=0, result_count=3, opened=False, source="page"):
    return SearchLog.objects.create(
        date=TODAY - days_ago * DAY,
        query=query,
        result_count=result_count,
        backend="database",
        source=source,
        opened=opened,
    )


# --- What is logged ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, logged",
    [
        ("  Rota   GAPS at Weekends ", "rota gaps at weekends"),
        ("falls jo.bloggs+care@example.co.uk please", "falls [email] please"),
        ("call 07700 900123 about falls", "call [phone] about falls"),
        ("+44 (0)161 496 0000", "[phone]"),
        ("care homes near M1 1AE", "care homes near [postcode]"),
        ("sw1a1aa dementia", "[postcode] dementia"),
        ("practice for 1-1234567890", "practice for [cqc location id]"),
        ("falls in 2024 and 2025", "falls in 2024 and 2025"),  # years are not phone numbers
    ],
)
def test_the_words_are_normalised_and_personal_data_replaced(typed, logged):
    assert normalised_query(typed) == logged


def test_a_search_on_the_page_is_logged_with_its_filters_and_no_person(client, pages):
    response = client.get("/search/?q=Hydration+ME%40example.org&theme=falls-prevention")
    assert response.status_code == 200
    [entry] = SearchLog.objects.all()
    assert entry.query == "hydration [email]"
    assert entry.filters == {"theme": ["falls-prevention"]}
    assert entry.source == "page" and entry.backend == "database"
    assert entry.date == TODAY and entry.opened is False
    assert entry.result_count == response.context["results"].total
    # Nothing else about the searcher: the row's fields are these and no more.
    assert {f.name for f in SearchLog._meta.fields} == {
        "id",
        "date",
        "query",
        "filters",
        "result_count",
        "backend",
        "source",
        "opened",
    }
    # Wagtail's search promotions counts the (cleaned) words: its "Search terms" report.
    assert Query.objects.get(query_string="hydration [email]").hits == 1


def test_an_api_search_is_logged_and_hits_add_up(client, pages):
    client.get("/api/search/?q=hydration")
    client.get("/api/search/?q=HYDRATION")
    assert list(SearchLog.objects.values_list("query", "source", "result_count")) == [
        ("hydration", "api", 2),
        ("hydration", "api", 2),
    ]
    assert Query.objects.get(query_string="hydration").hits == 2


def test_autocomplete_and_internal_searches_are_not_logged(client, pages):
    client.get("/api/search/suggest/?q=hydration")
    client.head("/search/?q=hydration")
    client.get("/feeds/search/?q=hydration")
    assert not SearchLog.objects.exists()
    assert not Query.objects.exists()


def test_a_failing_log_never_breaks_the_search(client, pages, caplog):
    def broken(**kwargs):
        raise RuntimeError("the log is broken")

    searched.connect(broken, dispatch_uid="test-broken")
    try:
        response = client.get("/search/?q=hydration")
    finally:
        searched.disconnect(dispatch_uid="test-broken")
    assert response.status_code == 200
    assert "Hydration rounds at night" in response.content.decode()
    assert "the log is broken" in caplog.text


def test_a_database_error_in_the_log_is_swallowed(client, pages, caplog):
    # The real database refusing the write: its table is gone (rolled back after the test).
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SearchLog._meta.db_table}")
    response = client.get("/api/search/?q=hydration")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert "Could not log a search" in caplog.text


def test_logging_costs_at_most_three_queries_a_search(client, pages):
    client.get("/search/?q=hydration")  # the words' first hit today creates their rows
    with CaptureQueriesContext(connection) as without_log:
        searched.disconnect(dispatch_uid="insight.record_search")
        try:
            client.get("/search/?q=hydration")
        finally:
            searched.connect(record_search, dispatch_uid="insight.record_search")
    with CaptureQueriesContext(connection) as with_log:
        client.get("/search/?q=hydration")
    assert len(with_log) - len(without_log) <= 3
    assert SearchLog.objects.count() == 2


# --- The click-through --------------------------------------------------------------------


def test_results_link_through_the_click_through_to_the_case_study(client, pages):
    response = client.get("/search/?q=hydration")
    entry = SearchLog.objects.get()
    first = pages[0]
    link = open_url(entry.pk, first.pk)
    assert f'href="{link}"' in response.content.decode()
    opened = client.get(link)
    assert opened.status_code == 302 and opened["Location"] == first.url
    entry.refresh_from_db()
    assert entry.opened is True
    # The API keeps plain URLs.
    api = client.get("/api/search/?q=hydration").json()
    assert {r["url"] for r in api["results"]} == {page.url for page in pages}


def test_the_click_through_is_never_an_open_redirect(client, pages):
    entry = log("hydration")
    first, second = pages
    token = open_url(entry.pk, first.pk).split("/")[-2]
    forged = token.replace(f"-{first.pk}:", f"-{second.pk}:")
    assert client.get(f"/search/open/{forged}/").status_code == 404
    assert client.get("/search/open/1-2/").status_code == 404
    assert client.get("/search/open/https:%2F%2Fevil.example/").status_code == 404
    entry.refresh_from_db()
    assert entry.opened is False


def test_the_click_through_refuses_a_page_no_longer_public(client, pages):
    entry = log("hydration")
    first, second = pages
    first.unpublish()
    PageViewRestriction.objects.create(page=second, restriction_type="login")
    assert client.get(open_url(entry.pk, first.pk)).status_code == 404
    assert client.get(open_url(entry.pk, second.pk)).status_code == 404
    entry.refresh_from_db()
    assert entry.opened is False


# --- The admin screen ---------------------------------------------------------------------


@pytest.fixture
def searches():
    for _ in range(6):
        log("rota gaps", result_count=4, opened=True)
    for _ in range(4):
        log("night checks", result_count=2)  # found results, never opened
    log("night checks", result_count=2, source="api")
    for _ in range(2):
        log("oral health at night", result_count=0)
    log("ancient search", days_ago=90, result_count=0)
    log("", result_count=40)  # browsing without words


def test_a_curator_sees_the_three_tables_for_the_last_30_days(client, searches):
    client.force_login(member("Curators"))
    response = client.get(reverse("insight:search_insight"))
    assert response.status_code == 200
    tables = {shown["table"].slug: shown["rows"] for shown in response.context["tables"]}
    top = [(words, values) for words, _, values in tables["top"]]
    assert top == [
        ("rota gaps", [6, 4.0, 6]),
        ("night checks", [5, 2.0, 0]),
        ("oral health at night", [2, 0.0, 0]),
    ]
    assert [words for words, _, _ in tables["no-results"]] == ["oral health at night"]
    assert [(w, v) for w, _, v in tables["never-opened"]] == [("night checks", [4, 2.0])]
    html = response.content.decode()
    assert 'href="/search/?q=oral+health+at+night"' in html
    assert "ancient search" not in html


def test_a_chosen_period_and_its_csv(client, searches):
    client.force_login(member("Moderators"))
    start = (TODAY - 100 * DAY).isoformat()
    end = (TODAY - 60 * DAY).isoformat()
    response = client.get(reverse("insight:search_insight"), {"start": start, "end": end})
    tables = {shown["table"].slug: shown["rows"] for shown in response.context["tables"]}
    assert [words for words, _, _ in tables["no-results"]] == ["ancient search"]
    csv = client.get(reverse("insight:csv", args=["top"]), {"start": start, "end": end})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert f"search-top-{start}-to-{end}.csv" in csv["Content-Disposition"]
    assert csv.content.decode().splitlines() == [
        "Words,Searches,Average results,Searches that opened a result",
        "ancient search,1,0.0,0",
    ]


def test_a_csv_cell_is_never_a_spreadsheet_formula(client):
    log("=hyperlink(evil)", result_count=0)
    client.force_login(member("Curators"))
    body = client.get(reverse("insight:csv", args=["no-results"])).content.decode()
    assert "'=hyperlink(evil),1" in body


def test_a_bad_period_is_said_and_kept(client, searches):
    client.force_login(member("Curators"))
    response = client.get(
        reverse("insight:search_insight"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The last day must be on or after the first day." in html
    assert 'value="2026-05-01"' in html and 'value="2026-04-01"' in html
    assert 'href="#id_end"' in html and 'aria-invalid="true"' in html
    assert "tables" not in response.context or not response.context.get("tables")
    bad_csv = client.get(reverse("insight:csv", args=["top"]), {"start": "soon", "end": ""})
    assert bad_csv.status_code == 400


@pytest.mark.parametrize("group", ["Curators", "Moderators"])
def test_curators_and_moderators_see_the_menu_item(client, group):
    client.force_login(member(group))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("insight:search_insight") in html
    assert reverse("wagtailsearchpromotions:index") in html
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200


def test_contributors_do_not_see_search_insight_or_promotions(client, searches):
    client.force_login(member("Contributors"))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("insight:search_insight") not in home
    assert reverse("wagtailsearchpromotions:index") not in home
    denied = client.get(reverse("insight:search_insight"))
    assert denied.status_code == 403
    assert "curators and moderators" in denied.content.decode()
    assert client.get(reverse("insight:csv", args=["top"])).status_code == 403
    # Wagtail's own promotions admin answers with its redirect to the dashboard.
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 302


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("insight:search_insight"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Retention ----------------------------------------------------------------------------


def test_old_logs_are_deleted_after_the_retention_period(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    kept = [log("recent"), log("on the edge", days_ago=30)]
    log("old", days_ago=31)
    log("older", days_ago=400)
    out = StringIO()
    call_command("delete_old_search_logs", "--dry-run", stdout=out)
    assert "2 would be deleted" in out.getvalue()
    assert SearchLog.objects.count() == 4
    out = StringIO()
    call_command("delete_old_search_logs", stdout=out)
    assert "2 deleted" in out.getvalue()
    assert set(SearchLog.objects.all()) == set(kept)
