"""The page tree every installation starts with: home, case studies, curated collections."""

from django.db import migrations


def create_site(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")
    if HomePage.objects.exists():
        return
    locale = Locale.objects.order_by("pk").first()

    # The welcome page Wagtail creates is replaced by ours.
    Page.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", depth=2
    ).delete()
    Site.objects.all().delete()

    def create(model, app_label, path, depth, numchild, url_path, **fields):
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model._meta.model_name
        )
        return model.objects.create(
            content_type=content_type,
            path=path,
            depth=depth,
            numchild=numchild,
            url_path=url_path,
            draft_title=fields["title"],
            live=True,
            locale=locale,
            **fields,
        )

    home = create(HomePage, "home", "00010001", 2, 2, "/home/", title="Practice Exchange", slug="home")
    create(
        apps.get_model("knowledgebase", "CaseStudyIndexPage"),
        "knowledgebase",
        "000100010001",
        3,
        0,
        "/home/case-studies/",
        title="Case studies",
        slug="case-studies",
        introduction="Practice from services rated Outstanding, newest first.",
    )
    create(
        apps.get_model("knowledgebase", "CuratedCollectionIndexPage"),
        "knowledgebase",
        "000100010002",
        3,
        0,
        "/home/collections/",
        title="Curated collections",
        slug="collections",
        introduction="Case studies chosen and ordered by improvement teams and regulators.",
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.create(
        hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
        site_name="Practice Exchange",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgebase", "0002_vocabularies"),
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_site, migrations.RunPython.noop)]
