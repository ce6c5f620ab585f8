"""The importer against the fault probe of issue #12: moderation, unpublished pages, the
Outstanding rule, bad bytes, sizes, and copying a case study in the admin."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from knowledgebase.case_studies import (
    MAX_TERMS,
    TEXT_LIMITS,
    CaseStudyIndexPage,
    CaseStudyPage,
)
from knowledgebase.interchange.importer import CaseStudyImporter
from knowledgebase.interchange.records import MAX_LINE_BYTES
from knowledgebase.providers import Provider
from knowledgebase.taxonomy import Theme
from knowledgebase.vocabularies import SCHEMA_FILE
from tests.conftest import PROVIDER, make_record
from tests.unit.admin_forms import case_study_form_data

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "A summary the import brings: hydration rounds every two hours at night."


def member(group_name):
    user = User.objects.create_user(group_name.lower(), password="pw", email="x@example.org")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def line(record):
    return json.dumps(record)


# 1. A contributor's draft in moderation -------------------------------------------------


def submitted_draft(page, user, **changes):
    """What a contributor does in the admin: a draft revision, submitted to moderation."""
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    revision = draft.save_revision(user=user)
    page.get_workflow().start(page, user)
    return revision


def test_import_never_publishes_a_contributors_draft_and_keeps_it_in_moderation(importer):
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    submitted_draft(page, member("Contributors"), seo_title="Draft SEO title")

    report = importer([make_record(1, summary=NEW_SUMMARY)])

    assert (report.updated, report.errors) == (1, [])
    page = CaseStudyPage.objects.get()
    assert page.live and page.summary == NEW_SUMMARY
    assert page.seo_title == ""  # the draft's content is not live
    assert page.live_revision.as_object().seo_title == ""
    assert page.workflow_in_progress
    assert page.current_workflow_state.status == "in_progress"
    # The draft is still the latest revision, with the import's change under it.
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert (draft.seo_title, draft.summary) == ("Draft SEO title", NEW_SUMMARY)

    # The draft under review changed (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT): approving
    # the revision that was submitted asks for a review of the latest one, as after any
    # edit in moderation; approving that publishes the draft and the import's change.
    moderator = member("Moderators")
    page.current_workflow_task_state.approve(user=moderator)
    page = CaseStudyPage.objects.get()
    assert page.workflow_in_progress and page.seo_title == ""
    assert page.current_workflow_task_state.revision_id == page.latest_revision_id
    page.current_workflow_task_state.approve(user=moderator)
    # The workflow's second task: the moderator confirms the strength of evidence.
    page = CaseStudyPage.objects.get()
    page.current_workflow_task.on_action(
        page.current_workflow_task_state, moderator, "approve", evidence_strength="moderate"
    )
    page = CaseStudyPage.objects.get()
    assert not page.workflow_in_progress and page.evidence_strength == "moderate"
    assert (page.seo_title, page.summary) == ("Draft SEO title", NEW_SUMMARY)


def test_a_field_the_draft_changed_keeps_the_drafts_value_in_the_draft(importer):
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    submitted_draft(page, member("Contributors"), summary="The contributor's own summary of it.")

    report = importer([make_record(1, summary=NEW_SUMMARY, themes=["medicines-management"])])

    page = CaseStudyPage.objects.get()
    assert page.summary == NEW_SUMMARY
    assert [t.slug for t in page.themes.all()] == ["medicines-management"]
    draft = page.get_latest_revision_as_object()
    assert draft.summary == "The contributor's own summary of it."
    # The draft left the themes as they were live: it takes the import's.
    assert [t.slug for t in draft.themes.all()] == ["medicines-management"]
    assert page.workflow_in_progress
    [notice] = report.notices
    assert "draft stays the latest revision" in notice.reason


def test_an_unchanged_record_leaves_a_draft_alone(importer):
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    draft = submitted_draft(page, member("Contributors"), seo_title="Draft SEO title")

    report = importer([make_record(1)])

    assert report.unchanged == 1
    page = CaseStudyPage.objects.get()
    assert page.latest_revision_id == draft.pk and page.seo_title == ""
    assert page.workflow_in_progress


# 2. A page a moderator unpublished ---------------------------------------------------------


@pytest.mark.parametrize("changes", [{}, {"summary": NEW_SUMMARY}], ids=["unchanged", "changed"])
def test_a_page_a_moderator_unpublished_is_skipped_not_published(importer, changes):
    importer([make_record(1)])
    page = CaseStudyPage.objects.get()
    page.unpublish(user=member("Moderators"))
    revisions = page.revisions.count()

    report = importer([make_record(1, **changes)])

    assert (report.created, report.updated, report.unchanged, report.skipped) == (0, 0, 0, 1)
    assert report.errors == []
    [notice] = report.notices
    assert notice.line == 1 and "cs-test-0001" in str(notice) and "not live" in str(notice)
    page = CaseStudyPage.objects.get()
    assert not page.live and page.summary == make_record(1)["summary"]
    assert page.revisions.count() == revisions


# 3. A record without `published` -------------------------------------------------------------


def test_a_record_without_published_is_unchanged_when_nothing_else_changed(importer):
    record = make_record(1)
    del record["published"]
    importer([record])
    page = CaseStudyPage.objects.get()
    revisions = page.revisions.count()

    again = importer([record])

    assert (again.updated, again.unchanged) == (0, 1)
    assert page.revisions.count() == revisions
    changed = importer([{**record, "summary": NEW_SUMMARY}])
    assert changed.updated == 1
    page.refresh_from_db()
    assert page.published_date is not None  # kept: the record says nothing about it


# 4. Provider ratings that drop below the Outstanding rule ---------------------------------


def test_ratings_a_record_drops_flag_the_providers_other_case_studies(importer):
    importer([make_record(1)])  # safe, effective: Outstanding overall
    dropped = {
        **PROVIDER,
        "overall_rating": "good",
        "rating_date": "2025-06-01",
        "key_question_ratings": {"safe": "good", "effective": "good", "caring": "outstanding"},
    }

    report = importer(
        [make_record(2, provider=dropped, key_questions=["caring"], quality_statements=[])]
    )

    assert (report.created, report.errors) == (1, [])
    first = CaseStudyPage.objects.get(external_id="cs-test-0001")
    second = CaseStudyPage.objects.get(external_id="cs-test-0002")
    assert first.live and first.rating_dropped
    assert first.rating_dropped_since.isoformat() == "2025-06-01"
    assert not second.rating_dropped
    assert report.flagged == [first.pk]
    [notice] = report.notices
    assert notice.line == 1 and "cs-test-0001" in notice.reason and "rating" in notice.reason

    # Outstanding again: the flag is cleared, as the re-check after CQC's file clears it.
    restored = importer([make_record(2, key_questions=["caring"], quality_statements=[])])
    first.refresh_from_db()
    assert not first.rating_dropped and first.rating_dropped_since is None
    assert restored.cleared == [first.pk]


# 5. Bytes that are not a record --------------------------------------------------------------


def faulty_file_lines():
    deep = "[" * 100_000 + "]" * 100_000
    return [
        b"\xef\xbb\xbf" + line(make_record(1)).encode(),  # a BOM before line 1
        b'{"id": "cs-bad-utf8", "title": "Caf\xe9 club"}',
        deep.encode(),
        # Deep enough for the schema validator (256 levels), not for the JSON parser.
        line(make_record(2)).replace('"Test case study 2"', "[" * 300 + "]" * 300).encode(),
        line(make_record(3)).replace("Test case study 3", "Test \\ud800 study").encode(),
        line(make_record(4)).replace('"Sam Lee"', "NaN").encode(),
        b"",
        line(make_record(5)).encode(),
    ]


def test_bad_bytes_and_deep_nesting_are_bad_lines_and_the_good_lines_are_kept():
    report = CaseStudyImporter().import_lines(faulty_file_lines())

    assert report.created == 2
    assert set(CaseStudyPage.objects.values_list("external_id", flat=True)) == {
        "cs-test-0001",
        "cs-test-0005",
    }
    reasons = {e.line: str(e) for e in report.errors}
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert reasons[2].startswith("line 2: (line): not valid UTF-8")
    assert "nested too deeply" in reasons[3]
    assert "nested too deeply" in reasons[4]
    assert "surrogate" in reasons[5]
    assert "NaN" in reasons[6]
    assert all(len(r) < 300 for r in reasons.values())


def test_the_command_reports_each_bad_line_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "faulty.jsonl"
    path.write_bytes(b"\n".join(faulty_file_lines()) + b"\n")

    with pytest.raises(CommandError, match="5 bad line"):
        call_command("import_case_studies", str(path), "--quiet-progress")

    out, err = capsys.readouterr()
    assert "line 2: (line): not valid UTF-8" in err
    assert "line 3: (line): nested too deeply" in err
    assert "Traceback" not in err
    assert "2 created" in out
    assert CaseStudyPage.objects.count() == 2


# 6. Sizes -------------------------------------------------------------------------------------


def test_the_schema_holds_the_python_limits():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    properties = schema["properties"]
    for name, limit in TEXT_LIMITS.items():
        assert properties[name]["maxLength"] == limit, name
    for name in ("themes", "innovation_types", "key_questions", "quality_statements"):
        assert properties[name]["maxItems"] == MAX_TERMS, name
    assert properties["evidence_types"]["maxItems"] == MAX_TERMS
    assert properties["contact"]["properties"]["offers"]["maxItems"] == MAX_TERMS
    contact = properties["contact"]["properties"]
    slug = Theme._meta.get_field("slug").max_length
    for name in ("themes", "innovation_types", "key_questions", "quality_statements"):
        assert properties[name]["items"]["maxLength"] == slug, name
    assert contact["offers"]["items"]["maxLength"] == slug
    assert f"{MAX_LINE_BYTES:,} bytes" in schema["description"]
    for name, field in (("name", "contact_name"), ("email", "contact_email")):
        assert contact[name]["maxLength"] == CaseStudyPage._meta.get_field(field).max_length
    assert (
        properties["provider"]["properties"]["name"]["maxLength"]
        == Provider._meta.get_field("name").max_length
    )
    assert TEXT_LIMITS["title"] == CaseStudyPage._meta.get_field("title").max_length
    assert TEXT_LIMITS["summary"] == CaseStudyPage._meta.get_field("summary").max_length


def test_text_at_the_limits_imports_and_one_character_more_is_a_clear_bad_line(importer):
    at_limit = {name: "x" * (limit - 1) + "." for name, limit in TEXT_LIMITS.items()}
    over = make_record(2, challenge="y" * (TEXT_LIMITS["challenge"] + 1))

    report = importer([make_record(1, **at_limit), over])

    assert report.created == 1
    [error] = report.errors
    assert (error.line, error.field) == (2, "challenge")
    limit = TEXT_LIMITS["challenge"]
    assert error.reason == f"longer than {limit} characters (it has {limit + 1})"


def test_too_many_terms_is_a_bad_line(importer):
    report = importer([make_record(1, themes=[f"theme-{n}" for n in range(MAX_TERMS + 1)])])
    [error] = report.errors
    assert error.field == "themes" and f"more than {MAX_TERMS}" in error.reason


def test_a_line_over_the_byte_limit_is_rejected_before_it_is_parsed(monkeypatch):
    huge = line(make_record(1, challenge="z" * MAX_LINE_BYTES)).encode()

    def no_parse(*args, **kwargs):
        raise AssertionError("an over-long line must not be parsed")

    monkeypatch.setattr("knowledgebase.interchange.importer.json.loads", no_parse)
    report = CaseStudyImporter().import_lines([huge])

    [error] = report.errors
    assert (error.line, error.field) == (1, "(line)")
    assert f"at most {MAX_LINE_BYTES:,} bytes" in error.reason
    assert CaseStudyPage.objects.count() == 0


def add_url():
    index = CaseStudyIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=["knowledgebase", "casestudypage", index.pk])


def test_the_admin_form_refuses_over_long_text_and_keeps_what_was_typed(client, importer):
    importer([make_record(1)])
    client.force_login(member("Moderators"))
    limit = TEXT_LIMITS["challenge"]
    data = case_study_form_data(
        Provider.objects.get(),
        title="Typed title kept",
        challenge="c" * (limit + 1),
        lessons="l" * (TEXT_LIMITS["lessons"] + 5),
    )

    response = client.post(add_url(), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Ensure this value has at most {limit} characters (it has {limit + 1})" in html
    assert "Typed title kept" in html and "c" * (limit + 1) in html
    assert not CaseStudyPage.objects.filter(title="Typed title kept").exists()


def test_the_admin_form_refuses_an_over_long_approach(client, importer):
    importer([make_record(1)])
    client.force_login(member("Moderators"))
    limit = TEXT_LIMITS["approach"]
    paragraph = "a" * (limit // 2)
    data = case_study_form_data(
        Provider.objects.get(),
        approach=streamfield(
            [
                ("paragraph", rich_text(f"<p>{paragraph}</p>")),
                ("paragraph", rich_text(f"<p>{paragraph}b</p>")),
            ]
        ),
    )

    response = client.post(add_url(), data)

    assert response.status_code == 200
    assert f"at most {limit} characters" in response.content.decode()
    assert not CaseStudyPage.objects.filter(slug="night-time-hydration-rounds").exists()


# 7. Copying in the admin ------------------------------------------------------------------------


def test_copying_a_case_study_gives_the_copy_a_fresh_interchange_id(client, importer):
    importer([make_record(1)])
    original = CaseStudyPage.objects.get()
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))

    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[original.pk]),
        {
            "new_title": "A copy of the practice",
            "new_slug": "a-copy-of-the-practice",
            "new_parent_page": original.get_parent().pk,
        },
    )

    assert response.status_code == 302
    copy = CaseStudyPage.objects.get(slug="a-copy-of-the-practice")
    assert copy.external_id and copy.external_id != original.external_id
    # Its revisions carry the new id too, so publishing the copy does not collide.
    assert copy.get_latest_revision_as_object().external_id == copy.external_id
    copy.get_latest_revision().publish()
    copy.refresh_from_db()
    assert copy.live and copy.external_id != original.external_id
    assert Theme.objects.filter(case_studies=copy).exists()
