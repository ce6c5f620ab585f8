"""Demo content for `make run`: the demo case studies (through the importer), people in
each group (the demo contributor writing for a few providers), a curated collection, and a
small CQC ratings file (knowledgebase/demo/cqc_ratings.py wrote it) through the CQC import, so
that Coverage has struggling services to show. Safe to run again: nothing is duplicated."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings_import import RatingsImport, file_sha256, import_ratings
from knowledgebase.curated_collections import (
    CuratedCollectionIndexPage,
    CuratedCollectionItem,
    CuratedCollectionPage,
)
from knowledgebase.interchange.importer import CaseStudyImporter
from knowledgebase.providers import Provider

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "case_studies.jsonl"
# Its locations' ids (1-999...) are no demo provider's: importing it changes no case study.
DEMO_CQC_RATINGS_FILE = DEMO_FILE.with_name("cqc_latest_ratings.csv")
DEMO_PASSWORD = "practice-exchange-demo"
DEMO_USERS = [
    # username, group (None: superuser), name
    ("admin", None, "Site administrator"),
    ("contributor", "Contributors", "Casey Contributor"),
    ("moderator", "Moderators", "Morgan Moderator"),
    ("curator", "Curators", "Cameron Curator"),
]
# The demo contributor writes for these providers, so sees their readers' requests.
CONTRIBUTOR_PROVIDERS = [
    "Orchard Vale Nursing Home",
    "Bramley Grange",
    "Saltmarsh House Nursing Home",
]
COLLECTIONS = [
    {
        "title": "Learning from Outstanding: medicines",
        "curator_organisation": "Regional improvement team (demo)",
        "introduction": "<p>Practice that cut medication errors and made medicines safer, "
        "in the order we suggest reading it.</p>",
        "themes": ["medicines-management"],
    },
    {
        "title": "Keeping people safe from falls",
        "curator_organisation": "Regional improvement team (demo)",
        "introduction": "<p>Falls prevention that worked in care homes and at home.</p>",
        "themes": ["falls-prevention"],
    },
]


class Command(BaseCommand):
    help = "Load the demo case studies, demo users and curated collections (idempotent)."

    def handle(self, *args, **options):
        with open(DEMO_FILE, encoding="utf-8") as demo:
            report = CaseStudyImporter().import_lines(demo.readlines())
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"Demo case studies: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} already there."
        )
        self.create_users()
        self.create_collections()
        self.import_cqc_ratings()
        self.stdout.write(
            "Demo logins at http://127.0.0.1:8000/admin/ (password for all: "
            f"{DEMO_PASSWORD}): " + ", ".join(u for u, _, _ in DEMO_USERS)
        )

    def create_users(self):
        User = get_user_model()
        for username, group, name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": name.split()[0],
                    "last_name": " ".join(name.split()[1:]),
                    "email": f"{username}@example.org",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_superuser = user.is_staff = group is None
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            if group == "Contributors":
                for provider in Provider.objects.filter(name__in=CONTRIBUTOR_PROVIDERS):
                    provider.contributors.add(user)  # adding twice changes nothing

    def import_cqc_ratings(self):
        """The demo ratings file through the same import as import_cqc_ratings, once: a
        second import would add no facts, but would make the demo file the latest import
        again after a real one."""
        imported = RatingsImport.objects.filter(
            sha256=file_sha256(DEMO_CQC_RATINGS_FILE), finished_at__isnull=False, error=""
        ).exists()
        if imported:
            self.stdout.write("Demo CQC ratings: already imported.")
            return
        log = import_ratings(DEMO_CQC_RATINGS_FILE)  # no progress callback: quiet
        self.stdout.write(
            f"Demo CQC ratings: {log.locations_added} care locations, {log.facts_stored} "
            f"ratings imported from {log.file_name}."
        )

    def create_collections(self):
        index = CuratedCollectionIndexPage.objects.first()
        for spec in COLLECTIONS:
            if CuratedCollectionPage.objects.filter(title=spec["title"]).exists():
                continue
            collection = CuratedCollectionPage(
                title=spec["title"],
                curator_organisation=spec["curator_organisation"],
                introduction=spec["introduction"],
            )
            case_studies = (
                CaseStudyPage.objects.live()
                .filter(themes__slug__in=spec["themes"])
                .distinct()
                .order_by("-published_date")[:5]
            )
            collection.items = [
                CuratedCollectionItem(case_study=page, sort_order=n)
                for n, page in enumerate(case_studies)
            ]
            index.add_child(instance=collection)
            collection.save_revision().publish()
