"""Atom feeds of new and updated case studies: all of them, per theme, per CQC key question,
and for any search (the search page's own parameters).

Only live, public case studies, and not those whose provider's rating dropped: a feed
reader shows an entry without the page's notice that the rating changed. The search feed
asks the search service, so it finds what the search page finds on either backend; its
newest matches (by published date) are then put in order of their last update.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from knowledgebase.taxonomy import KeyQuestion, Theme
from search.documents import public_case_studies

from .searches import FollowedSearch, InvalidSearch

FEED_SIZE = 30
SITE_FEED_TITLE = "Practice Exchange: new and updated case studies"
# Entry and feed ids are tag URIs (RFC 4151): stable when a page's URL changes, unlike a
# link. The date says when the site's address first named them and must never change.
TAG_DATE = "2026"


def feed_title(followed):
    """ "Practice Exchange: case studies for “falls” in Safe" (a FollowedSearch)."""
    description = followed.description()
    return f"Practice Exchange: case studies {description}" if description else SITE_FEED_TITLE


def tag_uri(specific):
    authority = urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"
    return f"tag:{authority},{TAG_DATE}:{specific}"


def feed_case_studies():
    """The case studies a feed may carry, the most recently updated first."""
    return (
        public_case_studies()
        .filter(rating_dropped=False)
        .select_related("provider")
        .prefetch_related("themes")
        .order_by("-last_published_at", "-pk")
    )


@dataclass
class Followed:
    """What one feed follows, and its entries."""

    title: str
    subtitle: str
    link: str  # the site's page listing the same case studies
    feed_path: str  # this feed's own path and query string
    case_studies: list


class CaseStudyFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Practice Exchange"

    def title(self, obj):
        return obj.title

    def subtitle(self, obj):
        return obj.subtitle

    def link(self, obj):
        return obj.link

    def feed_url(self, obj):
        return obj.feed_path

    def feed_guid(self, obj):
        return tag_uri(obj.feed_path)

    def items(self, obj):
        return obj.case_studies

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary here is HTML (Django writes type="html"): the plain summary escaped,
        # so that a "<" in it is shown, not taken for a tag.
        return escape(item.summary)

    def item_link(self, item):
        return item.get_url()

    def item_guid(self, item):
        return tag_uri(f"case-study:{item.external_id}")

    def item_author_name(self, item):
        return item.provider.name if item.provider else "Practice Exchange"

    def item_categories(self, item):
        return [theme.label for theme in item.themes.all()]

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class SiteFeed(CaseStudyFeed):
    def get_object(self, request):
        followed = FollowedSearch()
        return Followed(
            title=SITE_FEED_TITLE,
            subtitle="Practice from adult social care services rated Outstanding by the CQC.",
            link=followed.newest_url,
            feed_path=reverse("feed"),
            case_studies=list(feed_case_studies()[:FEED_SIZE]),
        )


class ThemeFeed(CaseStudyFeed):
    def get_object(self, request, slug):
        theme = Theme.objects.get(slug=slug)  # DoesNotExist: the feed answers 404
        followed = FollowedSearch(filters=(("theme", (theme.slug,)),))
        return Followed(
            title=feed_title(followed),
            subtitle=f"New and updated case studies on {theme.label}.",
            link=followed.newest_url,
            feed_path=reverse("theme-feed", args=[theme.slug]),
            case_studies=list(feed_case_studies().filter(themes=theme)[:FEED_SIZE]),
        )


class KeyQuestionFeed(CaseStudyFeed):
    def get_object(self, request, slug):
        key_question = KeyQuestion.objects.get(slug=slug)
        followed = FollowedSearch(filters=(("key_question", (key_question.slug,)),))
        return Followed(
            title=feed_title(followed),
            subtitle=f"New and updated case studies that address CQC’s {key_question.label} "
            "key question.",
            link=followed.newest_url,
            feed_path=reverse("key-question-feed", args=[key_question.slug]),
            case_studies=list(feed_case_studies().filter(key_questions=key_question)[:FEED_SIZE]),
        )


class SearchFeed(CaseStudyFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidSearch as exc:
            return HttpResponseBadRequest(
                f"This search cannot be followed: {exc.message}\n",
                content_type="text/plain; charset=utf-8",
            )

    def get_object(self, request):
        followed = FollowedSearch.from_params(request.GET)
        # The search's newest matches, checked again against the database (the index may be
        # a moment behind an unpublish), then in order of their last update.
        matches = followed.newest_matches()
        return Followed(
            title=feed_title(followed),
            subtitle=" ".join(["New and updated case studies", followed.description()]).strip()
            + ".",
            link=followed.newest_url,
            feed_path=followed.feed_url,
            case_studies=list(feed_case_studies().filter(pk__in=matches)[:FEED_SIZE]),
        )
