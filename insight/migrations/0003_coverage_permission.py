"""Curators and moderators see Coverage (insight.view_coverage); contributors do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Curators", "Moderators")


def coverage_permission(apps):
    # As in 0002: permissions are normally created after all migrations; the groups need
    # this one now.
    app_config = apps.get_app_config("insight")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.get(content_type__app_label="insight", codename="view_coverage")


def grant(apps, schema_editor):
    permission = coverage_permission(apps)
    Group = apps.get_model("auth.Group")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="insight", codename="view_coverage")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0002_curators_and_moderators_see_search_insight"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="searchlog",
            options={
                "default_permissions": (),
                "permissions": [
                    ("view_search_insight", "Can see search insight"),
                    ("view_coverage", "Can see coverage"),
                ],
                "verbose_name": "search log entry",
                "verbose_name_plural": "search log",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
