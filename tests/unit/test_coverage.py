"""Coverage: supply counted by the search service, demand counted from the imported CQC
ratings, the two set against each other, the callouts, the CSVs, who may see them, and the
demo ratings file."""

import csv
import io
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insight import coverage
from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings import CareLocation
from knowledgebase.cqc.ratings_import import RatingsImport, import_ratings
from knowledgebase.demo import cqc_ratings as demo_ratings
from knowledgebase.management.commands.load_demo_content import DEMO_CQC_RATINGS_FILE
from knowledgebase.providers import RATING_FIELDS, Provider
from knowledgebase.taxonomy import Theme
from search.documents import public_case_studies
from tests.conftest import DEMO_FILE
from tests.cqc_files import GP_PRACTICE, HEADERS, HOMECARE, location_row, location_rows, write_csv

pytestmark = pytest.mark.django_db

KEY_QUESTIONS = ["safe", "effective", "caring", "responsive", "well-led"]
NORTH_WEST = {"Location Region": "North West"}
LONDON = {"Location Region": "London"}
# Overall, Safe, Effective, Caring, Responsive, Well-led
SAFE_RI = ["Good", "Requires improvement", "Good", "Good", "Good", "Good"]
SAFE_INADEQUATE = ["Inadequate", "Inadequate", "Good", "Good", "Good", "Requires improvement"]


def member(group_name):
    user = User.objects.create_user(group_name.lower(), password="pw", email="x@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def ratings(tmp_path):
    """Two monthly files. Only the second (latest) one's locations count, at their latest
    rating: ...101 was RI in Safe and is Good now; ...102 was RI but has left CQC's file;
    ...103 (a care home in the North West) is Inadequate in Safe and RI in Well-led; ...104
    (a homecare agency in London) is RI in Safe; ...105 is Good throughout; a GP practice
    (...106) rated RI is not adult social care."""
    earlier = write_csv(
        tmp_path / "earlier.csv",
        [
            HEADERS,
            *location_rows("1-8000000101", SAFE_RI, "01/02/2023", columns=NORTH_WEST),
            *location_rows("1-8000000102", SAFE_RI, "01/02/2023", columns=NORTH_WEST),
        ],
    )
    latest = write_csv(
        tmp_path / "latest.csv",
        [
            HEADERS,
            *location_rows("1-8000000101", "Good", "01/06/2025", columns=NORTH_WEST),
            *location_rows("1-8000000103", SAFE_INADEQUATE, "01/05/2025", columns=NORTH_WEST),
            *location_rows("1-8000000104", SAFE_RI, "01/04/2025", kind=HOMECARE, columns=LONDON),
            *location_rows("1-8000000105", "Good", "01/04/2025", columns=LONDON),
            location_row("1-8000000106", "Safe", "Requires improvement", kind=GP_PRACTICE),
        ],
    )
    import_ratings(earlier)
    log = import_ratings(latest)
    # A later import that failed is not the latest completed one.
    RatingsImport.objects.create(file_name="broken.ods", sha256="0" * 64, error="not a zip")
    return log


# --- Demand --------------------------------------------------------------------------------


def test_demand_counts_the_latest_rating_of_locations_in_the_latest_import(ratings):
    assert CareLocation.objects.count() == 5  # 1-8000000102 is still stored, only not counted
    with CaptureQueriesContext(connection) as queries:
        demand = coverage.count_demand()
    assert len(queries) <= 3
    assert demand.ratings_import == ratings
    assert demand.locations == 4
    assert {kq: demand.by(kq) for kq in KEY_QUESTIONS} == {
        # ...103 Inadequate, ...104 RI; not ...101 (Good now), not ...102 (gone)
        "safe": 2,
        "effective": 0,
        "caring": 0,
        "responsive": 0,
        "well-led": 1,  # 1-8000000103
    }
    assert demand.by("safe", service_kind="care-home") == 1
    assert demand.by("safe", service_kind="community") == 1
    assert demand.by("safe", region="north-west") == 1
    assert demand.by("safe", region="london") == 1
    assert demand.by("well-led", region="london") == 0


def test_without_ratings_the_screen_says_how_to_import_them(client, demo_content, database_search):
    client.force_login(member("Curators"))
    response = client.get(reverse("coverage:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No CQC ratings have been imported" in html
    assert "manage.py import_cqc_ratings FILE" in html
    assert "services struggling" not in html
    # The supply grids are there all the same.
    assert "Published case studies by theme and key question" in html
    assert client.get(reverse("coverage:csv", args=["callouts"])).status_code == 404
    assert client.get(reverse("coverage:csv", args=["demand-region"])).status_code == 404
    assert client.get(reverse("coverage:csv", args=["supply-region"])).status_code == 200


# --- Supply --------------------------------------------------------------------------------


def orm_count(**lookups):
    return public_case_studies().filter(**lookups).distinct().count()


@pytest.mark.parametrize(
    "grid_slug, lookup",
    [
        ("supply-theme", "themes__slug"),
        ("supply-service-type", "provider__service_type"),
        ("supply-region", "provider__region"),
    ],
)
def test_supply_grids_are_the_orm_counts_of_public_case_studies(
    demo_content, database_search, grid_slug, lookup
):
    CaseStudyPage.objects.live().first().unpublish()  # not public: counted nowhere
    report = coverage.coverage()
    assert report.supply.backends == ["database"]
    [grid] = [g for g in report.supply_grids if g.slug == grid_slug]
    assert [kq for kq, _ in grid.columns] == KEY_QUESTIONS
    assert len(grid.rows) == {"supply-theme": 20, "supply-service-type": 7}.get(grid_slug, 9)
    for row in grid.rows:
        for kq, cell in zip(KEY_QUESTIONS, row.cells, strict=True):
            expected = orm_count(**{lookup: row.slug, "key_questions__slug": kq})
            assert cell.count == expected, (row.slug, kq)
        assert row.total.count == orm_count(**{lookup: row.slug})
    for kq, cell in zip(KEY_QUESTIONS, grid.totals.cells, strict=True):
        assert cell.count == orm_count(key_questions__slug=kq)
    assert grid.totals.total.count == public_case_studies().count() == 39
    # Some cells are gaps, and they are there, as 0, in the lowest band.
    gaps = [cell for row in grid.rows for cell in row.cells if cell.count == 0]
    assert gaps and all(cell.band.css_class == "coverage-band--none" for cell in gaps)


def test_six_searches_count_the_supply(demo_content, database_search, monkeypatch):
    asked = []
    real_search = coverage.backends.search

    def counting(query):  # the real search, counted
        asked.append(query.filters)
        return real_search(query)

    monkeypatch.setattr(coverage.backends, "search", counting)
    coverage.count_supply()
    assert asked == [{}, *({"key_question": [kq]} for kq in KEY_QUESTIONS)]


def test_a_cell_links_to_the_search_showing_that_many(client, demo_content, database_search):
    report = coverage.coverage()
    [themes] = [g for g in report.supply_grids if g.slug == "supply-theme"]
    falls = next(row for row in themes.rows if row.slug == "falls-prevention")
    safe = falls.cells[0]
    assert safe.url == "/search/?theme=falls-prevention&key_question=safe"
    assert safe.where == "Falls prevention, Safe"
    shown = client.get(safe.url).context["results"]
    assert shown.total == safe.count > 0
    # A gap links to its (empty) search too.
    gap = next(cell for row in themes.rows for cell in row.cells if cell.count == 0)
    assert client.get(gap.url).context["results"].total == 0
    assert falls.total.url == "/search/?theme=falls-prevention"


# --- Demand against supply, and the callouts --------------------------------------------------


def test_demand_against_supply_sums_a_kinds_service_types(demo_content, database_search, ratings):
    report = coverage.coverage()
    kinds = next(g for g in report.demand_grids if g.slug == "demand-and-supply-service-kind")
    care_home = next(row for row in kinds.rows if row.slug == "care-home")
    safe = care_home.cells[0]
    assert safe.count == 1  # 1-8000000103
    assert safe.supply == orm_count(
        provider__service_type__in=["residential-care-home", "nursing-home"],
        key_questions__slug="safe",
    )
    assert safe.url == (
        "/search/?service_type=residential-care-home&service_type=nursing-home&key_question=safe"
    )
    community = next(row for row in kinds.rows if row.slug == "community")
    assert community.cells[0].supply == orm_count(
        provider__service_type__in=[
            "homecare",
            "supported-living",
            "extra-care-housing",
            "shared-lives",
        ],
        key_questions__slug="safe",
    )
    assert [row.slug for row in kinds.rows] == ["care-home", "community"]  # no day services
    regions = next(g for g in report.demand_grids if g.slug == "demand-and-supply-region")
    london = next(row for row in regions.rows if row.slug == "london")
    assert (london.cells[0].count, london.cells[0].supply) == (
        1,
        orm_count(provider__region="london", key_questions__slug="safe"),
    )
    assert london.cells[0].url == "/search/?region=london&key_question=safe"


def grid_of(rows, slug="demand-and-supply-region"):
    """A demand-against-supply grid: rows of (slug, label, [(struggling, case studies)])."""
    columns = [("safe", "Safe"), ("well-led", "Well-led")]
    band = coverage.supply_bands()[0]
    return coverage.Grid(
        slug=slug,
        title="",
        description="",
        row_heading="Region",
        columns=columns,
        rows=[
            coverage.Row(
                row_slug,
                label,
                [
                    coverage.Cell(n, f"/search/?{row_slug}-{kq}", band, supply=m)
                    for (kq, _), (n, m) in zip(columns, cells, strict=True)
                ],
            )
            for row_slug, label, cells in rows
        ],
        bands=(band,),
        combined=True,
    )


def test_callouts_rank_struggling_services_per_case_study_above_a_floor():
    regions = grid_of(
        [
            ("north-west", "North West", [(212, 1), (40, 0)]),  # 106 and 40 per case study
            ("london", "London", [(4, 0), (30, 9)]),  # 4: under the floor; 3
            ("south-west", "South West", [(9, 0), (90, 20)]),  # 9; 90/21 = 4.29
        ]
    )
    kinds = grid_of(
        [("care-home", "Care home", [(50, 4), (10, 1)])], slug="demand-and-supply-service-kind"
    )
    found = coverage.callouts([kinds, regions], limit=5, minimum=5)
    assert [(c.key_question, c.where, c.need) for c in found] == [
        ("Safe", "in the North West", 106.0),
        ("Well-led", "in the North West", 40.0),
        ("Safe", "in care homes", 10.0),
        ("Safe", "in the South West", 9.0),
        ("Well-led", "in care homes", 5.0),
    ]
    assert found[0].sentence == (
        "Safe in the North West: 212 services rated Requires improvement or Inadequate, "
        "1 published case study."
    )
    assert found[0].url == "/search/?north-west-safe"
    assert len(coverage.callouts([kinds, regions], limit=2)) == 2
    # London and Yorkshire and the Humber are named without "the".
    london = coverage.callouts([regions], limit=10, minimum=1)
    assert ("Well-led", "in London") in [(c.key_question, c.where) for c in london]
    assert coverage.place_phrase("yorkshire-and-the-humber", "Yorkshire and the Humber") == (
        "Yorkshire and the Humber"
    )


def test_demand_bands_split_the_non_zero_counts_and_say_so():
    bands = coverage.demand_bands([0, 1, 2, 3, 10, 11, 12, 40, 50, 60])
    assert [b.words for b in bands] == ["0", "1 to 3", "4 to 12", "13 or more"]
    assert coverage.band_of(bands, 0).css_class == "coverage-demand--0"
    assert coverage.band_of(bands, 60).css_class == "coverage-demand--3"
    assert [b.words for b in coverage.demand_bands([0, 0])] == ["0"]
    assert [b.words for b in coverage.demand_bands([5, 5, 5])] == ["0", "1 or more"]


# --- The screen and its CSVs -------------------------------------------------------------


def test_the_screen_puts_the_callouts_first(client, demo_content, database_search, tmp_path):
    import_ratings(DEMO_CQC_RATINGS_FILE)
    client.force_login(member("Curators"))
    response = client.get(reverse("coverage:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "counted by the database search service" in html
    callouts = html.index("Where many services struggle and little practice exists")
    assert callouts < html.index('<table class="coverage-table"')
    report = response.context["coverage"]
    assert len(report.callouts) == coverage.CALLOUT_LIMIT
    assert all(c.struggling >= coverage.CALLOUT_MIN_STRUGGLING for c in report.callouts)
    needs = [c.need for c in report.callouts]
    assert needs == sorted(needs, reverse=True)
    first = report.callouts[0]
    assert f'<a href="{first.url.replace("&", "&amp;")}">{first.sentence}</a>' in html
    # Each table has a caption, headers with their scope, and scrolls in a focusable region.
    assert html.count("<caption>") == 7
    assert html.count('role="region" tabindex="0"') == 7
    assert 'scope="row">Falls prevention</th>' in html
    assert "(none)" in html  # gaps say so in words


def test_the_csvs(client, demo_content, database_search, ratings):
    client.force_login(member("Moderators"))
    theme = client.get(reverse("coverage:csv", args=["supply-theme"]))
    assert theme.status_code == 200 and theme["Content-Type"].startswith("text/csv")
    assert 'filename="coverage-supply-theme.csv"' in theme["Content-Disposition"]
    rows = csv_rows(theme)
    assert rows[0] == [
        "Theme",
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
        "All key questions",
    ]
    falls = next(row for row in rows if row[0] == "Falls prevention")
    expected = [
        orm_count(themes__slug="falls-prevention", key_questions__slug=kq) for kq in KEY_QUESTIONS
    ]
    assert falls[1:] == [str(n) for n in [*expected, orm_count(themes__slug="falls-prevention")]]
    assert rows[-1][0] == "All themes" and rows[-1][-1] == str(public_case_studies().count())

    against = csv_rows(client.get(reverse("coverage:csv", args=["demand-and-supply-region"])))
    assert against[0] == [
        "Region",
        "Key question",
        "Services rated Requires improvement or Inadequate",
        "Published case studies",
        "Struggling services per case study",
    ]
    london_safe = orm_count(provider__region="london", key_questions__slug="safe")
    assert [
        "London",
        "Safe",
        "1",
        str(london_safe),
        str(round(1 / (london_safe + 1), 2)),
    ] in against
    assert len(against) == 1 + 9 * 5

    demand = csv_rows(client.get(reverse("coverage:csv", args=["demand-service-kind"])))
    assert demand == [
        ["Service kind", "Safe", "Effective", "Caring", "Responsive", "Well-led"],
        ["Care home", "1", "0", "0", "0", "1"],
        ["Community based", "1", "0", "0", "0", "0"],
    ]
    callouts = csv_rows(client.get(reverse("coverage:csv", args=["callouts"])))
    assert callouts[0][0] == "Key question" and callouts[1:] == []  # none reach the floor
    assert client.get("/admin/coverage/nothing-like-it.csv").status_code == 404


def test_a_csv_cell_is_never_a_spreadsheet_formula(client, demo_content, database_search):
    Theme.objects.filter(slug="falls-prevention").update(label="=HYPERLINK(evil)")
    client.force_login(member("Curators"))
    rows = csv_rows(client.get(reverse("coverage:csv", args=["supply-theme"])))
    assert "'=HYPERLINK(evil)" in [row[0] for row in rows]
    assert "=HYPERLINK(evil)" not in [row[0] for row in rows]


# --- Who may see it --------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client):
    for url in (reverse("coverage:index"), reverse("coverage:csv", args=["supply-theme"])):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_contributors_get_the_403_page_on_the_screen_and_the_csvs(client):
    client.force_login(member("Contributors"))
    assert (
        reverse("coverage:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    denied = client.get(reverse("coverage:index"))
    assert denied.status_code == 403
    assert "Coverage is for curators and moderators" in denied.content.decode()
    assert client.get(reverse("coverage:csv", args=["supply-theme"])).status_code == 403
    assert client.get(reverse("coverage:csv", args=["no-such-table"])).status_code == 403


@pytest.mark.parametrize("group", ["Curators", "Moderators", None])
def test_curators_moderators_and_superusers_see_it(client, group):
    if group:
        user = member(group)
    else:
        user = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    assert reverse("coverage:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("coverage:index")).status_code == 200
    assert client.get(reverse("coverage:csv", args=["supply-region"])).status_code == 200


def test_the_permission_can_be_granted_on_a_groups_form(admin_client):
    editors = Group.objects.create(name="Improvement team")
    html = admin_client.get(reverse("wagtailusers_groups:edit", args=[editors.pk])).content.decode()
    assert "Can see coverage" in html


# --- The demo ratings file ---------------------------------------------------------------


def test_the_demo_ratings_file_is_what_its_script_writes(tmp_path):
    written = demo_ratings.write(tmp_path / "again.csv")
    assert written.read_bytes() == DEMO_CQC_RATINGS_FILE.read_bytes()


def test_load_demo_content_imports_the_demo_ratings_once_and_changes_no_provider():
    records = [json.loads(line) for line in DEMO_FILE.read_text().splitlines() if line]
    out = StringIO()
    call_command("load_demo_content", stdout=out, stderr=StringIO())
    assert "Demo CQC ratings: 600 care locations" in out.getvalue()
    assert CareLocation.objects.filter(location_id__startswith="1-999").count() == 600
    for record in records:
        entered = record["provider"]
        provider = Provider.objects.get(cqc_location_id=entered["cqc_location_id"])
        assert provider.ratings_source == "entered"
        assert provider.overall_rating == entered["overall_rating"]
        for kq, rating in entered.get("key_question_ratings", {}).items():
            assert getattr(provider, RATING_FIELDS[kq]) == rating
    assert not CaseStudyPage.objects.filter(rating_dropped=True).exists()

    out = StringIO()
    call_command("load_demo_content", stdout=out, stderr=StringIO())
    assert "Demo CQC ratings: already imported." in out.getvalue()
    assert RatingsImport.objects.count() == 1
