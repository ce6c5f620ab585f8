"""Small CQC "Latest ratings" files for tests, in CQC's layout: ODS (written here with
zipfile: mimetype, META-INF/manifest.xml and content.xml, as LibreOffice writes them) and CSV.

    rows = [HEADERS, location_row("1-101", domain="Safe", rating="Good"), ...]
    write_ods(path, {"Locations": rows, "Providers": [...]})
    write_csv(path, rows)

A cell is a str, a datetime.date (a date cell: office:date-value, shown as text), None (an
empty cell) or Raw("<table:table-cell ...>") for anything else; a row may be Raw too.
"""

import csv
import datetime
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from knowledgebase.cqc.ratings_file import LOCATIONS_HEADERS

HEADERS = LOCATIONS_HEADERS
OLD_HEADERS = ["Key Question" if h == "Domain" else h for h in HEADERS]
DOMAINS = ["Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led"]

CARE_HOME = {
    "Care Home?": "Y",
    "Location Type": "Social Care Org",
    "Location Primary Inspection Category": "Residential social care",
}
HOMECARE = {
    "Care Home?": "N",
    "Location Type": "Social Care Org",
    "Location Primary Inspection Category": "Community based adult social care services",
}
GP_PRACTICE = {
    "Care Home?": "N",
    "Location Type": "Primary Medical Services",
    "Location Primary Inspection Category": "GP Practices",
}
DENTIST = {
    "Care Home?": "N",
    "Location Type": "Primary Dental Care",
    "Location Primary Inspection Category": "Dentists",
}


def location_row(
    location_id,
    domain="Overall",
    rating="Outstanding",
    published="01/03/2024",
    group="Overall",
    kind=None,
    columns=None,
):
    """One row in CQC's layout: a care home unless kind says otherwise (HOMECARE,
    GP_PRACTICE, DENTIST); columns, by header, replace any value."""
    values = {
        "Location ID": location_id,
        "Location ODS Code": f"V{location_id[-5:]}",
        "Location Name": f"Location {location_id}",
        **(kind or CARE_HOME),
        "Location Street Address": "1 High Street",
        "Location City": "Leeds",
        "Location Post Code": "LS1 1AA",
        "Location Local Authority": "Leeds",
        "Location Region": "Yorkshire & Humberside",
        "Location NHS Region": "North East and Yorkshire",
        "Service / Population Group": group,
        "Domain": domain,
        "Latest Rating": rating,
        "Publication Date": published,
        "Report Type": "Location",
        "Inherited Rating (Y/N)": "N",
        "URL": f"https://www.cqc.org.uk/location/{location_id}",
        "Provider ID": "1-2000000001",
        "Provider Name": "Example Care Ltd",
        "Brand ID": "-",
        "Brand Name": "-",
        **(columns or {}),
    }
    return [values.get(h, "") for h in HEADERS]


def location_rows(location_id, ratings, published="01/03/2024", **options):
    """A location's six rows: ratings is one rating for all, or a list in DOMAINS order."""
    if isinstance(ratings, str):
        ratings = [ratings] * len(DOMAINS)
    return [
        location_row(location_id, domain, rating, published, **options)
        for domain, rating in zip(DOMAINS, ratings, strict=True)
    ]


# --- ODS -------------------------------------------------------------------------------

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


@dataclass
class Raw:
    """XML written as it is: a whole cell, or a whole row."""

    xml: str


def cell_xml(value):
    if isinstance(value, Raw):
        return value.xml
    if value is None or value == "":
        return '<table:table-cell table:style-name="ce2"/>'
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"'
            f' calcext:value-type="date"><text:p>{value:%d %b %Y}</text:p></table:table-cell>'
        )
    return (
        '<table:table-cell table:style-name="ce1" office:value-type="string" '
        f'calcext:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    )


def row_xml(row):
    if isinstance(row, Raw):
        return row.xml
    # As a spreadsheet writes it: the rest of the row's 16,384 columns as one repeated cell.
    rest = 16384 - len(row)
    return (
        '<table:table-row table:style-name="ro1">'
        + "".join(cell_xml(value) for value in row)
        + f'<table:table-cell table:number-columns-repeated="{rest}"/></table:table-row>'
    )


def write_ods(path, sheets):
    """An ODS file at path with {sheet name: rows}, rows written as they are iterated."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        with archive.open("content.xml", "w", force_zip64=True) as content:
            write = content.write
            write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES} '
                'office:version="1.3"><office:body><office:spreadsheet>'.encode()
            )
            for name, rows in sheets.items():
                write(
                    f"<table:table table:name={quoteattr(name)}>"
                    '<table:table-column table:number-columns-repeated="16384"/>'.encode()
                )
                for row in rows:
                    write(row_xml(row).encode())
                # A spreadsheet's empty rows to the end of the sheet, as one repeated row.
                write(
                    b'<table:table-row table:number-rows-repeated="1048000">'
                    b'<table:table-cell table:number-columns-repeated="16384"/>'
                    b"</table:table-row></table:table>"
                )
            write(b"</office:spreadsheet></office:body></office:document-content>")
    return path


def write_csv(path, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
