"""Curators and moderators see search insight and promote results for a search (Wagtail's
search promotions); contributors do neither."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Curators", "Moderators")
PROMOTION_PERMISSIONS = [
    f"{action}_searchpromotion" for action in ("add", "change", "delete", "view")
]


def ensure_permissions(apps):
    # As in knowledgebase 0004: permissions are normally created after all migrations; the
    # groups need these now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions(apps):
    Permission = apps.get_model("auth.Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label="insight", codename="view_search_insight"
        )
    ) + list(
        Permission.objects.filter(
            content_type__app_label="wagtailsearchpromotions",
            codename__in=PROMOTION_PERMISSIONS,
        )
    )


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0001_search_log"),
        ("knowledgebase", "0004_groups_and_moderation"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
