"""Writes the demo CQC "Latest ratings" file, cqc_latest_ratings.csv beside this script, so
that `make run` shows a curator the Coverage screen with something in it.

    .venv/bin/python -m knowledgebase.demo.cqc_ratings

The same file every time (a fixed seed): 600 invented adult social care locations across
the nine regions, care homes and community services, each with the six ratings of its last
inspection in CQC's layout (the Locations sheet, as a CSV), and a few rows of the rest of
CQC's register (a GP practice, a dentist, a hospital) that the import skips. Most are Good,
about one in six Requires improvement overall and one or two in a hundred Inadequate, some
Outstanding; Safe and Well-led are the weakest key questions, as in CQC's own figures, and
some regions and kinds struggle more than others so that the screen has gaps to show.

The location ids start 1-999 (1-9990000001 on): no demo case study's provider uses one
(knowledgebase/demo/case_studies.jsonl), so importing this file changes no provider's
ratings. Run it again after changing it, and commit the CSV it writes.
"""

import csv
import datetime
import random
from pathlib import Path

from knowledgebase.cqc.ratings_file import LOCATIONS_HEADERS

OUTPUT = Path(__file__).resolve().parent / "cqc_latest_ratings.csv"
SEED = 20261201
LOCATIONS = 600
FIRST_LOCATION_ID = 9990000001  # 1-9990000001: clear of every demo provider's id
FIRST_PROVIDER_ID = 9995000001

DOMAINS = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
# Chance of each rating in a domain for a service of middling quality:
# (Outstanding, Requires improvement, Inadequate); the rest is Good.
DOMAIN_CHANCES = {
    "Safe": (0.02, 0.23, 0.010),
    "Effective": (0.03, 0.12, 0.005),
    "Caring": (0.08, 0.025, 0.002),
    "Responsive": (0.06, 0.10, 0.005),
    "Well-led": (0.04, 0.19, 0.012),
}
# Region as CQC spells it, its share of locations, how much more often its services
# struggle (1 = as everywhere), and a town and local authority for the address.
REGIONS = (
    ("North East", 5, 1.3, "Durham", "County Durham"),
    ("North West", 14, 1.5, "Wigan", "Wigan"),
    ("Yorkshire & Humberside", 10, 1.1, "Wakefield", "Wakefield"),
    ("East Midlands", 9, 1.0, "Lincoln", "Lincolnshire"),
    ("West Midlands", 10, 1.2, "Walsall", "Walsall"),
    ("East", 11, 0.8, "Ipswich", "Suffolk"),
    ("London", 11, 1.0, "Croydon", "Croydon"),
    ("South East", 17, 0.7, "Maidstone", "Kent"),
    ("South West", 13, 0.6, "Taunton", "Somerset"),
)
# (Care Home?, Primary Inspection Category, share, how much more often they struggle)
KINDS = (
    ("Y", "Residential social care", 55, 1.1),
    ("N", "Community based adult social care services", 45, 0.85),
)
NAMES = (
    "Alder",
    "Beech",
    "Birch",
    "Cedar",
    "Elm",
    "Hawthorn",
    "Hazel",
    "Holly",
    "Juniper",
    "Larch",
    "Linden",
    "Maple",
    "Oak",
    "Rowan",
    "Willow",
    "Yew",
)
CARE_HOME_NAMES = ("House", "Lodge", "Court", "Grange", "Manor")
COMMUNITY_NAMES = ("Home Care", "Support Services", "Care at Home", "Supported Living")
# The rest of CQC's register: skipped by the import (not adult social care).
OTHER_REGISTER = (
    ("1-9991000001", "Demo Road Surgery", "Primary Medical Services", "GP Practices"),
    ("1-9991000002", "Demo Dental Practice", "Primary Dental Care", "Dentists"),
    ("1-9991000003", "Demo General Hospital", "NHS Healthcare Organisation", "Acute hospital"),
)


def overall(ratings):
    """CQC's overall rating from the five (in DOMAINS order), roughly as its aggregation
    rules go: Inadequate in Safe or Well-led, or in two, is Inadequate overall; Requires
    improvement in two, or an Inadequate elsewhere, is Requires improvement."""
    safe, _, _, _, well_led = ratings
    if ratings.count("Inadequate") >= 2 or "Inadequate" in (safe, well_led):
        return "Inadequate"
    if "Inadequate" in ratings or ratings.count("Requires improvement") >= 2:
        return "Requires improvement"
    if ratings.count("Outstanding") >= 2 and "Requires improvement" not in ratings:
        return "Outstanding"
    return "Good"


def domain_rating(rng, domain, struggling):
    outstanding, requires_improvement, inadequate = DOMAIN_CHANCES[domain]
    roll = rng.random()
    if roll < inadequate * struggling:
        return "Inadequate"
    if roll < (inadequate + requires_improvement) * struggling:
        return "Requires improvement"
    if roll > 1 - outstanding / struggling:
        return "Outstanding"
    return "Good"


def location_rows(rng, number):
    location_id = f"1-{FIRST_LOCATION_ID + number}"
    region, _, region_factor, city, local_authority = rng.choices(
        REGIONS, weights=[r[1] for r in REGIONS]
    )[0]
    care_home, category, _, kind_factor = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
    # Some services struggle across the board: one in six, more than twice as often.
    struggling = region_factor * kind_factor * (2.4 if rng.random() < 0.17 else 0.75)
    ratings = [domain_rating(rng, domain, struggling) for domain in DOMAINS]
    suffix = rng.choice(CARE_HOME_NAMES if care_home == "Y" else COMMUNITY_NAMES)
    name = f"{rng.choice(NAMES)} {suffix} {number + 1} (demo)"
    published = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(2800))
    provider = FIRST_PROVIDER_ID + number // 3  # a few locations to each provider
    values = {
        "Location ID": location_id,
        "Location Name": name,
        "Care Home?": care_home,
        "Location Type": "Social Care Org",
        "Location Primary Inspection Category": category,
        "Location Street Address": f"{number + 1} Demo Road",
        "Location City": city,
        "Location Local Authority": local_authority,
        "Location Region": region,
        "Service / Population Group": "Overall",
        "Publication Date": f"{published:%d/%m/%Y}",
        "Report Type": "Location",
        "Inherited Rating (Y/N)": "N",
        "URL": f"https://www.cqc.org.uk/location/{location_id}",
        "Provider ID": f"1-{provider}",
        "Provider Name": f"Demo Care Group {provider - FIRST_PROVIDER_ID + 1} Ltd",
    }
    for domain, rating in (("Overall", overall(ratings)), *zip(DOMAINS, ratings, strict=True)):
        yield {**values, "Domain": domain, "Latest Rating": rating}


def other_rows():
    for location_id, name, location_type, category in OTHER_REGISTER:
        yield {
            "Location ID": location_id,
            "Location Name": name,
            "Care Home?": "N",
            "Location Type": location_type,
            "Location Primary Inspection Category": category,
            "Location Region": "London",
            "Service / Population Group": "Overall",
            "Domain": "Overall",
            "Latest Rating": "Good",
            "Publication Date": "01/06/2025",
            "Report Type": "Location",
            "Inherited Rating (Y/N)": "N",
        }


def write(path=OUTPUT, seed=SEED, locations=LOCATIONS):
    rng = random.Random(seed)
    # As CQC's CSV exports are: UTF-8 with a byte order mark, CRLF line ends.
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, LOCATIONS_HEADERS, restval="")
        writer.writeheader()
        for number in range(locations):
            writer.writerows(location_rows(rng, number))
        writer.writerows(other_rows())
    return path


if __name__ == "__main__":
    print(f"Wrote {write()}")
