"""Following new practice from the site's pages: the search page's "Follow this search"
panel, and the <link rel="alternate"> elements that let browsers and feed readers find
the feeds.

    {% load following_tags %}
    {% block extra_head %}{% search_feed_link query %}{% endblock %}   (query: a SearchQuery)
    {% follow_this_search query %}
    {% site_feed_link %}  {% theme_feed_link theme %}  {% key_question_feed_link key_question %}
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from following.feeds import SITE_FEED_TITLE, feed_title
from following.searches import FollowedSearch

register = template.Library()


def alternate_link(title, href):
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">', title, href
    )


@register.inclusion_tag("following/includes/follow_this_search.html")
def follow_this_search(query):
    followed = FollowedSearch.from_query(query)
    return {"followed": followed, "feed_title": feed_title(followed)}


@register.simple_tag
def search_feed_link(query):
    followed = FollowedSearch.from_query(query)
    return alternate_link(feed_title(followed), followed.offered_feed_url)


@register.simple_tag
def site_feed_link():
    return alternate_link(SITE_FEED_TITLE, reverse("feed"))


@register.simple_tag
def theme_feed_link(theme):
    """For a theme's page or listing (a Theme)."""
    followed = FollowedSearch(filters=(("theme", (theme.slug,)),))
    return alternate_link(feed_title(followed), reverse("theme-feed", args=[theme.slug]))


@register.simple_tag
def key_question_feed_link(slug):
    """For a CQC key question, by its slug (practice for a service's gaps, per gap)."""
    followed = FollowedSearch(filters=(("key_question", (slug,)),))
    return alternate_link(feed_title(followed), reverse("key-question-feed", args=[slug]))
