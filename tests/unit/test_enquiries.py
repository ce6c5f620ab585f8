"""Asking the provider about a case study (issue #13): the request form under the case study
page, its e-mails through Django's e-mail framework (the locmem outbox of the test settings),
the honeypot and the rate limit, the admin's "Requests from readers", and retention."""

import datetime
import logging
import re
import socket

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.enquiries import (
    MESSAGE_MAX_LENGTH,
    PracticeEnquiry,
    Status,
    client_hash,
    recipients_for,
)
from knowledgebase.management.commands.load_demo_content import CONTRIBUTOR_PROVIDERS
from knowledgebase.management.commands.load_demo_content import Command as LoadDemoContent
from knowledgebase.providers import Provider
from tests.conftest import PROVIDER, make_record

pytestmark = pytest.mark.django_db

CONTACT = "sam@example.org"  # make_record's contact address
READER = {
    "name": "Ann Reader",
    "role": "Registered manager",
    "organisation": "Riverside Care",
    "cqc_location_id": "1-123456789",
    "email": "ann@example.org",
    "asking_for": "visit",
    "message": "Could two of our night staff visit in March?\n\nThanks & regards, <Ann>",
    "consent": "on",
}


@pytest.fixture
def case_study(importer, database_search):
    importer([make_record(1, contact={"name": "Sam Lee", "email": CONTACT, "offers": ["visit"]})])
    return CaseStudyPage.objects.get()


@pytest.fixture
def other_case_study(case_study, importer):
    other = {**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"}
    importer([make_record(2, provider=other)])
    return CaseStudyPage.objects.get(external_id="cs-test-0002")


@pytest.fixture
def send(client, case_study, django_capture_on_commit_callbacks):
    """POST the form as a reader at an address; e-mails go when the request commits."""

    def post(data=None, address="203.0.113.7", page=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(ask_url(page or case_study), data or READER, REMOTE_ADDR=address)

    return post


def ask_url(page):
    return page.url + page.reverse_subpage("ask")


def sent_url(page):
    return page.url + page.reverse_subpage("ask-sent")


def member(username, group, email=""):
    user = User.objects.create_user(username, password="pw", email=email)
    user.groups.add(Group.objects.get(name=group))
    return user


def stored(page, minutes_ago=0, **fields):
    """A request already in the database, received some minutes ago."""
    values = {
        "name": "Bo Reader",
        "role": "Manager",
        "organisation": "Hill Care",
        "email": "bo@example.org",
        "message": "Hello",
        "consent": True,
        "client_hash": "earlier",
        **fields,
    }
    enquiry = PracticeEnquiry.objects.create(case_study=page, **values)
    enquiry.created_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    enquiry.save(update_fields=["created_at"])
    return enquiry


# The case study page ---------------------------------------------------------------------


def test_case_study_page_links_to_the_form_and_never_prints_the_address(client, case_study):
    response = client.get(case_study.url)
    html = response.content.decode()
    assert response.status_code == 200  # the index route still renders the page
    assert f"<h1>{case_study.title}</h1>" in html
    assert CONTACT not in html and "mailto:" not in html
    panel = html[
        html.index('<h2 id="contact">') : html.index("</section>", html.index('id="contact"'))
    ]
    assert "Contact: Sam Lee" in panel
    assert f'href="{ask_url(case_study)}"><strong>Ask about this practice</strong>' in panel
    assert f'href="{ask_url(case_study)}?offer=visit">Visits to see the practice</a>' in panel


def test_the_search_api_and_pages_never_carry_the_contact_address(client, case_study):
    pages = [
        "/api/search/?q=hydration",
        "/api/search/",
        "/search/?q=hydration",
        "/case-studies/",
        ask_url(case_study),
        sent_url(case_study),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CONTACT not in response.content.decode(), url
    assert case_study.title in client.get("/api/search/?q=hydration").content.decode()


# The form --------------------------------------------------------------------------------


def test_form_says_which_case_study_and_provider_with_a_link_back(client, case_study):
    response = client.get(ask_url(case_study))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ask about this practice</h1>" in html
    assert f'<a href="{case_study.url}">{case_study.title}</a>' in html
    assert "a case study from <strong>Meadowbank House</strong>" in html
    assert f'<a href="{case_study.url}">Back to the case study</a>' in html
    # The consent label says what goes to whom.
    assert (
        "passes my name, role, organisation, CQC location id (if I gave it), e-mail address "
        "and message to Meadowbank House" in html
    )
    # A question is the default; the case study's offers are the other choices.
    assert re.search(r'value="question" id="id_asking_for_0"[^>]* checked', html)
    assert 'value="visit"' in html and 'value="mentoring"' not in html
    # The honeypot is out of people's way.
    assert re.search(r'<div class="enquiry-form__trap" aria-hidden="true">', html)
    assert re.search(r'name="website" tabindex="-1" autocomplete="off"', html)
    assert "Leave this empty" in html


def test_offer_in_the_query_preselects_it_and_an_unknown_one_does_not(client, case_study):
    html = client.get(ask_url(case_study) + "?offer=visit").content.decode()
    assert re.search(r'value="visit" id="id_asking_for_1"[^>]* checked', html)
    html = client.get(ask_url(case_study) + "?offer=mentoring").content.decode()
    assert re.search(r'value="question" id="id_asking_for_0"[^>]* checked', html)
    assert 'value="mentoring"' not in html  # not one of this case study's offers


def test_a_good_request_is_stored_sent_and_confirmed(client, case_study, send, mailoutbox):
    response = send()
    assert response.status_code == 302
    assert response["Location"] == sent_url(case_study)

    enquiry = PracticeEnquiry.objects.get()
    assert enquiry.case_study == case_study
    assert (enquiry.name, enquiry.role, enquiry.organisation) == (
        "Ann Reader",
        "Registered manager",
        "Riverside Care",
    )
    assert enquiry.cqc_location_id == "1-123456789"
    assert enquiry.email == "ann@example.org"
    assert enquiry.message == READER["message"]
    assert enquiry.offer.slug == "visit"
    assert enquiry.consent is True
    assert enquiry.status == Status.NEW
    # The address only as a keyed hash, never itself.
    assert len(enquiry.client_hash) == 64 and "203.0.113.7" not in enquiry.client_hash
    for field in PracticeEnquiry._meta.concrete_fields:
        assert "203.0.113.7" not in str(getattr(enquiry, field.attname)), field.name

    to_provider, confirmation = mailoutbox
    assert to_provider.to == [CONTACT]
    assert to_provider.reply_to == ["ann@example.org"]
    assert (
        to_provider.subject
        == f"Visits to see the practice from Riverside Care: “{case_study.title}”"
    )
    assert "Ann Reader (Registered manager, Riverside Care) asks about" in to_provider.body
    assert "Thanks & regards, <Ann>" in to_provider.body  # plain text: not HTML-escaped
    assert "https://www.cqc.org.uk/location/1-123456789" in to_provider.body
    assert f"/admin/requests/edit/{enquiry.pk}/" in to_provider.body

    assert confirmation.to == ["ann@example.org"]
    assert confirmation.subject == f"Your request to Meadowbank House about “{case_study.title}”"
    assert "to Meadowbank House" in confirmation.body
    assert CONTACT not in confirmation.body  # who it went to by name, not address
    assert "You asked for: Visits to see the practice" in confirmation.body
    # Nothing the reader typed: anyone may type any address, so no stranger's words reach it.
    for typed in ("message", "name", "organisation", "role"):
        assert READER[typed] not in confirmation.body, typed
    assert "http://" in confirmation.body and case_study.url in confirmation.body

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Your request has been sent" in thanks.content.decode()
    assert "to Meadowbank House" in thanks.content.decode()


def test_a_question_has_no_offer(send, mailoutbox):
    send({**READER, "asking_for": "question", "cqc_location_id": ""})
    enquiry = PracticeEnquiry.objects.get()
    assert enquiry.offer is None and enquiry.asking_for_label == "Question"
    assert mailoutbox[0].subject.startswith("Question from Riverside Care")
    assert "CQC location id" not in mailoutbox[0].body


def test_bad_input_shows_the_form_again_with_everything_typed(send, mailoutbox):
    typed = {
        **READER,
        "name": "",
        "email": "ann-at-example",
        "cqc_location_id": "12345",
        "message": "Is the acoustic system hard to install?",
    }
    response = send(typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert PracticeEnquiry.objects.count() == 0 and mailoutbox == []
    assert "<title>Error: Ask about this practice" in html
    # The summary comes first, is focused on load, and links to each field in error.
    summary = html[html.index('<div class="error-summary"') : html.index("<form")]
    assert 'tabindex="-1" autofocus' in summary
    assert '<a href="#id_name">Enter your name.</a>' in summary
    assert '<a href="#id_email">Enter an e-mail address like name@example.org.</a>' in summary
    assert '<a href="#id_cqc_location_id">A CQC location id looks like 1-1234567890' in summary
    # Each field's error beside it, tied to it.
    assert 'aria-invalid="true" aria-describedby="id_name_error" id="id_name"' in html
    assert 'aria-describedby="id_email_helptext id_email_error" id="id_email"' in html
    assert '<p class="field-error" id="id_email_error">' in html
    # Everything typed is still there.
    assert 'value="ann-at-example"' in html
    assert 'value="12345"' in html
    assert 'value="Riverside Care"' in html and 'value="Registered manager"' in html
    assert "\nIs the acoustic system hard to install?</textarea>" in html
    assert re.search(r'value="visit" id="id_asking_for_1"[^>]* checked', html)
    assert re.search(r'name="consent"[^>]* checked', html)


def test_consent_is_required(send, mailoutbox):
    response = send({key: value for key, value in READER.items() if key != "consent"})
    html = response.content.decode()
    assert response.status_code == 400
    assert PracticeEnquiry.objects.count() == 0 and mailoutbox == []
    assert '<a href="#id_consent">Tick the box to agree that we pass your details to ' in html
    assert 'value="Ann Reader"' in html


def test_a_long_message_is_refused_with_its_length_and_kept(send):
    message = "x" * (MESSAGE_MAX_LENGTH + 1)
    response = send({**READER, "message": message})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Shorten your message to 5,000 characters or fewer (it has 5,001)." in html
    assert f"\n{message}</textarea>" in html
    assert "maxlength" not in html  # the browser must not cut the paste short


def test_line_breaks_in_one_line_fields_are_refused(send, mailoutbox):
    response = send({**READER, "organisation": "Riverside\r\nBcc: everyone@example.org"})
    assert response.status_code == 400
    assert "Write this on one line." in response.content.decode()
    assert PracticeEnquiry.objects.count() == 0 and mailoutbox == []


def test_other_methods_are_not_allowed(client, case_study):
    response = client.put(ask_url(case_study))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


# Abuse -----------------------------------------------------------------------------------


def test_the_honeypot_answers_as_if_sent_and_keeps_nothing(case_study, send, mailoutbox):
    response = send({**READER, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == sent_url(case_study)
    assert PracticeEnquiry.objects.count() == 0
    assert mailoutbox == []


def test_too_many_from_one_address_gets_429_and_nothing_is_kept(send, mailoutbox, settings):
    settings.ENQUIRY_RATE_LIMIT = 3
    for n in range(3):
        assert send({**READER, "email": f"reader{n}@example.org"}).status_code == 302
    mailoutbox.clear()

    response = send({**READER, "email": "another@example.org"})
    html = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert PracticeEnquiry.objects.count() == 3 and mailoutbox == []
    assert "Too many requests in the last hour" in html
    assert "Your request was <strong>not sent</strong>" in html
    assert "up to 3 requests an hour from one connection or one e-mail address" in html
    assert "Thanks &amp; regards, &lt;Ann&gt;" in html  # their message, to keep
    # Another connection may still send.
    response = send({**READER, "email": "another@example.org"}, address="198.51.100.9")
    assert response.status_code == 302


def test_requests_older_than_an_hour_do_not_count(case_study, send, settings, rf):
    settings.ENQUIRY_RATE_LIMIT = 2
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        stored(case_study, minutes_ago=61, client_hash=client_hash(request))
    assert send().status_code == 302


def test_retry_after_says_when_the_oldest_of_the_hour_leaves_it(case_study, send, settings, rf):
    settings.ENQUIRY_RATE_LIMIT = 2
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    stored(case_study, minutes_ago=50, client_hash=client_hash(request))
    stored(case_study, minutes_ago=10, client_hash=client_hash(request))
    response = send()
    assert response.status_code == 429
    assert 9 * 60 <= int(response["Retry-After"]) <= 10 * 60  # 60 - 50 minutes
    assert "in about 10 minutes" in response.content.decode()


def test_too_many_from_one_e_mail_address_gets_429(case_study, send, mailoutbox, settings):
    settings.ENQUIRY_RATE_LIMIT = 2
    for n in range(2):
        assert send(address=f"198.51.100.{n + 1}").status_code == 302
    mailoutbox.clear()
    response = send({**READER, "email": "ANN@example.org"}, address="198.51.100.50")
    assert response.status_code == 429
    assert PracticeEnquiry.objects.count() == 2 and mailoutbox == []


def test_the_client_hash_is_keyed_by_the_secret_key(rf, settings):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    first = client_hash(request)
    assert first == client_hash(rf.get("/", REMOTE_ADDR="203.0.113.7"))
    assert first != client_hash(rf.get("/", REMOTE_ADDR="203.0.113.8"))
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert client_hash(request) != first


# Who receives it, and when sending fails -------------------------------------------------


def test_without_a_contact_address_the_providers_contributors_receive_it(case_study):
    case_study.contact_email = ""
    case_study.save()
    moderator = member("mod", "Moderators", email="mod@example.org")
    assert recipients_for(case_study) == [moderator.email]  # nobody else yet

    writer = member("writer", "Contributors", email="writer@example.org")
    member("other", "Contributors", email="other@example.org")  # not this provider's
    case_study.provider.contributors.add(writer, member("no-email", "Contributors"))
    assert recipients_for(case_study) == ["writer@example.org"]

    case_study.contact_email = CONTACT
    assert recipients_for(case_study) == [CONTACT]


def test_a_failed_send_keeps_the_request_and_is_logged(case_study, send, settings, caplog):
    # The real SMTP backend, to a port where nothing listens: the connection is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with caplog.at_level(logging.ERROR, logger="knowledgebase.enquiries"):
        response = send()
    assert response.status_code == 302
    enquiry = PracticeEnquiry.objects.get()
    messages = [record.getMessage() for record in caplog.records]
    for which in ("to the provider", "to the reader"):
        assert (
            f"Request {enquiry.pk}: the e-mail {which} could not be sent (ConnectionRefusedError)."
            in messages
        )
    # The logs hold neither address: an SMTP refusal's text would name them.
    assert not any(record.exc_info for record in caplog.records)
    assert not any("@" in message for message in messages)


# The admin: "Requests from readers" -----------------------------------------------------


@pytest.fixture
def requests(case_study, other_case_study):
    """One request about each provider's case study."""
    return stored(case_study, organisation="Riverside Care"), stored(
        other_case_study, organisation="Hill Care"
    )


def listing(client):
    response = client.get(reverse("requests:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_moderators_see_every_request(client, requests):
    client.force_login(member("mod", "Moderators"))
    html = listing(client)
    assert "Riverside Care" in html and "Hill Care" in html
    assert "Meadowbank House" in html and "Elm Court" in html  # the provider column
    assert "Requests from readers" in client.get(reverse("wagtailadmin_home")).content.decode()
    for enquiry in requests:
        assert client.get(reverse("requests:edit", args=[enquiry.pk])).status_code == 200


def test_a_contributor_sees_only_their_providers_requests(client, requests):
    ours, theirs = requests
    writer = member("writer", "Contributors")
    ours.case_study.provider.contributors.add(writer)
    client.force_login(writer)
    html = listing(client)
    assert "Riverside Care" in html and "Hill Care" not in html
    assert client.get(reverse("requests:edit", args=[ours.pk])).status_code == 200
    for name in ("edit", "delete", "history"):
        assert client.get(reverse(f"requests:{name}", args=[theirs.pk])).status_code == 404, name


def test_a_contributor_of_no_provider_sees_none(client, requests):
    client.force_login(member("writer", "Contributors"))
    html = listing(client)
    assert "Riverside Care" not in html and "Hill Care" not in html


def test_curators_see_no_requests(client, requests):
    client.force_login(member("cur", "Curators"))
    assert client.get(reverse("requests:index")).status_code == 302  # permission denied
    assert client.get(reverse("requests:edit", args=[requests[0].pk])).status_code == 302
    assert "Requests from readers" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_nobody_adds_a_request_in_the_admin(admin_client, requests):
    assert admin_client.get(reverse("requests:add")).status_code == 302
    assert reverse("requests:add") not in listing(admin_client)


def test_staff_change_the_status_only(client, requests):
    ours = requests[0]
    writer = member("writer", "Contributors")
    ours.case_study.provider.contributors.add(writer)
    client.force_login(writer)
    edit = reverse("requests:edit", args=[ours.pk])
    html = client.get(edit).content.decode()
    assert "Hello" in html and "bo@example.org" in html  # the reader's words, to read
    assert set(re.findall(r'<(?:input|textarea|select)[^>]* name="(\w+)"', html)) <= {
        "csrfmiddlewaretoken",
        "status",
    }
    response = client.post(edit, {"status": "answered", "message": "Changed", "name": "Eve"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == Status.ANSWERED
    assert (ours.message, ours.name) == ("Hello", "Bo Reader")


def test_the_listing_filters_by_status(admin_client, requests):
    ours, theirs = requests
    ours.status = Status.ANSWERED
    ours.save()
    html = admin_client.get(reverse("requests:index") + "?status=answered").content.decode()
    assert "Riverside Care" in html and "Hill Care" not in html
    html = admin_client.get(reverse("requests:index") + "?status=new").content.decode()
    assert "Hill Care" in html and "Riverside Care" not in html


# Retention -------------------------------------------------------------------------------


def test_old_requests_are_deleted_with_their_history(case_study, settings, capsys):
    settings.ENQUIRY_RETENTION_DAYS = 30
    old = stored(case_study, minutes_ago=31 * 24 * 60, organisation="Old Care")
    kept = stored(case_study, minutes_ago=29 * 24 * 60, organisation="Recent Care")
    log(old, "wagtail.edit")
    log(kept, "wagtail.edit")

    call_command("delete_old_enquiries", "--dry-run")
    assert "Would delete 1 request received before" in capsys.readouterr().out
    assert PracticeEnquiry.objects.count() == 2

    call_command("delete_old_enquiries")
    out = capsys.readouterr().out
    assert out.startswith("Deleted 1 request received before") and "(kept for 30 days)" in out
    assert list(PracticeEnquiry.objects.all()) == [kept]
    assert list(ModelLogEntry.objects.values_list("object_id", flat=True)) == [str(kept.pk)]

    call_command("delete_old_enquiries")
    assert capsys.readouterr().out.startswith("Deleted 0 requests")


def test_the_client_address_hash_is_forgotten_after_the_rate_limits_hour(case_study, capsys):
    hour_old = stored(case_study, minutes_ago=61, organisation="Earlier Care")
    recent = stored(case_study, minutes_ago=10, organisation="Recent Care")
    call_command("delete_old_enquiries")
    assert "Forgot the client address of 1 request older than an hour" in capsys.readouterr().out
    hour_old.refresh_from_db()
    recent.refresh_from_db()
    assert (hour_old.client_hash, recent.client_hash) == ("", "earlier")
    # What is kept still counts for the limit: the recent one.
    assert PracticeEnquiry.objects.recent().filter(client_hash="earlier").count() == 1


def test_deleting_a_case_study_deletes_its_requests(case_study):
    stored(case_study)
    case_study.delete()
    assert PracticeEnquiry.objects.count() == 0


# Demo content ----------------------------------------------------------------------------


def test_the_demo_contributor_writes_for_demo_providers(demo_content):
    LoadDemoContent().create_users()
    LoadDemoContent().create_users()  # again: nothing twice
    contributor = User.objects.get(username="contributor")
    assert sorted(p.name for p in contributor.providers.all()) == sorted(CONTRIBUTOR_PROVIDERS)
    assert Provider.objects.filter(contributors=contributor).count() == len(CONTRIBUTOR_PROVIDERS)
