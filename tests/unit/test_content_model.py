import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from knowledgebase.case_studies import CaseStudyPage, review_date_for
from knowledgebase.curated_collections import (
    CuratedCollectionIndexPage,
    CuratedCollectionItem,
    CuratedCollectionPage,
)
from knowledgebase.taxonomy import KeyQuestion, QualityStatement, Theme
from knowledgebase.vocabularies import taxonomy
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def test_vocabularies_are_seeded_from_the_taxonomy():
    data = taxonomy()
    assert Theme.objects.count() == len(data["themes"])
    assert QualityStatement.objects.count() == len(data["quality_statements"]) == 34
    assert set(KeyQuestion.objects.values_list("slug", flat=True)) == {
        "safe",
        "effective",
        "caring",
        "responsive",
        "well-led",
    }
    assert QualityStatement.objects.get(slug="medicines-optimisation").key_question.slug == "safe"


def test_review_date_defaults_to_two_years_after_publishing():
    assert review_date_for(datetime.date(2024, 2, 29)) == datetime.date(2026, 2, 28)
    assert review_date_for(datetime.date(2025, 6, 1)) == datetime.date(2027, 6, 1)


def test_theme_slug_cannot_change_once_created(client):
    moderator = User.objects.create_user("mod", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    theme = Theme.objects.get(slug="falls-prevention")
    url = reverse("wagtailsnippets_knowledgebase_theme:edit", args=[theme.pk])
    client.post(url, {"label": "Falls prevention and recovery", "slug": "falls", "description": ""})
    theme.refresh_from_db()
    assert theme.label == "Falls prevention and recovery"
    assert theme.slug == "falls-prevention"


def test_case_study_links_to_the_collections_it_is_in(client, importer):
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    collection = CuratedCollectionPage(
        title="Learning from Outstanding: falls",
        curator_organisation="Improvement team",
        introduction="<p>Start here.</p>",
    )
    collection.items = [CuratedCollectionItem(case_study=page)]
    CuratedCollectionIndexPage.objects.get().add_child(instance=collection)
    collection.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert "In collections" in html and collection.url in html
    home = client.get("/").content.decode()
    assert "Learning from Outstanding: falls" in home
    assert page.title in client.get(collection.url).content.decode()

    collection.unpublish()
    assert "In collections" not in client.get(page.url).content.decode()


def test_moderators_are_reminded_of_case_studies_due_for_review(client, importer):
    importer([make_record(1, published="2020-01-10"), make_record(2)])
    moderator = User.objects.create_user("mod", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Case studies due for review" in html
    assert "Test case study 1" in html and "Test case study 2" not in html

    contributor = User.objects.create_user("con", password="pw")
    contributor.groups.add(Group.objects.get(name="Contributors"))
    client.force_login(contributor)
    assert (
        "Case studies due for review"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
