"""manage.py import_cqc_ratings: what it prints, and its exit status."""

import io
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command

from knowledgebase.cqc.ratings import RatingFact
from tests.conftest import PROVIDER, make_record
from tests.cqc_files import GP_PRACTICE, HEADERS, location_row, location_rows, write_csv, write_ods

pytestmark = pytest.mark.django_db

MEADOWBANK = PROVIDER["cqc_location_id"]
DROPPED = ["Good", "Good", "Good", "Good", "Requires improvement", "Good"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cqc_ratings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_status(capsys, *args):
    """Run the command as manage.py does; (exit status, stdout, stderr).

    run_from_argv() closes every database connection when it ends, as a process would;
    here that would close the test's own transaction, so closing is left to the test."""
    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            ManagementUtility(["manage.py", "import_cqc_ratings", *map(str, args)]).execute()
        status = 0
    except SystemExit as exc:
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def ratings_ods(tmp_path, importer):
    importer([make_record(1)])
    rows = [
        HEADERS,
        *location_rows(MEADOWBANK, DROPPED, "01/11/2026"),
        location_row("1-4000000004", "Overall", "Good", group="Older people", kind=GP_PRACTICE),
        location_row("1-3000000003", "Overall", "Not Rated"),
        location_row("1-6000000006", "Overall", "Good", "not a date"),
    ]
    return write_ods(tmp_path / "2026-11.ods", {"Locations": rows})


def test_the_command_says_what_it_read_skipped_stored_and_changed(ratings_ods):
    out, err = run(ratings_ods)
    assert "Read 9 rows of 2026-11.ods" in out
    assert (
        "Skipped 3: 1 not adult social care, 1 not a rating, 0 duplicate, 1 malformed row." in out
    )
    assert "Stored 6 new rating facts; 0 unchanged (already stored); 3 new care locations." in out
    assert "Providers: 1 took new ratings from this file." in out
    assert "Case studies: 1 flagged (provider's rating dropped), 0 cleared." in out
    assert "row 10: Publication Date 'not a date' is not a date (dd/mm/yyyy)" in err
    assert "Reading (MB): 1/1 (100%" in err  # progress, on stderr

    out, _ = run(ratings_ods, "--quiet-progress")
    assert "was imported before" in out
    assert "Stored 0 new rating facts; 6 unchanged (already stored); 0 new care locations." in out
    assert "Providers: 0 took new ratings" in out and "Case studies: 0 flagged" in out
    assert RatingFact.objects.count() == 6


def test_exit_status_zero_when_the_file_was_read(capsys, ratings_ods):
    status, out, err = exit_status(capsys, ratings_ods, "--quiet-progress")
    assert status == 0
    assert "Stored 6 new rating facts" in out and "CommandError" not in err


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda p: write_csv(p / "people.csv", [["Name", "Email"], ["Sam", "s@example.org"]]),
            "people.csv cannot be read as CQC's ratings file: no header row: none of the first "
            "50 rows of the file has a 'Location ID' cell",
        ),
        (lambda p: p / "missing.ods", "Cannot read {dir}/missing.ods: No such file or directory"),
        (
            lambda p: write_ods(p / "sheet1.ods", {"Sheet1": [HEADERS]}),
            "sheet1.ods cannot be read as CQC's ratings file: no sheet called 'Locations' "
            "(sheets: 'Sheet1')",
        ),
    ],
)
def test_exit_status_one_with_a_one_line_reason(capsys, tmp_path, make, message):
    path = make(tmp_path)
    status, out, err = exit_status(capsys, path)
    assert status == 1
    assert err.strip().count("\n") == 0  # one line
    assert err.startswith("CommandError: ")
    assert message.format(dir=tmp_path) in err
    assert not RatingFact.objects.exists()
