"""What changes a case study's public document, wired to the index queue and its vectors."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.providers import Provider
from knowledgebase.signals import ratings_refreshed
from knowledgebase.taxonomy import InnovationType, Theme

from .backends.elasticsearch.sync import enqueue
from .documents import public_case_studies
from .on_commit import after_commit
from .vectors import ensure_vectors

logger = logging.getLogger("search")


def case_studies_under(page):
    """The page itself and its descendants that are case studies."""
    return CaseStudyPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True)


def refresh_vectors(page_ids):
    """Vectors for what was published, computed in one batch once the publish commits."""
    after_commit("vectors", page_ids, _refresh_vectors)


def _refresh_vectors(page_ids):
    try:
        ensure_vectors(public_case_studies().filter(pk__in=page_ids))
    except Exception:  # a vector must never break the editor's publish; reconcile finds it
        logger.exception("Computing vectors failed for pages %s", sorted(page_ids)[:20])


@receiver(page_published)
def on_publish(sender, instance, **kwargs):
    if isinstance(instance, CaseStudyPage):
        refresh_vectors([instance.pk])
        enqueue([instance.pk], "published")


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    enqueue(case_studies_under(instance), "unpublished")


@receiver(post_delete, sender=CaseStudyPage)
def on_delete(sender, instance, **kwargs):
    enqueue([instance.pk], "deleted")


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    enqueue(case_studies_under(Page.objects.get(pk=instance.pk)), "moved")


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_privacy_change(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page:
        enqueue(case_studies_under(page), "privacy changed")


@receiver(post_save, sender=Provider)
def on_provider_change(sender, instance, created, **kwargs):
    if not created:
        enqueue(instance.case_studies.values_list("pk", flat=True), "provider changed")


@receiver(post_save, sender=Theme)
@receiver(post_save, sender=InnovationType)
def on_label_change(sender, instance, created, **kwargs):
    if not created:
        enqueue(instance.case_studies.values_list("pk", flat=True), "label changed")


@receiver(ratings_refreshed)
def on_ratings_refreshed(sender, case_study_ids=(), **kwargs):
    """CQC's new ratings: providers' ratings and rating_dropped flags were written in bulk."""
    enqueue(case_study_ids, "ratings refreshed")
