"""Building the POST data the Wagtail admin's case study form expects."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from knowledgebase.taxonomy import KeyQuestion, QualityStatement, Theme


def case_study_form_data(provider, key_questions=("safe",), quality_statements=(), **fields):
    data = nested_form_data(
        {
            "title": fields.pop("title", "Night-time hydration rounds"),
            "slug": fields.pop("slug", "night-time-hydration-rounds"),
            "summary": fields.pop("summary", "Hydration rounds at night cut falls by half."),
            "challenge": "Falls at night.",
            "approach": streamfield(
                [("paragraph", rich_text("<p>We offered drinks at night.</p>"))]
            ),
            "outcomes": "",
            "outcome_measures": streamfield([]),
            "lessons": "",
            "adoption": "",
            "provider": provider.pk,
            "contact_name": "",
            "contact_email": "",
            "published_date": "",
            "review_date": "",
            "external_id": "",
            "seo_title": "",
            "search_description": "",
            "comments": {
                "TOTAL_FORMS": 0,
                "INITIAL_FORMS": 0,
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            },
            **fields,
        }
    )
    data["themes"] = [Theme.objects.get(slug="falls-prevention").pk]
    data["key_questions"] = [KeyQuestion.objects.get(slug=s).pk for s in key_questions]
    data["quality_statements"] = [
        QualityStatement.objects.get(slug=s).pk for s in quality_statements
    ]
    return data
