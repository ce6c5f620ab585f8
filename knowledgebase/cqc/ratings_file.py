"""CQC's monthly "Latest ratings" file, read row by row: the Locations sheet of the ODS, or a
CSV of it.

Rows come out as dicts keyed by normalised header ("Location ID" -> "location_id"; the older
"Key Question" is read as "domain"). The header row is the first with a "Location ID" cell,
so banner rows above it are passed over. A file that is not a ratings file (no Locations
sheet, no header row, required columns missing, not a spreadsheet at all) raises
RatingsFileError with a message fit to show as it is.
"""

import csv
import io
import re
from pathlib import Path

from .ods import OdsError, open_content, sheet_rows

LOCATIONS_SHEET = "Locations"

# The Locations sheet's headers as CQC publishes them, in order (the reader needs only some,
# found by name; files that write test data or benchmarks in CQC's layout use the lot).
LOCATIONS_HEADERS = [
    "Location ID",
    "Location ODS Code",
    "Location Name",
    "Care Home?",
    "Location Type",
    "Location Primary Inspection Category",
    "Location Street Address",
    "Location Address Line 2",
    "Location City",
    "Location Post Code",
    "Location Local Authority",
    "Location Region",
    "Location NHS Region",
    "Location ONSPD CCG Code",
    "Location ONSPD CCG",
    "Location Commissioning CCG Code",
    "Location Commissioning CCG Name",
    "Service / Population Group",
    "Domain",
    "Latest Rating",
    "Publication Date",
    "Report Type",
    "Inherited Rating (Y/N)",
    "URL",
    "Provider ID",
    "Provider Name",
    "Brand ID",
    "Brand Name",
]
HEADER_SEARCH_ROWS = 50  # banner rows above the header: CQC has used one or a few
MAX_COLUMNS = 256  # the file has 28; a sheet's last cell is often repeated to column 16,384

# Column keys (header_key of CQC's headers) that the import reads.
LOCATION_ID = "location_id"
LOCATION_NAME = "location_name"
CARE_HOME = "care_home"
LOCATION_TYPE = "location_type"
PRIMARY_INSPECTION_CATEGORY = "location_primary_inspection_category"
STREET_ADDRESS = "location_street_address"
ADDRESS_LINE_2 = "location_address_line_2"
CITY = "location_city"
POSTCODE = "location_post_code"
LOCAL_AUTHORITY = "location_local_authority"
REGION = "location_region"
SERVICE_GROUP = "service_population_group"
DOMAIN = "domain"
LATEST_RATING = "latest_rating"
PUBLICATION_DATE = "publication_date"
REPORT_TYPE = "report_type"
INHERITED = "inherited_rating_y_n"
URL = "url"
PROVIDER_ID = "provider_id"
PROVIDER_NAME = "provider_name"

# Without these a row cannot be read as a rating; the header as CQC spells it, for messages.
REQUIRED_COLUMNS = {
    LOCATION_ID: "Location ID",
    LOCATION_NAME: "Location Name",
    LOCATION_TYPE: "Location Type",
    PRIMARY_INSPECTION_CATEGORY: "Location Primary Inspection Category",
    SERVICE_GROUP: "Service / Population Group",
    DOMAIN: "Domain (or Key Question)",
    LATEST_RATING: "Latest Rating",
    PUBLICATION_DATE: "Publication Date",
}
HEADER_ALIASES = {"key_question": DOMAIN}

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ODS, CSV = "ods", "csv"

_NOT_A_KEY_CHARACTER = re.compile(r"[^a-z0-9]+")


class RatingsFileError(Exception):
    """The file cannot be read as CQC's ratings file; the message says why, in one line."""


def header_key(text):
    """'Service / Population Group' -> 'service_population_group'; 'Key Question' -> 'domain'."""
    key = _NOT_A_KEY_CHARACTER.sub("_", str(text).lower().replace("&", "and")).strip("_")
    return HEADER_ALIASES.get(key, key)


def sniff(path):
    """ODS or CSV, by content: an ODS is a zip archive, whatever its name ends with."""
    with open(path, "rb") as stream:
        magic = stream.read(4)
    if magic in ZIP_MAGIC:
        return ODS
    if Path(path).suffix.lower() == ".ods":
        raise RatingsFileError("not an ODS spreadsheet (it is not a zip archive)")
    return CSV


class RatingsFile:
    """One ratings file. Iterate rows() once; bytes_read() and size say how far it has got.

    Opening it checks only that it exists and what kind it is (OSError if it cannot be
    opened); everything else is found out while reading, without loading it.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.name
        self.kind = sniff(self.path)
        self.size = self.path.stat().st_size  # for an ODS, replaced by content.xml's unpacked
        self.header_row = None
        self.columns = []
        self._stream = None

    def __str__(self):
        return f"the {LOCATIONS_SHEET} sheet" if self.kind == ODS else "the file"

    def bytes_read(self):
        """How much of self.size has been read (the XML inflated, for an ODS)."""
        try:
            return self._stream.tell() if self._stream else 0
        except (OSError, ValueError):  # closed, or not seekable
            return self.size

    def rows(self):
        """(row number, {column key: value}) for each row under the header.

        Values are str, except a date cell of an ODS, which is a datetime.date. A row
        shorter than the header lacks the keys of its missing cells.
        """
        keys = None
        for number, values in self._raw_rows():
            if keys is None:
                if is_header(values):
                    keys = self._read_header(number, values)
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            # A row shorter than the header (trailing blanks are not written) lacks keys.
            yield number, dict(zip(keys, values, strict=False))
        if keys is None:
            raise RatingsFileError(
                f"no header row: none of the first {HEADER_SEARCH_ROWS} rows of {self} has a "
                "'Location ID' cell"
            )

    def _read_header(self, number, values):
        keys, seen = [], set()
        for position, value in enumerate(values, start=1):
            key = header_key(value) or f"column_{position}"
            if key in seen:  # the first column of a name wins
                key = f"{key}_{position}"
            seen.add(key)
            keys.append(key)
        missing = [label for key, label in REQUIRED_COLUMNS.items() if key not in seen]
        if missing:
            raise RatingsFileError(
                f"the header row (row {number} of {self}) has no column "
                f"{', '.join(repr(label) for label in missing)}"
            )
        self.header_row, self.columns = number, keys
        return keys

    def _raw_rows(self):
        return self._ods_rows() if self.kind == ODS else self._csv_rows()

    def _ods_rows(self):
        try:
            archive, stream, self.size = open_content(self.path)
        except OdsError as exc:
            raise RatingsFileError(str(exc)) from exc
        self._stream = stream
        try:
            yield from sheet_rows(stream, LOCATIONS_SHEET, MAX_COLUMNS)
        except OdsError as exc:
            raise RatingsFileError(str(exc)) from exc
        finally:
            stream.close()
            archive.close()

    def _csv_rows(self):
        raw = open(self.path, "rb")  # noqa: SIM115 - closed by the finally below
        self._stream = raw
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        number = 0
        try:
            for number, values in enumerate(csv.reader(text), start=1):
                if any(value.strip() for value in values):
                    yield number, values
        except UnicodeDecodeError as exc:
            raise RatingsFileError(
                f"not UTF-8 text near row {number + 1} ({exc.reason}); save it as CSV UTF-8, "
                "or import the ODS"
            ) from exc
        except csv.Error as exc:
            raise RatingsFileError(f"row {number + 1} is not CSV ({exc})") from exc
        finally:
            text.close()


def is_header(values):
    return any(isinstance(v, str) and v.strip().lower() == "location id" for v in values)
