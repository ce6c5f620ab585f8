"""Coverage: where practice is thin against where services struggle (the admin's "Coverage"
screen and its CSV downloads).

Supply is the published case studies, counted by the search service itself (six searches:
one per key question and one without), so each count is exactly what the linked public
search shows. Demand is the adult social care locations whose current CQC rating in a key
question is Requires improvement or Inadequate, counted in SQL from the imported ratings
(knowledgebase/cqc/). Demand against supply joins the two by service kind and by region, and
the callouts rank its cells by struggling services per case study.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from knowledgebase.cqc.ratings import CareLocation, RatingFact
from knowledgebase.cqc.ratings_import import RatingsImport
from knowledgebase.cqc.terms import CARE_HOME, COMMUNITY, OVERALL_GROUP, SERVICE_KIND_CHOICES
from knowledgebase.vocabularies import labels
from search import backends
from search.facets import FACETS_BY_NAME
from search.query import SearchQuery

# The ratings that mean a service is struggling (the taxonomy's rating slugs).
STRUGGLING_RATINGS = ("requires-improvement", "inadequate")
STRUGGLING_WORDS = " or ".join(labels("ratings")[slug] for slug in STRUGGLING_RATINGS)

# A case study has one service type (its provider's); CQC's file has two service kinds. The
# supply of a kind is the sum of its service types' counts. Day services are not a kind CQC
# registers (they are not in its ratings file), so they have no demand to set against.
SERVICE_TYPES_OF_KIND = {
    CARE_HOME: ("residential-care-home", "nursing-home"),
    COMMUNITY: ("homecare", "supported-living", "extra-care-housing", "shared-lives"),
}
NOT_REGISTERED_BY_CQC = ("day-service",)


def service_types_of_kind():
    """[(kind label, [its service types' labels])], for the screen's note."""
    names = labels("service_types")
    return [
        (label, [names[slug] for slug in SERVICE_TYPES_OF_KIND[kind]])
        for kind, label in SERVICE_KIND_CHOICES
    ]


def not_registered_service_types():
    names = labels("service_types")
    return [names[slug] for slug in NOT_REGISTERED_BY_CQC]


# How a kind reads inside a sentence ("Safe in care homes").
KIND_PHRASES = {CARE_HOME: "care homes", COMMUNITY: "community based services"}
# Regions named without "the" in a sentence ("in London", "in Yorkshire and the Humber");
# the compass regions take it ("in the North West").
REGIONS_WITHOUT_THE = ("london", "yorkshire-and-the-humber")


def place_phrase(slug, label):
    """Where a row is, inside a sentence: "care homes", "the North West", "London"."""
    if slug in KIND_PHRASES:
        return KIND_PHRASES[slug]
    return label if slug in REGIONS_WITHOUT_THE else f"the {label}"


# A callout needs at least this many struggling services: two or three say little.
CALLOUT_MIN_STRUGGLING = 5
CALLOUT_LIMIT = 5

# What supply grids count by: (facet name, the grid's slug, its row heading).
SUPPLY_DIMENSIONS = (
    ("theme", "supply-theme", "Theme"),
    ("service_type", "supply-service-type", "Service type"),
    ("region", "supply-region", "Region"),
)


# --- Bands: the shade of a cell, said in words too ---------------------------------------


@dataclass(frozen=True)
class Band:
    css_class: str
    words: str  # the legend's words for it, e.g. "1 to 2"
    low: float
    high: float  # included


def supply_bands():
    return (
        Band("coverage-band--none", "none (0)", 0, 0),
        Band("coverage-band--1", "1 to 2", 1, 2),
        Band("coverage-band--2", "3 to 5", 3, 5),
        Band("coverage-band--3", "6 or more", 6, float("inf")),
    )


def demand_bands(values):
    """Bands for struggling services: 0, then the non-zero counts in thirds (by quantile),
    so that each shade covers about as many cells whatever the size of the file."""
    counts = sorted(v for v in values if v > 0)
    bands = [Band("coverage-demand--0", "0", 0, 0)]
    if not counts:
        return tuple(bands)
    third = counts[(len(counts) - 1) // 3]
    two_thirds = counts[(2 * (len(counts) - 1)) // 3]
    limits = sorted({third, two_thirds, counts[-1]})
    low = 1
    for n, high in enumerate(limits, start=1):
        words = f"{low}" if low == high else f"{low} to {high}"
        bands.append(Band(f"coverage-demand--{n}", words, low, high))
        low = high + 1
    bands[-1] = Band(bands[-1].css_class, f"{bands[-1].low} or more", bands[-1].low, float("inf"))
    return tuple(bands)


def band_of(bands, value):
    for band in bands:
        if band.low <= value <= band.high:
            return band
    return bands[-1]


# --- Tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    count: int  # case studies (supply), or struggling services (demand)
    url: str  # the public search it counts, or "" for none
    band: Band
    where: str = ""  # its row and column in words, for screen readers: "Falls prevention, Safe"
    supply: int | None = None  # demand against supply: the case studies beside the demand


@dataclass
class Row:
    slug: str
    label: str
    cells: list
    total: Cell | None = None


@dataclass
class Grid:
    """A table of rows (themes, service types, regions or kinds) by key question."""

    slug: str  # in the CSV's URL and file name
    title: str
    description: str
    row_heading: str
    columns: list  # [(key question slug, label)]
    rows: list
    bands: tuple
    totals: Row | None = None  # the column totals, as a last row
    total_heading: str = ""  # the heading of the row totals' column
    combined: bool = False  # demand against supply: each cell is "N / M"

    @property
    def csv_url(self):
        return reverse("coverage:csv", args=[self.slug])

    def csv(self):
        """(header, rows) for the CSV. Demand against supply is one row per cell, with both
        numbers in their own columns; the other grids are as shown."""
        if self.combined:
            header = [
                self.row_heading,
                "Key question",
                f"Services rated {STRUGGLING_WORDS}",
                "Published case studies",
                "Struggling services per case study",
            ]
            rows = [
                [row.label, label, cell.count, cell.supply, need(cell.count, cell.supply)]
                for row in self.rows
                for (_, label), cell in zip(self.columns, row.cells, strict=True)
            ]
            return header, rows
        header = [self.row_heading, *(label for _, label in self.columns)]
        if self.total_heading:
            header.append(self.total_heading)
        rows = [self._csv_row(row) for row in self.rows]
        if self.totals:
            rows.append(self._csv_row(self.totals))
        return header, rows

    def _csv_row(self, row):
        values = [row.label, *(cell.count for cell in row.cells)]
        if self.total_heading:
            values.append(row.total.count if row.total else "")
        return values


def need(demand, supply):
    """Struggling services per case study, the callouts' order: one more than the case
    studies, so that no practice at all is a large number rather than a division by 0."""
    return round(demand / (supply + 1), 2)


def search_url(**filters):
    """The public search for these filters ({facet name: slug or [slugs]})."""
    return f"{reverse('search')}?{urlencode(filters, doseq=True)}"


# --- Supply: from the search service ------------------------------------------------------


@dataclass
class Supply:
    key_questions: list  # [(slug, label)]
    by_key_question: dict  # kq slug -> {facet name: {slug: count}}
    per_key_question: dict  # kq slug -> case studies addressing it
    overall: dict  # facet name -> {slug: count}, whatever the key question
    total: int
    backends: list  # the backends that answered, in order of first answer
    notice: str = ""  # when Elasticsearch could not answer and the database did

    def count(self, facet_name, slug, key_question):
        return self.by_key_question[key_question][facet_name].get(slug, 0)


def key_questions():
    return FACETS_BY_NAME["key_question"].options()


def _facet_counts(results, names):
    return {name: {v.value: v.count for v in results.facets.get(name, [])} for name in names}


def count_supply():
    """Six searches: one per key question, and one without for the totals. A facet lists
    only values with results, so a value missing from it counts 0."""
    names = [name for name, _, _ in SUPPLY_DIMENSIONS]
    answered, notices = [], []

    def ask(filters):
        results = backends.search(SearchQuery(filters=filters, page_size=1))
        if results.backend not in answered:
            answered.append(results.backend)
        if results.notice and results.notice not in notices:
            notices.append(results.notice)
        return results

    overall = ask({})
    by_key_question, per_key_question = {}, {}
    questions = key_questions()
    for slug, _ in questions:
        results = ask({"key_question": [slug]})
        by_key_question[slug] = _facet_counts(results, names)
        per_key_question[slug] = results.total
    return Supply(
        key_questions=questions,
        by_key_question=by_key_question,
        per_key_question=per_key_question,
        overall=_facet_counts(overall, names),
        total=overall.total,
        backends=answered,
        notice=" ".join(notices),
    )


def supply_grids(supply):
    bands = supply_bands()
    grids = []
    for name, slug, heading in SUPPLY_DIMENSIONS:
        facet = FACETS_BY_NAME[name]
        rows = []
        for value, label in facet.options():
            cells = [
                _supply_cell(
                    supply.count(name, value, kq),
                    bands,
                    f"{label}, {kq_label}",
                    **{name: value, "key_question": kq},
                )
                for kq, kq_label in supply.key_questions
            ]
            total = _supply_cell(
                supply.overall[name].get(value, 0),
                bands,
                f"{label}, all key questions",
                **{name: value},
            )
            rows.append(Row(value, label, cells, total))
        everything = f"All {facet.label.lower()}s"
        totals = Row(
            "",
            everything,
            [
                _supply_cell(
                    supply.per_key_question[kq], bands, f"{everything}, {kq_label}", key_question=kq
                )
                for kq, kq_label in supply.key_questions
            ],
            _supply_cell(supply.total, bands, "all published case studies"),
        )
        grids.append(
            Grid(
                slug=slug,
                title=f"Published case studies by {facet.label.lower()} and key question",
                description=(
                    f"Each number is the published case studies of that {facet.label.lower()} "
                    "addressing that key question, and links to that search. A case study "
                    "can address several key questions"
                    + (" and themes" if name == "theme" else "")
                    + ", so a total counts each case study once and can be less than the "
                    "sum of its row or column."
                ),
                row_heading=heading,
                columns=supply.key_questions,
                rows=rows,
                bands=bands,
                totals=totals,
                total_heading="All key questions",
            )
        )
    return grids


def _supply_cell(count, bands, where, **filters):
    return Cell(count, search_url(**filters), band_of(bands, count), where)


# --- Demand: from the imported CQC ratings ------------------------------------------------


@dataclass
class Demand:
    ratings_import: RatingsImport | None  # the latest completed import; None: never imported
    locations: int = 0  # adult social care locations seen in it
    # (key question, service kind, region) -> locations currently struggling in it
    struggling: dict = field(default_factory=dict)

    @property
    def imported(self):
        return self.ratings_import is not None

    def by(self, key_question, service_kind=None, region=None):
        return sum(
            n
            for (kq, kind, where), n in self.struggling.items()
            if kq == key_question
            and (service_kind is None or kind == service_kind)
            and (region is None or where == region)
        )


def latest_completed_import():
    return (
        RatingsImport.objects.filter(finished_at__isnull=False, error="")
        .order_by("-started_at", "-pk")
        .first()
    )


def count_demand():
    """Three queries, whatever the file's size: the latest completed import, its locations,
    and the struggling ones grouped by key question, service kind and region.

    "Currently" is a location's latest fact per domain (its own ratings, service group
    Overall); only locations seen in the latest completed import count, since the others
    have left CQC's file.
    """
    ratings_import = latest_completed_import()
    if ratings_import is None:
        return Demand(None)
    current = RatingFact.objects.filter(
        service_group=OVERALL_GROUP, location__last_seen_in=ratings_import
    ).filter(
        ~Exists(
            RatingFact.objects.filter(
                location=OuterRef("location"),
                service_group=OVERALL_GROUP,
                domain=OuterRef("domain"),
                publication_date__gt=OuterRef("publication_date"),
            )
        )
    )
    rows = (
        current.filter(rating__in=STRUGGLING_RATINGS)
        .order_by()
        .values_list("domain", "location__service_kind", "location__region")
        .annotate(n=Count("location", distinct=True))
    )
    return Demand(
        ratings_import,
        locations=CareLocation.objects.filter(last_seen_in=ratings_import).count(),
        struggling={(kq, kind, region): n for kq, kind, region, n in rows},
    )


def demand_grids(demand, supply):
    """The demand tables (by service kind, by region) and demand against supply."""
    questions = supply.key_questions
    kinds = [
        (kind, label, {"service_type": list(SERVICE_TYPES_OF_KIND[kind])}, {"service_kind": kind})
        for kind, label in SERVICE_KIND_CHOICES
    ]
    regions = [
        (region, label, {"region": region}, {"region": region})
        for region, label in FACETS_BY_NAME["region"].options()
    ]
    grids = []
    for dimension, heading, members in (
        ("service-kind", "Service kind", kinds),
        ("region", "Region", regions),
    ):
        counts = {
            (slug, kq): demand.by(kq, **where)
            for slug, _, _, where in members
            for kq, _ in questions
        }
        bands = demand_bands(counts.values())
        rows = [
            Row(
                slug,
                label,
                [
                    Cell(
                        counts[slug, kq],
                        "",
                        band_of(bands, counts[slug, kq]),
                        f"{label}, {kq_label}",
                    )
                    for kq, kq_label in questions
                ],
            )
            for slug, label, _, _ in members
        ]
        grids.append(
            Grid(
                slug=f"demand-{dimension}",
                title=f"Services rated {STRUGGLING_WORDS} by {heading.lower()} and key question",
                description=(
                    f"Adult social care locations whose current CQC rating in the key question "
                    f"is {STRUGGLING_WORDS}."
                ),
                row_heading=heading,
                columns=questions,
                rows=rows,
                bands=bands,
            )
        )
        supply_band = supply_bands()
        combined_rows = []
        for slug, label, filters, _ in members:
            cells = []
            for kq, kq_label in questions:
                supplied = supply_of(supply, filters, kq)
                cells.append(
                    Cell(
                        counts[slug, kq],
                        search_url(**filters, key_question=kq),
                        band_of(supply_band, supplied),
                        f"{label}, {kq_label}",
                        supply=supplied,
                    )
                )
            combined_rows.append(Row(slug, label, cells))
        grids.append(
            Grid(
                slug=f"demand-and-supply-{dimension}",
                title=f"Struggling services against published practice by {heading.lower()}",
                description=(
                    f"Each cell: the services rated {STRUGGLING_WORDS} in the key question, "
                    "then the published case studies that address it, shaded by the case "
                    "studies. The link is the search for those case studies."
                ),
                row_heading=heading,
                columns=questions,
                rows=combined_rows,
                bands=supply_band,
                combined=True,
            )
        )
    return grids


def supply_of(supply, filters, key_question):
    """Case studies for a kind's service types (summed: each has exactly one) or a region."""
    if "service_type" in filters:
        return sum(
            supply.count("service_type", slug, key_question) for slug in filters["service_type"]
        )
    return supply.count("region", filters["region"], key_question)


# --- Callouts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Callout:
    key_question: str  # label
    where: str  # "in the North West", "in care homes"
    struggling: int
    case_studies: int
    url: str

    @property
    def need(self):
        return need(self.struggling, self.case_studies)

    @property
    def sentence(self):
        services = "service" if self.struggling == 1 else "services"
        studies = "case study" if self.case_studies == 1 else "case studies"
        return (
            f"{self.key_question} {self.where}: {self.struggling} {services} rated "
            f"{STRUGGLING_WORDS}, {self.case_studies} published {studies}."
        )


def callouts(combined_grids, limit=CALLOUT_LIMIT, minimum=CALLOUT_MIN_STRUGGLING):
    """The cells of the demand-against-supply tables with at least `minimum` struggling
    services, most struggling services per case study first (then most struggling)."""
    found = []
    for grid in combined_grids:
        for row in grid.rows:
            where = place_phrase(row.slug, row.label)
            for (_, label), cell in zip(grid.columns, row.cells, strict=True):
                if cell.count >= minimum:
                    found.append(Callout(label, f"in {where}", cell.count, cell.supply, cell.url))
    found.sort(key=lambda c: (-c.need, -c.struggling, c.key_question, c.where))
    return found[:limit]


def callout_csv(found):
    header = [
        "Key question",
        "Where",
        f"Services rated {STRUGGLING_WORDS}",
        "Published case studies",
        "Struggling services per case study",
        "Sentence",
    ]
    return header, [
        [c.key_question, c.where, c.struggling, c.case_studies, c.need, c.sentence] for c in found
    ]


# --- The whole report ---------------------------------------------------------------------


@dataclass
class Coverage:
    supply: Supply
    demand: Demand
    supply_grids: list
    demand_grids: list  # demand, then demand against supply, by kind then by region
    callouts: list

    @property
    def combined_grids(self):
        return [grid for grid in self.demand_grids if grid.combined]

    @property
    def demand_only_grids(self):
        return [grid for grid in self.demand_grids if not grid.combined]

    def tables(self):
        """{slug: (header, rows)} of every table, for the CSV downloads."""
        tables = {grid.slug: grid.csv() for grid in [*self.supply_grids, *self.demand_grids]}
        if self.demand.imported:
            tables["callouts"] = callout_csv(self.callouts)
        return tables


# The CSV downloads, by slug (callouts and the demand tables exist once ratings are imported).
TABLE_SLUGS = (
    *(slug for _, slug, _ in SUPPLY_DIMENSIONS),
    "demand-service-kind",
    "demand-region",
    "demand-and-supply-service-kind",
    "demand-and-supply-region",
    "callouts",
)


def coverage():
    supply = count_supply()
    demand = count_demand()
    grids = demand_grids(demand, supply) if demand.imported else []
    combined = [grid for grid in grids if grid.combined]
    return Coverage(
        supply=supply,
        demand=demand,
        supply_grids=supply_grids(supply),
        demand_grids=grids,
        callouts=callouts(combined) if demand.imported else [],
    )
