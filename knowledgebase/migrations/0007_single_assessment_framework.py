"""Seed CQC's single assessment framework (2023) and put the key questions and quality
statements seeded by 0002 under it. The data is frozen here, as it stood when this migration
was written, so the migration gives the same result whenever it runs. When CQC changes its
framework, a new data migration adds the new framework and its terms; these stay for the
case studies classified by them.
"""

from django.db import migrations

FRAMEWORK = ("single-assessment-framework-2023", "Single assessment framework (2023)")

KEY_QUESTIONS = ["safe", "effective", "caring", "responsive", "well-led"]

QUALITY_STATEMENTS = [
    "learning-culture",
    "safe-systems-pathways-and-transitions",
    "safeguarding",
    "involving-people-to-manage-risks",
    "safe-environments",
    "safe-and-effective-staffing",
    "infection-prevention-and-control",
    "medicines-optimisation",
    "assessing-needs",
    "delivering-evidence-based-care-and-treatment",
    "how-staff-teams-and-services-work-together",
    "supporting-people-to-live-healthier-lives",
    "monitoring-and-improving-outcomes",
    "consent-to-care-and-treatment",
    "kindness-compassion-and-dignity",
    "treating-people-as-individuals",
    "independence-choice-and-control",
    "responding-to-peoples-immediate-needs",
    "workforce-wellbeing-and-enablement",
    "person-centred-care",
    "care-provision-integration-and-continuity",
    "providing-information",
    "listening-to-and-involving-people",
    "equity-in-access",
    "equity-in-experiences-and-outcomes",
    "planning-for-the-future",
    "shared-direction-and-culture",
    "capable-compassionate-and-inclusive-leaders",
    "freedom-to-speak-up",
    "workforce-equality-diversity-and-inclusion",
    "governance-management-and-sustainability",
    "partnerships-and-communities",
    "learning-improvement-and-innovation",
    "environmental-sustainability",
]


def seed(apps, schema_editor):
    AssessmentFramework = apps.get_model("knowledgebase", "AssessmentFramework")
    KeyQuestion = apps.get_model("knowledgebase", "KeyQuestion")
    QualityStatement = apps.get_model("knowledgebase", "QualityStatement")
    slug, label = FRAMEWORK
    framework, _ = AssessmentFramework.objects.get_or_create(slug=slug, defaults={"label": label})
    # Only terms not yet under a framework: a later framework's claim is left alone.
    KeyQuestion.objects.filter(slug__in=KEY_QUESTIONS, framework__isnull=True).update(
        framework=framework
    )
    QualityStatement.objects.filter(slug__in=QUALITY_STATEMENTS, framework__isnull=True).update(
        framework=framework
    )


def unseed(apps, schema_editor):
    AssessmentFramework = apps.get_model("knowledgebase", "AssessmentFramework")
    KeyQuestion = apps.get_model("knowledgebase", "KeyQuestion")
    QualityStatement = apps.get_model("knowledgebase", "QualityStatement")
    framework = AssessmentFramework.objects.filter(slug=FRAMEWORK[0]).first()
    if framework:
        KeyQuestion.objects.filter(framework=framework).update(framework=None)
        QualityStatement.objects.filter(framework=framework).update(framework=None)
        framework.delete()


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0006_cqc_ratings_facts_and_framework")]
    operations = [migrations.RunPython(seed, unseed)]
