"""Links to the site's sections, found in the page tree rather than written as paths."""

from django import template
from django.core.cache import cache
from wagtail.models import Site

from knowledgebase.case_studies import CaseStudyIndexPage
from knowledgebase.curated_collections import CuratedCollectionIndexPage

register = template.Library()

SECTIONS = {
    "case_studies": CaseStudyIndexPage,
    "collections": CuratedCollectionIndexPage,
}


@register.simple_tag(takes_context=True)
def home_url(context):
    """The URL of the home page of the site serving this request."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    return root.get_url(request) if root else "/"


SECTION_URL_CACHE_SECONDS = 300  # every page's header asks; home/signals.py forgets it


def section_cache_key(section):
    return f"section_url:{section}"


@register.simple_tag(takes_context=True)
def section_url(context, section):
    """The URL of a section's index page ("case_studies", "collections"), or "" if unpublished."""
    url = cache.get(section_cache_key(section))
    if url is None:
        page = SECTIONS[section].objects.live().first()
        url = page.get_url(context.get("request")) if page else ""
        cache.set(section_cache_key(section), url, SECTION_URL_CACHE_SECONDS)
    return url
