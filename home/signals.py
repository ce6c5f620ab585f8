"""Forgetting the cached section links when a page is published, unpublished, moved or
renamed."""

from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .templatetags.navigation_tags import SECTIONS, section_cache_key


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def forget_section_urls(sender, **kwargs):
    cache.delete_many([section_cache_key(section) for section in SECTIONS])
