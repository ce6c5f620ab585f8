"""Import of CQC's Latest ratings file: N rows of ODS into a fresh SQLite database.

    .venv/bin/python benchmarks/cqc_ratings_import.py [N]     (default 320000, CQC's size)
    .venv/bin/python benchmarks/cqc_ratings_import.py N --no-demo-content

Writes an ODS in CQC's layout, streamed (never held in memory), into a temporary folder:
mostly adult social care locations with a row per domain (Overall, Safe, Effective,
Caring, Responsive, Well-led), and GP practices and dentists with population-group rows,
cells written as LibreOffice writes them (styles, value types, the last cell of each row
repeated to column 16,384), about 1.2 GB of XML for 320,000 rows, as in CQC's own file.
The demo case studies are loaded first, and their providers' locations are in the file
(some now rated lower), so refreshing providers and re-checking case studies do real work.
Then `manage.py import_cqc_ratings` runs twice (new facts; the same file again) in a child
process, timed; peak_rss_mb is the child's own peak (ru_maxrss from wait4).
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The file's layout only: no Django needed (the import runs in a child process).
from knowledgebase.cqc.ratings_file import LOCATIONS_HEADERS  # noqa: E402

DEMO = ROOT / "knowledgebase" / "demo" / "case_studies.jsonl"

HEADERS = LOCATIONS_HEADERS
DOMAINS = ["Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led"]
POPULATION_GROUPS = [
    "Older people",
    "People with long term conditions",
    "Families, children and young people",
    "Working age people (including those recently retired and students)",
    "People whose circumstances may make them vulnerable",
    "People experiencing poor mental health (including people with dementia)",
]
REGIONS = [
    ("London", "London"),
    ("South East", "South East"),
    ("South West", "South West"),
    ("East", "East of England"),
    ("East Midlands", "Midlands"),
    ("West Midlands", "Midlands"),
    ("North East", "North East and Yorkshire"),
    ("North West", "North West"),
    ("Yorkshire & Humberside", "North East and Yorkshire"),
]
CITIES = ["Leeds", "Bristol", "Norwich", "Derby", "Coventry", "Durham", "Preston", "Brighton"]
# Adult social care ratings, roughly as CQC's are spread; a few locations not rated.
ASC_RATINGS = ["Good"] * 75 + ["Requires improvement"] * 17 + ["Outstanding"] * 5
ASC_RATINGS += ["Inadequate"] * 2 + ["Not Rated"]
KINDS = [
    ("Y", "Social Care Org", "Residential social care"),
    ("N", "Social Care Org", "Community based adult social care services"),
]
OTHERS = [
    ("N", "Primary Medical Services", "GP Practices"),
    ("N", "Primary Dental Care", "Dentists"),
]

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
EMPTY_CELL = '<table:table-cell table:style-name="ce2"/>'


def cell(value):
    if not value:
        return EMPTY_CELL
    return (
        '<table:table-cell table:style-name="ce1" office:value-type="string" '
        f'calcext:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    )


def row(values):
    return (
        '<table:table-row table:style-name="ro1">'
        + "".join(cell(v) for v in values)
        + f'<table:table-cell table:number-columns-repeated="{16384 - len(values)}"/>'
        + "</table:table-row>"
    )


def demo_locations():
    """(location id, its new ratings in DOMAINS order) for each demo provider."""
    seen = {}
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        provider = json.loads(line)["provider"]
        seen.setdefault(provider["cqc_location_id"], provider)
    out = []
    for n, (location_id, provider) in enumerate(sorted(seen.items())):
        if n % 3 == 0:  # a third of them: no longer Outstanding anywhere
            out.append((location_id, ["Good"] * 6))
        else:
            kq = provider.get("key_question_ratings", {})
            label = {"outstanding": "Outstanding", "good": "Good"}
            overall = label.get(provider["overall_rating"], "Requires improvement")
            out.append(
                (
                    location_id,
                    [overall] + [label.get(kq.get(d.lower(), ""), "Good") for d in DOMAINS[1:]],
                )
            )
    return out


def location_rows(n_rows, rng):
    """Rows in CQC's layout, n_rows of them: about 80% adult social care."""
    written, number = 0, 0
    demo = demo_locations()
    start = datetime.date(2016, 1, 1)
    while written < n_rows:
        number += 1
        if demo:
            location_id, ratings = demo.pop()
            care_home, kind, category = KINDS[0]
        else:
            location_id = f"1-{100000000 + number}"
            adult_social_care = number % 6 != 0
            care_home, kind, category = rng.choice(KINDS if adult_social_care else OTHERS)
            ratings = [rng.choice(ASC_RATINGS) for _ in DOMAINS] if adult_social_care else None
        region, nhs_region = rng.choice(REGIONS)
        city = rng.choice(CITIES)
        published = (start + datetime.timedelta(days=rng.randrange(3900))).strftime("%d/%m/%Y")
        common = {
            "Location ID": location_id,
            "Location ODS Code": f"VN{number:05d}",
            "Location Name": f"{rng.choice(['Oak', 'Elm', 'Rose', 'Ash'])} House {number}",
            "Care Home?": care_home,
            "Location Type": kind,
            "Location Primary Inspection Category": category,
            "Location Street Address": f"{number % 300 + 1} Station Road",
            "Location City": city,
            "Location Post Code": f"LS{number % 30} {number % 9}AB",
            "Location Local Authority": city,
            "Location Region": region,
            "Location NHS Region": nhs_region,
            "Location ONSPD CCG Code": "E38000225",
            "Location ONSPD CCG": f"NHS {city} ICB",
            "Location Commissioning CCG Code": "15F",
            "Location Commissioning CCG Name": f"NHS {city} ICB",
            "Publication Date": published,
            "Report Type": "Location",
            "Inherited Rating (Y/N)": "N",
            "URL": f"https://www.cqc.org.uk/location/{location_id}",
            "Provider ID": f"1-{200000000 + number // 3}",
            "Provider Name": f"Provider {number // 3} Ltd",
            "Brand ID": "-",
            "Brand Name": "-",
        }
        if ratings is not None:
            groups = [("Overall", d, r) for d, r in zip(DOMAINS, ratings, strict=True)]
        else:  # a GP practice or dentist: population groups too
            rating = rng.choice(["Good", "Good", "Outstanding", "Requires improvement"])
            groups = [("Overall", d, rating) for d in DOMAINS] + [
                (group, "Overall", rating) for group in POPULATION_GROUPS
            ]
        for group, domain, rating in groups:
            values = {**common, "Service / Population Group": group, "Domain": domain}
            values["Latest Rating"] = rating
            yield [values.get(h, "") for h in HEADERS]
            written += 1
            if written >= n_rows:
                return


def write_ods(path, n_rows):
    rng = random.Random(20261101)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as ods:
        ods.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        ods.writestr("META-INF/manifest.xml", MANIFEST)
        with ods.open("content.xml", "w", force_zip64=True) as content:
            content.write(
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} '
                'office:version="1.3"><office:body><office:spreadsheet>'
                '<table:table table:name="Locations" table:style-name="ta1">'
                '<table:table-column table:number-columns-repeated="16384"/>'.encode()
            )
            content.write(row(["Care Quality Commission: latest ratings"]).encode())
            content.write(row(HEADERS).encode())
            buffer = []
            for values in location_rows(n_rows, rng):
                buffer.append(row(values))
                if len(buffer) >= 2000:
                    content.write("".join(buffer).encode())
                    buffer = []
            content.write("".join(buffer).encode())
            content.write(
                b'<table:table-row table:number-rows-repeated="1048000">'
                b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
                b'</table:table><table:table table:name="Providers">'
                + row(["Provider ID", "Provider Name"]).encode()
                + row(["1-200000001", "Provider 1 Ltd"]).encode()
                + b"</table:table></office:spreadsheet></office:body></office:document-content>"
            )
        return ods.getinfo("content.xml").file_size


def timed(command, env):
    """(seconds, peak RSS in MB, stdout) of a child process."""
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if child.returncode:
        print(out)
        sys.exit(f"{' '.join(command[1:3])} exited with {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024, out  # ru_maxrss is in KB on Linux


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=320_000)
    parser.add_argument("--no-demo-content", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "latest-ratings.ods"
        started = time.monotonic()
        xml_size = write_ods(path, args.n)
        print(
            f"wrote {path.name}: {args.n} rows, {path.stat().st_size / 1e6:.0f} MB zipped, "
            f"{xml_size / 1e6:.0f} MB of XML, in {time.monotonic() - started:.0f}s",
            file=sys.stderr,
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "ELASTICSEARCH_URL": "",
            "DEBUG": "false",  # as in production: no query log
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        if not args.no_demo_content:
            subprocess.run(
                [*manage, "load_demo_content"], env=env, check=True, stdout=subprocess.DEVNULL
            )
        command = [*manage, "import_cqc_ratings", str(path)]
        for label in ("", " (the same file again)"):
            seconds, peak, out = timed(command, env)
            print(out.strip(), file=sys.stderr)
            print(
                f"cqc_ratings_import{label} rows={args.n} seconds={seconds:.1f} "
                f"peak_rss_mb={peak:.0f}"
            )


if __name__ == "__main__":
    main()
