"""Reading CQC's ratings file: ODS and CSV, banner rows, old headers, cell types, and the
files that are not ratings files."""

import datetime
import zipfile

import pytest

from knowledgebase.cqc.ratings_file import RatingsFile, RatingsFileError, header_key
from knowledgebase.cqc.terms import (
    DOMAIN_CHOICES,
    RATING_SLUGS,
    REGIONS,
    domain_slug,
    rating_slug,
    region_slug,
    service_kind,
)
from knowledgebase.vocabularies import taxonomy
from tests.cqc_files import (
    HEADERS,
    OLD_HEADERS,
    Raw,
    cell_xml,
    location_row,
    write_csv,
    write_ods,
)

BANNER = ["Care Quality Commission: latest ratings, 1 November 2026"]


def read(path):
    return list(RatingsFile(path).rows())


def test_ods_rows_come_keyed_by_header_under_banner_rows(tmp_path):
    path = write_ods(
        tmp_path / "latest.ods",
        {
            "Read me": [["This sheet is not read"], HEADERS],
            "Locations": [
                BANNER,
                [],
                ["Data as at 1 November 2026"],
                HEADERS,
                location_row("1-101", "Safe", "Good"),
            ],
            "Providers": [["Provider ID"], ["1-2000000001"]],
        },
    )
    ratings_file = RatingsFile(path)
    rows = list(ratings_file.rows())
    assert ratings_file.kind == "ods" and ratings_file.header_row == 4
    assert len(rows) == 1
    number, row = rows[0]
    assert number == 5
    assert row["location_id"] == "1-101"
    assert row["domain"] == "Safe" and row["latest_rating"] == "Good"
    assert row["care_home"] == "Y"
    assert row["service_population_group"] == "Overall"
    assert row["inherited_rating_y_n"] == "N"
    assert row["location_region"] == "Yorkshire & Humberside"
    # The whole content of the sheet was read: all its bytes unpacked.
    assert ratings_file.bytes_read() == ratings_file.size > 0


def test_the_old_key_question_header_is_read_as_domain(tmp_path):
    rows = [OLD_HEADERS, location_row("1-101", "Well-led", "Outstanding")]
    for path in (write_ods(tmp_path / "old.ods", {"Locations": rows}), tmp_path / "old.csv"):
        if path.suffix == ".csv":
            write_csv(path, rows)
        [(_, row)] = read(path)
        assert row["domain"] == "Well-led"
        assert "key_question" not in row


def test_ods_cells_as_a_spreadsheet_writes_them(tmp_path):
    t, x = "table", "text"
    row = location_row("1-101")
    row[2] = Raw(  # runs of spaces (text:s), a span and a line break
        f'<{t}:table-cell office:value-type="string"><{x}:p>Rose<{x}:s {x}:c="2"/>Lodge '
        f"<{x}:span>Care</{x}:span><{x}:line-break/>Home</{x}:p></{t}:table-cell>"
    )
    row[20] = datetime.date(2024, 4, 3)  # a date cell: office:date-value, shown as "03 Apr 2024"
    row[24] = Raw(  # a number cell whose value is only in office:value
        f'<{t}:table-cell office:value-type="float" office:value="42"/>'
    )
    # Two empty columns written as one repeated cell, then a merged cell's covered neighbour.
    row[6:9] = [
        Raw(f'<{t}:table-cell {t}:number-columns-repeated="2"/>'),
        Raw(
            f'<{t}:covered-table-cell office:value-type="string"><{x}:p>Leeds</{x}:p>'
            f"</{t}:covered-table-cell>"
        ),
    ]
    repeated = Raw(
        f'<{t}:table-row {t}:number-rows-repeated="2">'
        + "".join(cell_xml(v) for v in location_row("1-102"))
        + f"</{t}:table-row>"
    )
    path = write_ods(tmp_path / "cells.ods", {"Locations": [HEADERS, row, repeated]})
    rows = read(path)
    assert [number for number, _ in rows] == [2, 3, 4]  # the repeated row twice
    first = rows[0][1]
    assert first["location_name"] == "Rose  Lodge Care\nHome"
    assert first["publication_date"] == datetime.date(2024, 4, 3)
    assert first["provider_id"] == "42"
    assert first["location_street_address"] == "" and first["location_address_line_2"] == ""
    assert first["location_city"] == "Leeds"
    assert first["location_post_code"] == "LS1 1AA"  # columns after the repeat keep their place
    assert rows[1][1]["location_id"] == rows[2][1]["location_id"] == "1-102"


def test_table_header_rows_and_row_groups_are_read(tmp_path):
    t = "table"
    header = "".join(
        f'<{t}:table-cell office:value-type="string"><text:p>{h}</text:p></{t}:table-cell>'
        for h in HEADERS
    )
    grouped = Raw(
        f"<{t}:table-header-rows><{t}:table-row>{header}</{t}:table-row></{t}:table-header-rows>"
    )
    path = write_ods(tmp_path / "grouped.ods", {"Locations": [grouped, location_row("1-101")]})
    assert [row["location_id"] for _, row in read(path)] == ["1-101"]


def test_csv_with_a_byte_order_mark_and_a_banner(tmp_path):
    path = write_csv(tmp_path / "latest.csv", [BANNER, HEADERS, location_row("1-101"), []])
    ratings_file = RatingsFile(path)
    rows = list(ratings_file.rows())
    assert ratings_file.kind == "csv" and ratings_file.header_row == 2
    assert [(n, row["location_id"]) for n, row in rows] == [(3, "1-101")]
    assert rows[0][1]["publication_date"] == "01/03/2024"


def test_an_ods_is_known_by_its_content_whatever_its_name(tmp_path):
    path = write_ods(tmp_path / "latest-ratings.download", {"Locations": [HEADERS]})
    assert RatingsFile(path).kind == "ods"


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda p: write_ods(p / "x.ods", {"Sheet1": [HEADERS]}),
            "no sheet called 'Locations' (sheets: 'Sheet1')",
        ),
        (
            lambda p: write_ods(p / "x.ods", {"Locations": [BANNER, ["Location Name"]]}),
            "no header row: none of the first 50 rows of the Locations sheet has a "
            "'Location ID' cell",
        ),
        (
            lambda p: write_csv(p / "x.csv", [["name", "email"], ["Sam", "sam@example.org"]]),
            "no header row",
        ),
        (
            lambda p: write_csv(p / "x.csv", [["Location ID", "Location Name", "Domain"]]),
            "has no column 'Location Type', 'Location Primary Inspection Category', "
            "'Service / Population Group', 'Latest Rating', 'Publication Date'",
        ),
        (lambda p: _write(p / "x.ods", b"not a zip"), "not an ODS spreadsheet"),
        (lambda p: _xlsx(p / "x.xlsx"), "an Excel workbook (.xlsx), not an ODS spreadsheet"),
        (lambda p: _write(p / "x.csv", b"Location ID,\xff\xfe\n"), "not UTF-8 text"),
        (lambda p: _write(p / "x.ods", b"PK\x03\x04 truncated"), "not an ODS spreadsheet"),
    ],
)
def test_files_that_are_not_ratings_files_say_why(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(RatingsFileError) as error:
        read(path)
    assert message in str(error.value)


def test_a_damaged_ods_says_so(tmp_path):
    path = write_ods(tmp_path / "x.ods", {"Locations": [HEADERS, location_row("1-101")]})
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", content[: len(content) // 2])  # cut off mid-XML
    with pytest.raises(RatingsFileError, match="not well-formed XML"):
        read(path)


def _write(path, data):
    path.write_bytes(data)
    return path


def _xlsx(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


def test_header_keys():
    assert header_key("Service / Population Group") == "service_population_group"
    assert header_key("Care Home?") == "care_home"
    assert header_key(" Inherited Rating (Y/N) ") == "inherited_rating_y_n"
    assert header_key("Key Question") == header_key("Domain") == "domain"


def test_cqc_terms_map_to_the_taxonomy():
    fixed = taxonomy()
    assert set(RATING_SLUGS.values()) == {t["slug"] for t in fixed["ratings"]}
    assert set(REGIONS.values()) == {t["slug"] for t in fixed["regions"]}
    assert {slug for slug, _ in DOMAIN_CHOICES} == {"overall"} | {
        t["slug"] for t in fixed["key_questions"]
    }
    assert rating_slug("REQUIRES IMPROVEMENT") == "requires-improvement"
    assert rating_slug("outstanding") == "outstanding"
    assert rating_slug("Not Rated") is None and rating_slug("Not applicable") is None
    assert rating_slug("") is None
    assert domain_slug("Well-led") == domain_slug("well led") == "well-led"
    assert domain_slug("Older people") is None
    assert region_slug("East") == "east-of-england"
    assert region_slug("Yorkshire & Humberside") == "yorkshire-and-the-humber"
    assert region_slug("Unspecified") == ""
    assert service_kind("Social Care Org", "Residential social care") == "care-home"
    assert (
        service_kind("SOCIAL CARE ORG", "Community based adult social care services") == "community"
    )
    assert service_kind("Primary Medical Services", "GP Practices") is None
