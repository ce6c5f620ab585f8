"""Bulk publishing leaves pages as add_child(), save_revision() and publish() would."""

import pytest
from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail.rich_text import RichText, get_text_for_indexing
from wagtail.signals import page_published

from knowledgebase.blocks import ParagraphBlock
from knowledgebase.case_studies import CaseStudyIndexPage, CaseStudyPage
from knowledgebase.providers import Provider
from tests.conftest import PROVIDER, make_record

pytestmark = pytest.mark.django_db


def reference_rows(page):
    return set(
        ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
            "content_type", "to_content_type", "to_object_id", "model_path", "content_path"
        )
    )


def test_bulk_published_pages_are_whole_wagtail_pages(importer):
    published = []
    receiver = lambda sender, instance, revision, **kw: published.append((instance.pk, revision))  # noqa: E731
    page_published.connect(receiver)
    try:
        report = importer([make_record(1), make_record(2, title="Night-time hydration rounds")])
    finally:
        page_published.disconnect(receiver)
    assert report.created == 2
    imported = CaseStudyPage.objects.filter(external_id__in=["cs-test-0001", "cs-test-0002"])

    # The tree is consistent: paths, depth and the parent's numchild.
    assert Page.find_problems() == ([], [], [], [], [])
    index = CaseStudyIndexPage.objects.get()
    assert index.get_children().count() == index.numchild

    page = CaseStudyPage.objects.get(external_id="cs-test-0002")
    assert page.url_path == f"{index.url_path}{page.slug}/"
    assert page.live and not page.has_unpublished_changes and page.first_published_at
    assert page.latest_revision_id == page.live_revision_id
    as_published = page.live_revision.as_object()
    assert as_published.title == "Night-time hydration rounds"
    assert [t.slug for t in as_published.themes.all()] == ["falls-prevention"]
    assert list(
        PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)
    ) == ["wagtail.create", "wagtail.publish"]
    assert sorted(pk for pk, _ in published) == sorted(imported.values_list("pk", flat=True))
    assert all(
        revision.pk == CaseStudyPage.objects.get(pk=pk).live_revision_id
        for pk, revision in published
    )

    # Its reference index rows are exactly those Wagtail would write: re-running Wagtail's own
    # update changes nothing. The provider is among them, so its usage count is right.
    rows = reference_rows(page)
    assert any(path == "provider" for *_, path in rows)
    ReferenceIndex.create_or_update_for_object(page)
    assert reference_rows(page) == rows

    # The admin search finds it.
    assert page.pk in [p.pk for p in CaseStudyPage.objects.search("hydration")]

    # And Wagtail can carry on editing it.
    page.title = "Night-time hydration rounds and lighting"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.title == "Night-time hydration rounds and lighting"
    assert page.revisions.count() == 2


def test_paragraph_search_text_matches_wagtails():
    source = (
        "<h3>Rounds</h3><p>We <b>started</b> hydration&nbsp;rounds &amp; "
        '<a linktype="page" id="3">lighting</a>.<br/>Then sensors.</p>'
        "<ul><li>Jugs</li><li>Cups</li></ul>"
    )
    ours = ParagraphBlock().get_searchable_content(RichText(source))
    assert " ".join(ours[0].split()) == " ".join(get_text_for_indexing(source).split())
    assert "started hydration\xa0rounds & lighting. Then sensors." in ours[0]


def test_a_failing_record_in_a_batch_costs_that_line_only(importer, monkeypatch):
    """The batch is retried one record at a time, with providers saved again after rollback."""
    other = {**PROVIDER, "cqc_location_id": "1-3000000003", "name": "Other House"}
    original = CaseStudyPage.set_publishing_defaults

    def refuse_one(page):
        if page.external_id == "cs-test-0002":
            raise ValueError("refused")
        original(page)

    monkeypatch.setattr(CaseStudyPage, "set_publishing_defaults", refuse_one)
    report = importer([make_record(1), make_record(2, provider=other), make_record(3)])
    assert report.created == 2
    assert [(e.line, e.field) for e in report.errors] == [(2, "(record)")]
    assert "refused" in report.errors[0].reason
    assert set(
        CaseStudyPage.objects.filter(external_id__startswith="cs-test-").values_list(
            "external_id", flat=True
        )
    ) == {"cs-test-0001", "cs-test-0003"}
    assert Provider.objects.filter(cqc_location_id=PROVIDER["cqc_location_id"]).exists()
    assert not Provider.objects.filter(cqc_location_id=other["cqc_location_id"]).exists()
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_provider_changed_within_one_file_is_updated(importer):
    renamed = {**PROVIDER, "name": "Meadowbank House (renamed)"}
    importer([make_record(1), make_record(2), make_record(3, provider=renamed)])
    provider = Provider.objects.get(cqc_location_id=PROVIDER["cqc_location_id"])
    assert provider.name == "Meadowbank House (renamed)"
