"""The starting vocabularies from data/taxonomy.json (a copy of shared/data/taxonomy.json).

Themes and innovation types start here and are then edited in the CMS. The rest are
fixed: key questions, quality statements, service types, regions, ratings, evidence
types and offers change only when the CQC framework does, through a migration.
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE = DATA_DIR / "taxonomy.json"
SCHEMA_FILE = DATA_DIR / "case-study.schema.json"

OUTSTANDING = "outstanding"


@cache
def taxonomy():
    return json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))


def choices(vocabulary):
    return [(term["slug"], term["label"]) for term in taxonomy()[vocabulary]]


def labels(vocabulary):
    return dict(choices(vocabulary))


SERVICE_TYPE_CHOICES = choices("service_types")
REGION_CHOICES = choices("regions")
RATING_CHOICES = choices("ratings")
KEY_QUESTION_CHOICES = choices("key_questions")
