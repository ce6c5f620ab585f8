"""The result shape every backend returns."""

from dataclasses import dataclass, field


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    page_id: int
    id: str  # the interchange id
    title: str
    url: str
    summary: str
    highlight: str  # HTML: escaped text with <mark> around matches
    provider_name: str
    service_type: str
    region: str
    published: str
    themes: list = field(default_factory=list)
    innovation_types: list = field(default_factory=list)
    key_questions: list = field(default_factory=list)
    quality_statements: list = field(default_factory=list)
    evidence_types: list = field(default_factory=list)
    score: float | None = None


@dataclass
class SearchResults:
    total: int
    hits: list
    facets: dict  # facet name -> [FacetValue]
    backend: str  # "elasticsearch" or "database"
    page: int = 1
    page_size: int = 10
    notice: str = ""  # said to the person, e.g. when the main search is down

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.page_size))
