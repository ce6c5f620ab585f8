"""Importing CQC's ratings file: facts stored and skipped, history across files, providers
taking their ratings from the facts, and published case studies re-checked."""

import datetime

import pytest

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings import CareLocation, RatingFact, latest_ratings
from knowledgebase.cqc.ratings_file import RatingsFileError
from knowledgebase.cqc.ratings_import import RatingsImport, import_ratings
from knowledgebase.cqc.recheck import recheck_case_studies
from knowledgebase.interchange.records import case_study_record, schema_validator
from knowledgebase.providers import Provider
from knowledgebase.signals import ratings_refreshed
from tests.conftest import PROVIDER, make_record
from tests.cqc_files import (
    DENTIST,
    GP_PRACTICE,
    HEADERS,
    HOMECARE,
    OLD_HEADERS,
    location_row,
    location_rows,
    write_csv,
    write_ods,
)

pytestmark = pytest.mark.django_db

MEADOWBANK = PROVIDER["cqc_location_id"]  # the provider of make_record()'s case studies
BANNER = ["Care Quality Commission: latest ratings"]
# Overall, Safe, Effective, Caring, Responsive, Well-led, as entered for PROVIDER.
AS_ENTERED = ["Outstanding", "Good", "Outstanding", "Outstanding", "Good", "Outstanding"]
DROPPED = ["Good", "Good", "Good", "Good", "Requires improvement", "Good"]


def ods(tmp_path, name, rows, headers=HEADERS):
    return write_ods(
        tmp_path / name,
        {"Locations": [BANNER, headers, *rows], "Providers": [["Provider ID"], ["1-2"]]},
    )


def facts(location_id=None):
    queryset = RatingFact.objects.select_related("location")
    if location_id:
        queryset = queryset.filter(location__location_id=location_id)
    return {
        (f.location.location_id, f.service_group, f.domain, f.rating, str(f.publication_date))
        for f in queryset
    }


def test_import_stores_adult_social_care_ratings_and_counts_what_it_skips(tmp_path):
    homecare = "1-2000000002"
    rows = [
        *location_rows(
            MEADOWBANK, ["OUTSTANDING", "good", "Outstanding", "Outstanding", "Good", "outstanding"]
        ),
        # A homecare agency: the overall date as a date cell, a duplicated row.
        location_row(
            homecare,
            "Overall",
            "Requires Improvement",
            datetime.date(2024, 4, 3),
            kind=HOMECARE,
            columns={"Location Region": "East"},
        ),
        location_row(
            homecare,
            "Overall",
            "Requires Improvement",
            datetime.date(2024, 4, 3),
            kind=HOMECARE,
            columns={"Location Region": "East"},
        ),
        location_row(homecare, "Safe", "Inadequate", "03/04/2024", kind=HOMECARE),
        # A multi-service location: Not Rated, Not applicable, blank.
        location_row("1-3000000003", "Overall", "Not Rated", "01/10/2026"),
        location_row("1-3000000003", "Caring", "Not applicable", ""),
        location_row("1-3000000003", "Responsive", "", ""),
        # The rest of the register: a GP practice with population groups, a dentist.
        location_row("1-4000000004", "Overall", "Good", kind=GP_PRACTICE),
        location_row("1-4000000004", "Overall", "Good", group="Older people", kind=GP_PRACTICE),
        location_row("1-4000000004", "Safe", "Good", group="Older people", kind=GP_PRACTICE),
        location_row("1-5000000005", "Overall", "Good", kind=DENTIST),
        # Malformed rows of adult social care locations.
        location_row("1-6000000006", "Overall", "Good", "31/02/2024"),
        location_row("ABC", "Overall", "Good"),
        location_row("1-7000000007", "Leadership", "Good"),
        location_row("", "Overall", "Good"),
    ]
    log = import_ratings(ods(tmp_path, "latest.ods", rows))

    assert facts() == {
        (MEADOWBANK, "Overall", "overall", "outstanding", "2024-03-01"),
        (MEADOWBANK, "Overall", "safe", "good", "2024-03-01"),
        (MEADOWBANK, "Overall", "effective", "outstanding", "2024-03-01"),
        (MEADOWBANK, "Overall", "caring", "outstanding", "2024-03-01"),
        (MEADOWBANK, "Overall", "responsive", "good", "2024-03-01"),
        (MEADOWBANK, "Overall", "well-led", "outstanding", "2024-03-01"),
        (homecare, "Overall", "overall", "requires-improvement", "2024-04-03"),
        (homecare, "Overall", "safe", "inadequate", "2024-04-03"),
    }
    assert log.succeeded
    assert (log.rows_read, log.facts_stored, log.facts_unchanged) == (len(rows), 8, 0)
    assert log.skipped == {
        "not adult social care": 4,
        "not a rating": 3,
        "duplicate": 1,
        "malformed row": 4,
    }
    assert log.rows_skipped == 12 == log.rows_read - log.facts_stored
    assert log.problems == [
        "row 19: Publication Date '31/02/2024' is not a date (dd/mm/yyyy)",
        "row 20: Location ID 'ABC' is not a CQC location id",
        "row 21: unknown Domain 'Leadership'",
        "row 22: no Location ID",
    ]
    # Adult social care locations only, a location with no rating among them.
    assert set(CareLocation.objects.values_list("location_id", flat=True)) == {
        MEADOWBANK,
        homecare,
        "1-3000000003",
        "1-6000000006",
        "1-7000000007",
    }
    agency = CareLocation.objects.get(location_id=homecare)
    assert (agency.service_kind, agency.care_home, agency.region) == (
        "community",
        False,
        "east-of-england",
    )
    home = CareLocation.objects.get(location_id=MEADOWBANK)
    assert (home.service_kind, home.care_home, home.region, home.postcode) == (
        "care-home",
        True,
        "yorkshire-and-the-humber",
        "LS1 1AA",
    )
    assert home.cqc_url.endswith(MEADOWBANK) and home.cqc_provider_name == "Example Care Ltd"
    assert home.first_seen_in == home.last_seen_in == log
    fact = RatingFact.objects.get(location=home, domain="overall")
    assert (fact.source_file, fact.report_type, fact.inherited) == ("latest.ods", "Location", False)


def test_the_same_file_twice_changes_nothing(tmp_path):
    rows = [
        *location_rows(MEADOWBANK, AS_ENTERED),
        location_row(MEADOWBANK, "Safe", "Good"),  # a duplicate
    ]
    path = ods(tmp_path, "latest.ods", rows)
    first = import_ratings(path)
    stored = list(RatingFact.objects.values().order_by("pk"))
    second = import_ratings(path)

    assert list(RatingFact.objects.values().order_by("pk")) == stored
    assert (first.facts_stored, first.facts_unchanged) == (6, 0)
    assert (second.facts_stored, second.facts_unchanged) == (0, 6)
    assert first.skipped["duplicate"] == second.skipped["duplicate"] == 1
    assert second.sha256 == first.sha256 and second.earlier_import_of_the_same_file() == first
    location = CareLocation.objects.get()
    assert (location.first_seen_in, location.last_seen_in) == (first, second)
    assert RatingsImport.objects.count() == 2


def test_a_csv_is_imported_like_the_ods(tmp_path):
    path = write_csv(
        tmp_path / "latest.csv", [BANNER, OLD_HEADERS, *location_rows(MEADOWBANK, DROPPED)]
    )
    log = import_ratings(path)
    assert log.facts_stored == 6
    assert (MEADOWBANK, "Overall", "responsive", "requires-improvement", "2024-03-01") in facts()


@pytest.fixture
def case_study(importer):
    importer([make_record(1)])  # Meadowbank House: Outstanding overall; addresses safe, effective
    return CaseStudyPage.objects.get()


@pytest.fixture
def other_provider(importer):
    provider = {**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
    importer([make_record(2, provider=provider)])
    return Provider.objects.get(cqc_location_id="1-1000000099")


def test_a_newer_file_adds_history_and_providers_take_the_latest(
    tmp_path, case_study, other_provider
):
    import_ratings(ods(tmp_path, "ratings-2024-03.ods", location_rows(MEADOWBANK, AS_ENTERED)))
    newer = ods(tmp_path, "ratings-2026-11.ods", location_rows(MEADOWBANK, DROPPED, "01/11/2026"))
    log = import_ratings(newer)

    assert RatingFact.objects.count() == 12  # both publications kept
    assert log.facts_stored == 6 and log.providers_updated == 1
    provider = Provider.objects.get(cqc_location_id=MEADOWBANK)
    assert provider.overall_rating == "good"
    assert provider.key_question_ratings() == {
        "safe": "good",
        "effective": "good",
        "caring": "good",
        "responsive": "requires-improvement",
        "well-led": "good",
    }
    assert provider.rating_date == provider.ratings_published == datetime.date(2026, 11, 1)
    assert (provider.ratings_source, provider.ratings_source_file) == (
        "cqc",
        "ratings-2026-11.ods",
    )
    # Not in the file: as entered, untouched.
    other_provider.refresh_from_db()
    assert other_provider.ratings_source == "entered"
    assert other_provider.overall_rating == "outstanding"
    assert other_provider.ratings_source_file == "" and other_provider.ratings_published is None

    # The older file again, after the newer: the latest publication still wins.
    import_ratings(tmp_path / "ratings-2024-03.ods")
    provider.refresh_from_db()
    assert provider.overall_rating == "good"
    assert provider.ratings_published == datetime.date(2026, 11, 1)
    assert provider.ratings_source_file == "ratings-2024-03.ods"  # the file it was last seen in
    latest = latest_ratings([MEADOWBANK])[MEADOWBANK]
    assert latest["responsive"].rating == "requires-improvement"


def test_not_rated_at_location_level_keeps_the_latest_real_rating(tmp_path, case_study):
    import_ratings(ods(tmp_path, "2026-08.ods", location_rows(MEADOWBANK, AS_ENTERED)))
    # Since September 2026, a location with more than one type of service: Not Rated overall.
    multi_service = ["Not Rated", "Good", "Outstanding", "Good", "Good", "Outstanding"]
    log = import_ratings(
        ods(tmp_path, "2026-10.ods", location_rows(MEADOWBANK, multi_service, "01/10/2026"))
    )
    assert log.skipped["not a rating"] == 1
    provider = Provider.objects.get(cqc_location_id=MEADOWBANK)
    assert provider.overall_rating == "outstanding"  # from March 2024, not wiped
    assert provider.rating_caring == "good"  # the newer real rating
    assert provider.ratings_published == datetime.date(2026, 10, 1)


def test_the_recheck_flags_a_case_study_whose_provider_dropped_and_clears_it_when_restored(
    tmp_path, case_study, importer
):
    importer([make_record(3, key_questions=["caring"], quality_statements=[])])  # on Caring
    caring = CaseStudyPage.objects.get(external_id="cs-test-0003")
    revisions = case_study.revisions.count()
    # Overall Good; Outstanding only in Caring now.
    partly = ["Good", "Good", "Good", "Outstanding", "Good", "Good"]
    log = import_ratings(
        ods(tmp_path, "2026-11.ods", location_rows(MEADOWBANK, partly, "01/11/2026"))
    )

    case_study.refresh_from_db()
    caring.refresh_from_db()
    assert (log.case_studies_flagged, log.case_studies_cleared) == (1, 0)
    assert case_study.rating_dropped  # it addresses Safe and Effective: both Good now
    assert case_study.rating_dropped_since == datetime.date(2026, 11, 1)
    assert not caring.rating_dropped  # still Outstanding in the key question it addresses
    assert case_study.revisions.count() == revisions  # a flag, not an edit
    assert not case_study.has_unpublished_changes

    log = import_ratings(
        ods(tmp_path, "2027-02.ods", location_rows(MEADOWBANK, AS_ENTERED, "01/02/2027"))
    )
    case_study.refresh_from_db()
    assert (log.case_studies_flagged, log.case_studies_cleared) == (0, 1)
    assert not case_study.rating_dropped and case_study.rating_dropped_since is None


def test_recheck_reports_flagged_and_cleared_and_leaves_drafts_alone(case_study, importer):
    importer([make_record(4)])
    draft = CaseStudyPage.objects.get(external_id="cs-test-0004")
    draft.unpublish()
    Provider.objects.update(overall_rating="good", rating_effective="good")

    result = recheck_case_studies()
    assert (result.flagged, result.cleared) == ([case_study.pk], [])
    assert not CaseStudyPage.objects.get(pk=draft.pk).rating_dropped
    assert recheck_case_studies().flagged == []  # flagged once

    Provider.objects.update(rating_effective="outstanding")
    result = recheck_case_studies()
    assert (result.flagged, result.cleared) == ([], [case_study.pk])


def test_publishing_a_revision_keeps_the_flag(tmp_path, case_study):
    import_ratings(ods(tmp_path, "2026-11.ods", location_rows(MEADOWBANK, DROPPED, "01/11/2026")))
    page = CaseStudyPage.objects.get(pk=case_study.pk)
    assert page.rating_dropped
    # A revision saved before the flag was set, published after it.
    case_study.latest_revision.publish()
    page.refresh_from_db()
    assert page.rating_dropped and page.rating_dropped_since == datetime.date(2026, 11, 1)
    assert not page.copy(update_attrs={"slug": "copy", "external_id": ""}).rating_dropped


def test_ratings_refreshed_is_sent_with_what_changed(
    tmp_path, case_study, other_provider, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    ratings_refreshed.connect(receiver, dispatch_uid="test")
    try:
        path = ods(tmp_path, "2026-11.ods", location_rows(MEADOWBANK, DROPPED, "01/11/2026"))
        with django_capture_on_commit_callbacks(execute=True):
            log = import_ratings(path)
            assert received == []  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            import_ratings(path)  # the same file: nothing changed
    finally:
        ratings_refreshed.disconnect(dispatch_uid="test")

    meadowbank = Provider.objects.get(cqc_location_id=MEADOWBANK)
    assert received[0] == {
        "signal": ratings_refreshed,
        "ratings_import": log,
        "provider_ids": [meadowbank.pk],
        "case_study_ids": [case_study.pk],
    }
    assert received[1]["provider_ids"] == [] and received[1]["case_study_ids"] == []


def test_a_file_that_is_not_a_ratings_file_stores_nothing_and_logs_why(tmp_path, case_study):
    path = write_csv(tmp_path / "people.csv", [["Name", "Email"], ["Sam", "sam@example.org"]])
    with pytest.raises(RatingsFileError):
        import_ratings(path)
    log = RatingsImport.objects.get()
    assert not log.succeeded and "no header row" in log.error and log.finished_at
    assert not RatingFact.objects.exists() and not CareLocation.objects.exists()
    assert Provider.objects.get().ratings_source == "entered"


def test_interchange_export_is_unchanged_in_shape(tmp_path, case_study):
    import_ratings(
        ods(tmp_path, "2026-11.ods", location_rows(MEADOWBANK, AS_ENTERED, "01/11/2026"))
    )
    page = CaseStudyPage.objects.get(pk=case_study.pk)
    record = case_study_record(page)
    assert not list(schema_validator().iter_errors(record))
    assert record["provider"]["rating_date"] == "2026-11-01"
    assert set(record["provider"]) == {
        "name",
        "cqc_location_id",
        "service_type",
        "region",
        "overall_rating",
        "rating_date",
        "key_question_ratings",
    }


def test_ratings_changed_by_hand_or_by_interchange_are_as_entered(tmp_path, case_study, importer):
    import_ratings(
        ods(tmp_path, "2026-11.ods", location_rows(MEADOWBANK, AS_ENTERED, "01/11/2026"))
    )
    assert Provider.objects.get().ratings_source == "cqc"
    # An interchange record with the same ratings leaves the source alone...
    importer([make_record(1, provider={**PROVIDER, "rating_date": "2026-11-01"})])
    assert Provider.objects.get().ratings_source == "cqc"
    # ...one with other ratings replaces CQC's until its next file.
    changed = {
        **PROVIDER,
        "key_question_ratings": {**PROVIDER["key_question_ratings"], "safe": "outstanding"},
    }
    importer([make_record(1, provider=changed)])
    provider = Provider.objects.get()
    assert provider.rating_safe == "outstanding"
    assert (provider.ratings_source, provider.ratings_source_file) == ("entered", "")
