import json

import pytest
from django.core.management import CommandError, call_command

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.interchange.records import case_study_record, normalised
from knowledgebase.providers import Provider
from tests.conftest import DEMO_FILE, PROVIDER, make_record

pytestmark = pytest.mark.django_db


def write_jsonl(tmp_path, lines, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def test_import_creates_live_case_studies_and_providers(importer):
    report = importer([make_record(1), make_record(2)])
    assert (report.created, report.errors) == (2, [])
    page = CaseStudyPage.objects.get(external_id="cs-test-0001")
    assert page.live and page.live_revision_id == page.latest_revision_id
    assert page.get_parent().slug == "case-studies"
    assert Provider.objects.count() == 1
    assert [t.slug for t in page.themes.all()] == ["falls-prevention"]
    assert page.review_date.isoformat() == "2027-01-15"  # two years after publishing
    assert normalised(case_study_record(page)) == normalised(make_record(1))


def test_bad_lines_are_reported_with_line_field_and_reason_and_good_lines_kept(tmp_path, capsys):
    lines = [
        make_record(1),
        "{not json",
        make_record(2, themes=["no-such-theme"]),
        make_record(3, summary="short"),
        make_record(4),
        make_record(5, quality_statements=["medicines-optimisation"], key_questions=["caring"]),
        "",
    ]
    path = write_jsonl(tmp_path, lines)
    with pytest.raises(CommandError, match="4 bad line"):
        call_command("import_case_studies", str(path), "--quiet-progress")
    err = capsys.readouterr().err
    assert "line 2: (line): not valid JSON" in err
    assert "line 3: themes: unknown slug 'no-such-theme'" in err
    assert "line 4: summary:" in err and "shorter than 20 characters" in err
    assert (
        "line 6: quality_statements: 'medicines-optimisation' belongs to the key question 'safe'"
        in err
    )
    assert set(CaseStudyPage.objects.values_list("external_id", flat=True)) == {
        "cs-test-0001",
        "cs-test-0004",
    }


def test_outstanding_rule_is_enforced_by_the_importer_with_the_ratings_in_the_message(importer):
    good_provider = {
        **PROVIDER,
        "overall_rating": "good",
        "cqc_location_id": "1-2000000002",
        "key_question_ratings": {"safe": "good", "caring": "outstanding"},
    }
    report = importer(
        [
            make_record(
                1,
                provider=good_provider,
                key_questions=["safe"],
                quality_statements=["safe-environments"],
            ),
            make_record(2, provider=good_provider, key_questions=["caring"], quality_statements=[]),
        ]
    )
    assert report.created == 1
    assert CaseStudyPage.objects.get().external_id == "cs-test-0002"
    [error] = report.errors
    assert (error.line, error.field) == (1, "provider")
    assert "rated Good overall" in error.reason
    assert "Caring: Outstanding" in error.reason and "Safe: Good" in error.reason


def test_reimport_is_idempotent_and_changes_make_a_new_revision(importer):
    before = CaseStudyPage.objects.count()
    importer([make_record(1)])
    page = CaseStudyPage.objects.get(external_id="cs-test-0001")
    revisions = page.revisions.count()

    again = importer([make_record(1)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert CaseStudyPage.objects.count() == before + 1 and page.revisions.count() == revisions

    changed = importer([make_record(1, title="A better title for the same practice")])
    assert changed.updated == 1
    page.refresh_from_db()
    assert page.title == "A better title for the same practice" and page.live
    assert page.revisions.count() == revisions + 1
    assert CaseStudyPage.objects.count() == before + 1


def test_provider_changes_are_applied_on_import(importer):
    importer([make_record(1)])
    renamed = {**PROVIDER, "name": "Meadowbank House (renamed)"}
    importer([make_record(2, provider=renamed)])
    assert Provider.objects.get().name == "Meadowbank House (renamed)"


def test_export_then_import_into_an_empty_database_round_trips(tmp_path, capsys):
    call_command("import_case_studies", str(DEMO_FILE), "--quiet-progress")
    exported = tmp_path / "export.jsonl"
    call_command("export_case_studies", str(exported))
    first = [json.loads(line) for line in exported.read_text().splitlines()]
    originals = {r["id"]: r for r in map(json.loads, DEMO_FILE.read_text().splitlines())}
    assert len(first) == len(originals)
    for record in first:
        assert normalised(record) == normalised(originals[record["id"]]), record["id"]

    CaseStudyPage.objects.all().delete()
    Provider.objects.all().delete()
    call_command("import_case_studies", str(exported), "--quiet-progress")
    again = tmp_path / "again.jsonl"
    call_command("export_case_studies", str(again))
    assert sorted(map(normalised, map(json.loads, again.read_text().splitlines()))) == sorted(
        map(normalised, first)
    )


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_case_studies", str(tmp_path / "missing.jsonl"))
