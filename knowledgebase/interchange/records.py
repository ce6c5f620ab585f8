"""Interchange records (data/case-study.schema.json): validating one, and converting between
a record and a case study page with its provider.

One JSON object per line. Every line is validated in full before anything is written, so
one bad line never costs a good one.
"""

import json
from dataclasses import dataclass, field
from functools import cache

import jsonschema_rs

from ..blocks import PARAGRAPH_BREAK, approach_text
from ..case_studies import CLASSIFICATIONS
from ..providers import RATING_FIELDS, Provider
from ..taxonomy import EvidenceType, InnovationType, KeyQuestion, Offer, QualityStatement, Theme
from ..vocabularies import SCHEMA_FILE, taxonomy

# The longest line an import reads, in bytes (UTF-8). A record at every limit of
# case_studies.TEXT_LIMITS is about 110,000 characters, some 660 KB if every character were
# written as a \\u escape; a longer line is refused before it is parsed.
MAX_LINE_BYTES = 2_000_000


@cache
def schema_validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # jsonschema-rs: the whole of Draft 2020-12, formats included, some 60 times faster than
    # the pure-Python jsonschema; validating was a tenth of a large import's time.
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@dataclass
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # existing case studies that are not live: left alone
    errors: list = field(default_factory=list)  # bad lines (and failures): exit non-zero
    notices: list = field(default_factory=list)  # what a person should know; not errors
    page_ids: list = field(default_factory=list)  # the case studies created or updated
    flagged: list = field(default_factory=list)  # live case studies marked rating_dropped
    cleared: list = field(default_factory=list)  # and those whose mark was cleared

    @property
    def imported(self):
        return self.created + self.updated + self.unchanged


# --- validation --------------------------------------------------------------------


class Vocabularies:
    """Slugs the database knows now (editors may have added themes since the seed)."""

    def __init__(self):
        self.models = {
            "themes": Theme,
            "innovation_types": InnovationType,
            "key_questions": KeyQuestion,
            "quality_statements": QualityStatement,
            "evidence_types": EvidenceType,
            "offers": Offer,
        }
        self.terms = {
            name: {term.slug: term for term in model.objects.all()}
            for name, model in self.models.items()
        }
        self.statement_key_question = {
            qs.slug: qs.key_question.slug
            for qs in self.models["quality_statements"].objects.select_related("key_question")
        }
        fixed = taxonomy()
        self.service_types = {t["slug"] for t in fixed["service_types"]}
        self.regions = {t["slug"] for t in fixed["regions"]}
        self.ratings = {t["slug"] for t in fixed["ratings"]}


def _path(error):
    return ".".join(str(p) for p in error.instance_path) or "(record)"


def _message(error):
    """The schema's complaint, without the whole offending value: a 20,000 character text
    or a long list is said by its size, anything else cut to a line."""
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MaxLength):
        return f"longer than {kind.limit} characters (it has {len(error.instance)})"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MaxItems):
        return f"has more than {kind.limit} items (it has {len(error.instance)})"
    message = error.message
    return message if len(message) <= 200 else f"{message[:80]} … {message[-100:]}"


def validate_record(record, vocabularies):
    """Every problem with one record, as (field, reason) pairs; empty when it can be imported."""
    if not isinstance(record, dict):
        return [("(record)", "each line must be a JSON object")]
    try:
        errors = sorted(schema_validator().iter_errors(record), key=_path)
    except UnicodeEncodeError:  # jsonschema-rs reads strings as UTF-8, as the database will
        return [
            (
                "(record)",
                "a string holds a lone surrogate escape (\\ud800 to \\udfff without its "
                "pair), which is not a character",
            )
        ]
    except ValueError as exc:  # jsonschema-rs stops at 255 levels: "Recursion limit reached"
        return [("(record)", f"nested too deeply to check (a record has 3 levels): {exc}")]
    problems = [(_path(error), _message(error)) for error in errors]
    if problems:
        return problems

    def unknown(field_name, slugs, known):
        for slug in slugs:
            if slug not in known:
                problems.append((field_name, f"unknown slug '{slug}'"))

    for name in CLASSIFICATIONS:
        unknown(name, record.get(name, []), vocabularies.terms[name])
    unknown(
        "contact.offers", record.get("contact", {}).get("offers", []), vocabularies.terms["offers"]
    )
    provider = record["provider"]
    unknown("provider.service_type", [provider["service_type"]], vocabularies.service_types)
    unknown("provider.region", [provider["region"]], vocabularies.regions)
    unknown("provider.overall_rating", [provider["overall_rating"]], vocabularies.ratings)
    for kq, rating in provider.get("key_question_ratings", {}).items():
        unknown(f"provider.key_question_ratings.{kq}", [rating], vocabularies.ratings)
    if problems:
        return problems

    for qs in record.get("quality_statements", []):
        kq = vocabularies.statement_key_question[qs]
        if kq not in record["key_questions"]:
            problems.append(
                (
                    "quality_statements",
                    f"'{qs}' belongs to the key question '{kq}', which key_questions does not list",
                )
            )
    error = provider_from_record(provider).outstanding_rule_error(record["key_questions"])
    if error:
        problems.append(("provider", error))
    return problems


# --- conversion ----------------------------------------------------------------------


def provider_from_record(data, provider=None):
    provider = provider or Provider()
    ratings_before = provider.ratings()
    provider.name = data["name"]
    provider.cqc_location_id = data["cqc_location_id"]
    provider.service_type = data["service_type"]
    provider.region = data["region"]
    provider.overall_rating = data["overall_rating"]
    provider.rating_date = data.get("rating_date") or None
    ratings = data.get("key_question_ratings", {})
    for kq, field_name in RATING_FIELDS.items():
        setattr(provider, field_name, ratings.get(kq, ""))
    if provider.pk and provider.ratings() != ratings_before:
        provider.mark_ratings_entered()  # the record's ratings replace CQC's until its next file
    return provider


def provider_record(provider):
    record = {
        "name": provider.name,
        "cqc_location_id": provider.cqc_location_id,
        "service_type": provider.service_type,
        "region": provider.region,
        "overall_rating": provider.overall_rating,
    }
    if provider.rating_date:
        record["rating_date"] = str(provider.rating_date)
    ratings = provider.key_question_ratings()
    if ratings:
        record["key_question_ratings"] = ratings
    return record


def case_study_record(page):
    """One case study in the interchange format."""
    record = {
        "id": page.external_id,
        "title": page.title,
        "summary": page.summary,
        "challenge": page.challenge,
        "approach": approach_text(page.approach),
        "outcomes": page.outcomes,
        "lessons": page.lessons,
        "adoption": page.adoption,
        "provider": provider_record(page.provider),
        "themes": [t.slug for t in page.themes.all()],
        "innovation_types": [t.slug for t in page.innovation_types.all()],
        "key_questions": [t.slug for t in page.key_questions.all()],
        "quality_statements": [t.slug for t in page.quality_statements.all()],
        "evidence_types": [t.slug for t in page.evidence_types.all()],
        # The grade a moderator confirmed (a proposal alone is not exported).
        "evidence_strength": page.evidence_strength,
    }
    if page.published_date:
        record["published"] = str(page.published_date)
    contact = {}
    if page.contact_name:
        contact["name"] = page.contact_name
    if page.contact_email:
        contact["email"] = page.contact_email
    offers = [t.slug for t in page.offers.all()]
    if offers:
        contact["offers"] = offers
    if contact:
        record["contact"] = contact
    # Optional fields that are empty are left out, as a hand-written file would.
    return {k: v for k, v in record.items() if v not in ("", [], None)}


def normalised(record):
    """A record as export would write it back, for deciding whether anything changed."""
    out = {k: v for k, v in record.items() if v not in ("", [], None)}
    for name in CLASSIFICATIONS:
        if name in out:
            out[name] = sorted(out[name])
    if "approach" in out:
        out["approach"] = "\n\n".join(
            p.strip() for p in PARAGRAPH_BREAK.split(out["approach"]) if p.strip()
        )
    if "contact" in out:
        out["contact"] = {k: sorted(v) if k == "offers" else v for k, v in out["contact"].items()}
        out["contact"] = {k: v for k, v in out["contact"].items() if v not in ("", [], None)}
    return json.dumps(out, sort_keys=True)
