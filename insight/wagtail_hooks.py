"""Search insight and Coverage in the Wagtail admin: screens under Reports, for curators,
moderators and superusers (the permissions insight.view_search_insight, migration 0002, and
insight.view_coverage, migration 0003)."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls, coverage_urls
from .views import COVERAGE_PERMISSION, PERMISSION


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("search-insight/", include(admin_urls, namespace="insight")),
        path("coverage/", include(coverage_urls, namespace="coverage")),
    ]


class PermittedMenuItem(MenuItem):
    """A Reports item shown only to those with its permission."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_reports_menu_item")
def register_search_insight_menu_item():
    return PermittedMenuItem(
        "Search insight",
        reverse("insight:search_insight"),
        name="search-insight",
        icon_name="search",
        order=1250,
        permission=PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return PermittedMenuItem(
        "Coverage",
        reverse("coverage:index"),
        name="coverage",
        icon_name="table",
        order=1260,
        permission=COVERAGE_PERMISSION,
    )


@hooks.register("register_permissions")
def register_permissions():
    # Shown on the group's edit form, so an administrator can grant them to another group.
    return Permission.objects.filter(
        content_type__app_label="insight", codename__in=["view_search_insight", "view_coverage"]
    )
