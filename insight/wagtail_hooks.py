"""Search insight in the Wagtail admin: the screen under Reports, for curators, moderators
and superusers (the permission insight.view_search_insight, migration 0002)."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .views import PERMISSION


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("search-insight/", include(admin_urls, namespace="insight"))]


class SearchInsightMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_search_insight_menu_item():
    return SearchInsightMenuItem(
        "Search insight",
        reverse("insight:search_insight"),
        name="search-insight",
        icon_name="search",
        order=1250,
    )


@hooks.register("register_permissions")
def register_permissions():
    # Shown on the group's edit form, so an administrator can grant it to another group.
    return Permission.objects.filter(
        content_type__app_label="insight", codename="view_search_insight"
    )
