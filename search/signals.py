"""What changes a case study's public document, wired to the index queue and its vectors."""

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.interchange.importer import importing
from knowledgebase.providers import Provider
from knowledgebase.signals import case_studies_imported, pages_published_in_bulk, ratings_refreshed
from knowledgebase.taxonomy import InnovationType, Theme

from .backends.elasticsearch.sync import BatchedQueue, enqueue
from .documents import public_case_studies
from .facets import FACETS, forget_options
from .on_commit import after_commit
from .vectors import ensure_vectors
from .vocabulary import add_to_vocabulary

logger = logging.getLogger("search")

FACET_MODELS = {apps.get_model("knowledgebase", facet.model) for facet in FACETS if facet.model}


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
def on_publish(sender, instance, in_bulk=False, **kwargs):
    if isinstance(instance, CaseStudyPage):
        if not importing():  # an import's vectors and words come in one pass at its end
            refresh_vectors([instance.pk])
            add_to_vocabulary([instance.pk])
        if not in_bulk:  # published in bulk: queued with the rest, on_bulk_publish
            enqueue([instance.pk], "published")


@receiver(pages_published_in_bulk)
def on_bulk_publish(sender, page_ids=(), **kwargs):
    """A batch of new pages published at once (an import): queued in one statement, in
    the publish's transaction. One a page was a tenth of an import's time."""
    if issubclass(sender, CaseStudyPage):
        enqueue(page_ids, "published")


@receiver(case_studies_imported)
def on_import(sender, page_ids=(), defer=False, **kwargs):
    """The imported case studies' words for the vocabulary; then their vectors, in batches,
    each batch then sent to the index.

    Until then they are found by their words alone. Deferred, the scheduled
    `search_index --vectors` computes them (it finds every case study that lacks one).
    """
    if not page_ids:
        return
    add_to_vocabulary(page_ids)
    if defer:
        return
    to_index = BatchedQueue("vectors computed")
    try:
        ensure_vectors(public_case_studies().filter(pk__in=page_ids), on_batch=to_index)
        to_index.flush()
    except Exception:  # the import itself is done; search_index --vectors catches up
        logger.exception("Computing vectors after an import failed")


@receiver(page_unpublished)
def on_unpublish(sender, instance, **kwargs):
    enqueue(case_studies_under(instance), "unpublished")


@receiver(post_delete, sender=CaseStudyPage)
def on_delete(sender, instance, **kwargs):
    enqueue([instance.pk], "deleted")


@receiver(post_page_move)
def on_move(sender, instance, **kwargs):
    enqueue(case_studies_under(Page.objects.get(pk=instance.pk)), "moved")


@receiver(page_slug_changed)
def on_slug_change(sender, instance, **kwargs):
    """A renamed page changes the address of every case study below it (each document
    holds its URL): the case study index, a section, the home page."""
    enqueue(case_studies_under(instance), "address changed")


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


@receiver(post_save)
@receiver(post_delete)
def on_vocabulary_change(sender, **kwargs):
    """A term of a facet's vocabulary changed: the facets read their options again."""
    if sender in FACET_MODELS:
        forget_options()


@receiver(post_save, sender=Theme)
@receiver(post_save, sender=InnovationType)
def on_label_change(sender, instance, created, **kwargs):
    if not created:
        enqueue(instance.case_studies.values_list("pk", flat=True), "label changed")


@receiver(ratings_refreshed)
def on_ratings_refreshed(sender, case_study_ids=(), **kwargs):
    """CQC's new ratings: providers' ratings and rating_dropped flags were written in bulk."""
    enqueue(case_study_ids, "ratings refreshed")
