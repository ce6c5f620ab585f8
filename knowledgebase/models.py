"""Django finds the domain's models here; each lives in the module of its concept."""

from .case_studies import CaseStudyIndexPage, CaseStudyPage  # noqa: F401
from .cqc.ratings import CareLocation, OtherLocation, RatingFact  # noqa: F401
from .cqc.ratings_import import RatingsImport  # noqa: F401
from .curated_collections import (  # noqa: F401
    CuratedCollectionIndexPage,
    CuratedCollectionItem,
    CuratedCollectionPage,
)
from .enquiries import PracticeEnquiry  # noqa: F401
from .evidence import EvidenceStrengthTask  # noqa: F401
from .providers import Provider  # noqa: F401
from .taxonomy import (  # noqa: F401
    AssessmentFramework,
    EvidenceType,
    InnovationType,
    KeyQuestion,
    Offer,
    QualityStatement,
    Theme,
)
