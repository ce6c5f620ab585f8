"""Seed the vocabularies as they stood when this migration was written (shared/data/taxonomy.json
of that day). The terms are frozen here, so the migration gives the same result whenever it runs;
a later change to the vocabularies is a migration of its own. Existing slugs are left as
editors made them.
"""

from django.db import migrations

# (slug, label), in display order.
THEMES = [
    ('leadership-and-culture', 'Leadership and culture'),
    ('safeguarding', 'Safeguarding'),
    ('medicines-management', 'Medicines management'),
    ('falls-prevention', 'Falls prevention'),
    ('dementia-care', 'Dementia care'),
    ('end-of-life-care', 'End of life care'),
    ('workforce-recruitment-and-retention', 'Workforce recruitment and retention'),
    ('staff-training-and-development', 'Staff training and development'),
    ('person-centred-care', 'Person-centred care'),
    ('infection-prevention-and-control', 'Infection prevention and control'),
    ('nutrition-and-hydration', 'Nutrition and hydration'),
    ('skin-integrity-and-pressure-care', 'Skin integrity and pressure care'),
    ('activities-and-wellbeing', 'Meaningful activity and wellbeing'),
    ('health-and-care-integration', 'Health and care integration'),
    ('learning-from-incidents', 'Learning from incidents'),
    ('co-production-and-involvement', 'Co-production and involvement'),
    ('mental-health', 'Mental health'),
    ('learning-disability-and-autism', 'Learning disability and autism'),
    ('family-and-carer-involvement', 'Family and carer involvement'),
    ('equality-diversity-and-inclusion', 'Equality, diversity and inclusion'),
]

INNOVATION_TYPES = [
    ('digital-care-planning', 'Digital care planning'),
    ('acoustic-monitoring', 'Acoustic monitoring'),
    ('assistive-technology', 'Assistive technology and sensors'),
    ('remote-health-monitoring', 'Remote health monitoring'),
    ('environment-design', 'Environment design (lighting, layout)'),
    ('workforce-model', 'New workforce model or role'),
    ('training-programme', 'Training programme'),
    ('quality-improvement-method', 'Quality improvement method'),
    ('co-production', 'Co-production'),
    ('community-partnership', 'Community partnership'),
    ('data-and-analytics', 'Data and analytics'),
    ('therapeutic-activity', 'Therapeutic activity (arts, music, animals, nature)'),
]

KEY_QUESTIONS = [
    ('safe', 'Safe'),
    ('effective', 'Effective'),
    ('caring', 'Caring'),
    ('responsive', 'Responsive'),
    ('well-led', 'Well-led'),
]

EVIDENCE_TYPES = [
    ('research', 'Research evidence'),
    ('practice-knowledge', 'Practice knowledge'),
    ('lived-experience', 'Lived experience'),
]

OFFERS = [
    ('visit', 'Visits to see the practice'),
    ('mentoring', 'Mentoring or a call'),
    ('materials', 'Templates and materials'),
]

QUALITY_STATEMENTS = [
    ('learning-culture', 'Learning culture', 'safe'),
    ('safe-systems-pathways-and-transitions', 'Safe systems, pathways and transitions', 'safe'),
    ('safeguarding', 'Safeguarding', 'safe'),
    ('involving-people-to-manage-risks', 'Involving people to manage risks', 'safe'),
    ('safe-environments', 'Safe environments', 'safe'),
    ('safe-and-effective-staffing', 'Safe and effective staffing', 'safe'),
    ('infection-prevention-and-control', 'Infection prevention and control', 'safe'),
    ('medicines-optimisation', 'Medicines optimisation', 'safe'),
    ('assessing-needs', 'Assessing needs', 'effective'),
    ('delivering-evidence-based-care-and-treatment', 'Delivering evidence-based care and treatment', 'effective'),
    ('how-staff-teams-and-services-work-together', 'How staff, teams and services work together', 'effective'),
    ('supporting-people-to-live-healthier-lives', 'Supporting people to live healthier lives', 'effective'),
    ('monitoring-and-improving-outcomes', 'Monitoring and improving outcomes', 'effective'),
    ('consent-to-care-and-treatment', 'Consent to care and treatment', 'effective'),
    ('kindness-compassion-and-dignity', 'Kindness, compassion and dignity', 'caring'),
    ('treating-people-as-individuals', 'Treating people as individuals', 'caring'),
    ('independence-choice-and-control', 'Independence, choice and control', 'caring'),
    ('responding-to-peoples-immediate-needs', "Responding to people's immediate needs", 'caring'),
    ('workforce-wellbeing-and-enablement', 'Workforce wellbeing and enablement', 'caring'),
    ('person-centred-care', 'Person-centred care', 'responsive'),
    ('care-provision-integration-and-continuity', 'Care provision, integration and continuity', 'responsive'),
    ('providing-information', 'Providing information', 'responsive'),
    ('listening-to-and-involving-people', 'Listening to and involving people', 'responsive'),
    ('equity-in-access', 'Equity in access', 'responsive'),
    ('equity-in-experiences-and-outcomes', 'Equity in experiences and outcomes', 'responsive'),
    ('planning-for-the-future', 'Planning for the future', 'responsive'),
    ('shared-direction-and-culture', 'Shared direction and culture', 'well-led'),
    ('capable-compassionate-and-inclusive-leaders', 'Capable, compassionate and inclusive leaders', 'well-led'),
    ('freedom-to-speak-up', 'Freedom to speak up', 'well-led'),
    ('workforce-equality-diversity-and-inclusion', 'Workforce equality, diversity and inclusion', 'well-led'),
    ('governance-management-and-sustainability', 'Governance, management and sustainability', 'well-led'),
    ('partnerships-and-communities', 'Partnerships and communities', 'well-led'),
    ('learning-improvement-and-innovation', 'Learning, improvement and innovation', 'well-led'),
    ('environmental-sustainability', 'Environmental sustainability', 'well-led'),
]

TERMS = {
    "Theme": THEMES,
    "InnovationType": INNOVATION_TYPES,
    "KeyQuestion": KEY_QUESTIONS,
    "EvidenceType": EVIDENCE_TYPES,
    "Offer": OFFERS,
}


def seed(apps, schema_editor):
    for model_name, terms in TERMS.items():
        model = apps.get_model("knowledgebase", model_name)
        for order, (slug, label) in enumerate(terms):
            model.objects.get_or_create(slug=slug, defaults={"label": label, "sort_order": order})
    KeyQuestion = apps.get_model("knowledgebase", "KeyQuestion")
    QualityStatement = apps.get_model("knowledgebase", "QualityStatement")
    for order, (slug, label, key_question) in enumerate(QUALITY_STATEMENTS):
        QualityStatement.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "sort_order": order,
                "key_question": KeyQuestion.objects.get(slug=key_question),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
