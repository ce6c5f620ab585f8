"""Who may do what.

Contributors write case studies and submit them; they cannot publish and cannot edit
providers (whose ratings decide what may be published). Moderators review, publish and
unpublish through the workflow, and keep providers and the taxonomy. Curators build
curated collections and cannot edit case studies.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def ensure_permissions(apps):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def setup(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    def page_perms(group, page, codenames):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=perm("wagtailcore", f"{codename}_page")
            )

    def model_perms(group, app_label, codenames):
        group.permissions.add(*[perm(app_label, codename) for codename in codenames])

    def collection_perms(group, codenames):
        root = Collection.objects.get(depth=1)
        for app_label, codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm(app_label, codename)
            )

    case_studies = Page.objects.get(url_path="/home/case-studies/")
    collections = Page.objects.get(url_path="/home/collections/")
    admin_access = perm("wagtailadmin", "access_admin")

    contributors, _ = Group.objects.get_or_create(name="Contributors")
    contributors.permissions.add(admin_access)
    page_perms(contributors, case_studies, ["add"])  # add, and edit what they own
    model_perms(contributors, "knowledgebase", ["view_provider"])
    collection_perms(
        contributors,
        [
            ("wagtailimages", "add_image"),
            ("wagtailimages", "choose_image"),
            ("wagtaildocs", "add_document"),
            ("wagtaildocs", "choose_document"),
        ],
    )

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(admin_access)
    page_perms(moderators, case_studies, ["add", "change", "publish", "lock", "unlock"])
    for model in ["provider", "theme", "innovationtype"]:
        model_perms(moderators, "knowledgebase", [f"{a}_{model}" for a in ("add", "change", "delete", "view")])

    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.add(admin_access)
    page_perms(curators, collections, ["add", "change", "publish"])
    collection_perms(curators, [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")])

    # Case studies go through moderation; curated collections are published by their curators.
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, created = GroupApprovalTask.objects.get_or_create(
        name="Moderator review", defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name="Case study moderation", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.filter(page__depth=1).delete()  # Wagtail's default covers every page
    WorkflowPage.objects.update_or_create(page=case_studies, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgebase", "0003_site_structure"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
