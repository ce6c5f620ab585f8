"""One sheet of an OpenDocument spreadsheet (.ods), row by row, in flat memory.

CQC's ratings file is 26 MB zipped but over 1 GB of XML, so the sheet is never loaded:
content.xml is inflated as it is parsed (zipfile), ElementTree's iterparse builds one row at
a time, and the row's parent is emptied once the row is read. Only what a cell shows is
kept: its paragraphs (text:p, with text:s runs of spaces, tabs and line breaks), or for a
date cell its office:date-value as a datetime.date.
"""

import datetime
import xml.etree.ElementTree as ET
import zipfile
import zlib

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

TABLE = f"{TABLE_NS}table"
TABLE_NAME = f"{TABLE_NS}name"
ROW = f"{TABLE_NS}table-row"
CELL = f"{TABLE_NS}table-cell"
COVERED_CELL = f"{TABLE_NS}covered-table-cell"  # hidden under a merged cell; still a column
ROWS_REPEATED = f"{TABLE_NS}number-rows-repeated"
COLUMNS_REPEATED = f"{TABLE_NS}number-columns-repeated"
# Elements whose children are rows: a row's parent, emptied after each row.
ROW_CONTAINERS = {
    TABLE,
    f"{TABLE_NS}table-header-rows",
    f"{TABLE_NS}table-rows",
    f"{TABLE_NS}table-row-group",
}
VALUE_TYPE = f"{OFFICE_NS}value-type"
DATE_VALUE = f"{OFFICE_NS}date-value"
VALUE = f"{OFFICE_NS}value"
PARAGRAPH = f"{TEXT_NS}p"
HEADING = f"{TEXT_NS}h"
SPACES = f"{TEXT_NS}s"
SPACE_COUNT = f"{TEXT_NS}c"
TAB = f"{TEXT_NS}tab"
LINE_BREAK = f"{TEXT_NS}line-break"
NUMERIC_TYPES = {"float", "percentage", "currency"}


class OdsError(Exception):
    """The file is not an ODS spreadsheet, or it is damaged; the message says which."""


def open_content(path):
    """(the zip archive, its content.xml as a binary stream, that size unpacked); close both."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise OdsError(f"not an ODS spreadsheet (not a zip archive: {exc})") from exc
    names = set(archive.namelist())
    if "content.xml" not in names:
        archive.close()
        if "[Content_Types].xml" in names:
            raise OdsError("an Excel workbook (.xlsx), not an ODS spreadsheet")
        raise OdsError("not an ODS spreadsheet (the zip archive has no content.xml)")
    if "mimetype" in names:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if mimetype != ODS_MIMETYPE:
            archive.close()
            raise OdsError(f"an OpenDocument file of type {mimetype}, not a spreadsheet")
    size = archive.getinfo("content.xml").file_size
    return archive, archive.open("content.xml"), size


def sheet_rows(stream, sheet_name, max_columns=1024):
    """(row number, [cell values]) for each non-blank row of the sheet called sheet_name.

    Values are str, or datetime.date for date cells; trailing blank cells are dropped and
    at most max_columns are read (a sheet's last cell is often repeated 16,000 times over).
    Raises OdsError when there is no such sheet, naming the sheets there are.
    """
    wanted = sheet_name.strip().lower()
    sheets, containers = [], []
    in_sheet = False
    row_number = 0
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag in ROW_CONTAINERS:
                    containers.append(element)
                    if tag == TABLE:
                        name = element.get(TABLE_NAME, "")
                        sheets.append(name)
                        in_sheet = name.strip().lower() == wanted
                continue
            if tag == ROW:
                if in_sheet:
                    values = row_values(element, max_columns)
                    repeated = int(element.get(ROWS_REPEATED, "1"))
                    if values:
                        for _ in range(repeated):
                            row_number += 1
                            yield row_number, values
                    else:
                        row_number += repeated
                if containers:
                    containers[-1].clear()  # the row is read: let it go
            elif tag in ROW_CONTAINERS:
                containers.pop()
                if tag == TABLE:
                    element.clear()
                    if in_sheet:
                        return  # the rest of the file is other sheets
    except ET.ParseError as exc:
        raise OdsError(f"content.xml is not well-formed XML ({exc})") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise OdsError(f"the ODS file is damaged ({exc})") from exc
    found = ", ".join(repr(name) for name in sheets) or "none"
    raise OdsError(f"no sheet called {sheet_name!r} (sheets: {found})")


def row_values(row, max_columns):
    values = []
    blanks = 0  # blank cells not yet added: trailing ones never are
    for cell in row:
        tag = cell.tag
        if tag != CELL and tag != COVERED_CELL:
            continue
        # Inline, the two cells of nearly every row (9 million of them in CQC's file): one
        # plain paragraph, or nothing at all.
        children = len(cell)
        if children == 1 and cell.get(VALUE_TYPE) != "date":
            paragraph = cell[0]
            if len(paragraph) == 0 and paragraph.tag == PARAGRAPH:
                value = paragraph.text or ""
            else:
                value = cell_value(cell)
        elif children == 0 and cell.get(VALUE_TYPE) is None:
            value = ""
        else:
            value = cell_value(cell)
        repeated = cell.get(COLUMNS_REPEATED)
        count = int(repeated) if repeated else 1
        if value == "":
            blanks += count
            continue
        if blanks:
            if len(values) + blanks >= max_columns:
                break
            values.extend([""] * blanks)
            blanks = 0
        if count == 1:
            values.append(value)
        else:
            values.extend([value] * min(count, max_columns - len(values)))
        if len(values) >= max_columns:
            break
    return values


def cell_value(cell):
    value_type = cell.get(VALUE_TYPE)
    if value_type == "date":
        date = parse_date_value(cell.get(DATE_VALUE, ""))
        if date is not None:
            return date
    if len(cell) == 0:
        return cell.get(VALUE, "") if value_type in NUMERIC_TYPES else ""
    paragraphs = [paragraph_text(p) for p in cell if p.tag == PARAGRAPH or p.tag == HEADING]
    text = "\n".join(paragraphs)
    if not text and value_type in NUMERIC_TYPES:
        return cell.get(VALUE, "")
    return text


def paragraph_text(element):
    """A paragraph's text as shown: text:s is a run of spaces (text:c of them, default 1)."""
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == SPACES:
            parts.append(" " * int(child.get(SPACE_COUNT, "1")))
        elif tag == TAB:
            parts.append("\t")
        elif tag == LINE_BREAK:
            parts.append("\n")
        else:  # text:span, text:a and other inline elements: their text, recursively
            parts.append(paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def parse_date_value(text):
    """office:date-value is ISO 8601: 2024-03-01, or with a time, 2024-03-01T00:00:00."""
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
