"""Seed the vocabularies from data/taxonomy.json. Existing slugs are left as editors made them."""

import json
from pathlib import Path

from django.db import migrations

TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def seed(apps, schema_editor):
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    for model_name, key in [
        ("Theme", "themes"),
        ("InnovationType", "innovation_types"),
        ("KeyQuestion", "key_questions"),
        ("EvidenceType", "evidence_types"),
        ("Offer", "offers"),
    ]:
        model = apps.get_model("knowledgebase", model_name)
        for order, term in enumerate(data[key]):
            model.objects.get_or_create(
                slug=term["slug"], defaults={"label": term["label"], "sort_order": order}
            )
    KeyQuestion = apps.get_model("knowledgebase", "KeyQuestion")
    QualityStatement = apps.get_model("knowledgebase", "QualityStatement")
    for order, term in enumerate(data["quality_statements"]):
        QualityStatement.objects.get_or_create(
            slug=term["slug"],
            defaults={
                "label": term["label"],
                "sort_order": order,
                "key_question": KeyQuestion.objects.get(slug=term["key_question"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
