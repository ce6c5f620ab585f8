"""E-mail alerts: double opt-in, the weekly digest, one-click unsubscribe, and nothing ever
sent to an address that did not confirm."""

import datetime
import re
import socket
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from following.links import CONFIRM_SALT
from following.models import Alert, AlertAddress
from knowledgebase.case_studies import CaseStudyPage
from tests.conftest import PROVIDER, make_record

pytestmark = pytest.mark.django_db

SIGN_UP = "/alerts/new/?q=hydration&key_question=safe"
BASE = "http://127.0.0.1:8000"  # settings.PUBLIC_BASE_URL in the tests


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def confirm_link(message):
    [link] = [url for url in links_in(message) if "/alerts/confirm/" in url]
    return link.removeprefix(BASE)


def sign_up(client, email="Sam@Example.org", url=SIGN_UP):
    return client.post(url, {"email": email})


def confirmed(client, email="sam@example.org", url=SIGN_UP):
    """Sign up and confirm by the link in the e-mail; returns the Alert."""
    mail.outbox.clear()
    AlertAddress.objects.filter(email=email).update(confirmation_sent_at=None)
    assert sign_up(client, email, url).status_code == 200
    link = confirm_link(mail.outbox[-1])
    assert client.post(link).status_code == 200
    mail.outbox.clear()
    return Alert.objects.get(address__email=email, search=url.split("?", 1)[1])


# Signing up -----------------------------------------------------------------------------


def test_the_sign_up_page_says_which_search_it_follows(client, database_search):
    response = client.get(SIGN_UP + "&sort=newest&page=2")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Case studies for “hydration” in Safe" in html
    assert 'href="/search/?q=hydration&amp;key_question=safe"' in html
    assert '<label for="id_email">Your e-mail address</label>' in html
    assert 'aria-describedby="email-hint"' in html
    assert 'href="/feeds/search/?q=hydration&amp;key_question=safe"' in html


def test_a_bad_search_cannot_be_followed(client, database_search):
    response = client.get("/alerts/new/?theme=no-such-theme")
    assert response.status_code == 400
    assert "Unknown theme: no-such-theme." in response.content.decode()
    assert client.post("/alerts/new/?q=a%00b", {"email": "a@example.org"}).status_code == 400
    assert not AlertAddress.objects.exists() and not mail.outbox


def test_signing_up_stores_the_address_unconfirmed_and_sends_one_confirmation(
    client, database_search
):
    response = sign_up(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your e-mail" in html and "sam@example.org" in html
    address = AlertAddress.objects.get()
    assert address.email == "sam@example.org"  # one address however it is typed
    assert address.confirmed_at is None
    alert = address.alerts.get()
    assert alert.search == "q=hydration&key_question=safe"
    assert alert.description == "for “hydration” in Safe"
    assert alert.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "Confirm your Practice Exchange alert"
    assert "Case studies for “hydration” in Safe" in message.body
    assert confirm_link(message).startswith("/alerts/confirm/")
    assert "sam@example.org" not in confirm_link(message)  # no address in links or logs
    assert "The link works for 7 days." in message.body


def test_only_the_address_and_its_searches_are_kept():
    stored = {field.name for field in AlertAddress._meta.concrete_fields}
    assert stored == {"id", "email", "created_at", "confirmed_at", "confirmation_sent_at"}
    stored = {field.name for field in Alert._meta.concrete_fields}
    assert stored == {
        "id",
        "address",
        "search",
        "description",
        "created_at",
        "confirmed_at",
        "last_sent_at",
    }


@pytest.mark.parametrize(
    "typed, error",
    [
        ("", "Enter your e-mail address"),
        ("sam.example.org", "Enter an e-mail address in the right format, like name@example.org"),
    ],
)
def test_a_bad_address_is_shown_again_with_the_error(client, database_search, typed, error):
    response = sign_up(client, typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert f'<li><a href="#id_email">{error}</a></li>' in html
    assert 'aria-describedby="email-hint email-error"' in html and 'aria-invalid="true"' in html
    assert f'value="{typed}"' in html
    assert not AlertAddress.objects.exists() and not mail.outbox


def test_a_second_confirmation_waits_a_few_minutes(client, database_search):
    sign_up(client)
    response = sign_up(client, url="/alerts/new/?theme=falls-prevention")
    html = response.content.decode()
    assert response.status_code == 429
    assert "We send at most one every 5 minutes" in html
    assert 'value="Sam@Example.org"' in html  # what was typed, kept
    assert len(mail.outbox) == 1
    assert Alert.objects.count() == 1  # the second search was not stored
    AlertAddress.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=6))
    assert sign_up(client, url="/alerts/new/?theme=falls-prevention").status_code == 200
    assert len(mail.outbox) == 2
    assert Alert.objects.count() == 2


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_when_the_mail_server_is_down_nothing_is_stored(client, database_search, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2
    response = sign_up(client)
    assert response.status_code == 503
    assert "We could not send the confirmation e-mail just now" in response.content.decode()
    assert not AlertAddress.objects.exists() and not Alert.objects.exists()


def test_signing_up_again_for_a_confirmed_search_says_so_and_asks_nothing(client, database_search):
    confirmed(client)
    AlertAddress.objects.update(confirmation_sent_at=None)
    assert sign_up(client).status_code == 200
    [message] = mail.outbox
    assert message.subject == "You already get Practice Exchange alerts for this search"
    assert "/alerts/confirm/" not in message.body
    assert Alert.objects.count() == 1


# Confirming -----------------------------------------------------------------------------


def test_opening_the_link_asks_and_only_the_button_confirms(client, database_search):
    sign_up(client)
    link = confirm_link(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)  # the reader's browser, from the e-mail
    assert client.post(link).status_code == 403  # no CSRF token: no confirmation
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirm your e-mail alert" in html and "sam@example.org" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert Alert.objects.get().confirmed_at is None  # a link scanner's GET confirms nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    done = client.post(link, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200
    assert "Your e-mail alert is confirmed" in done.content.decode()
    alert = Alert.objects.select_related("address").get()
    assert alert.confirmed_at and alert.address.confirmed_at
    again = client.get(link)
    assert "You already get this e-mail alert" in again.content.decode()


def test_an_expired_link_says_so_and_offers_to_start_again(client, database_search, settings):
    sign_up(client)
    link = confirm_link(mail.outbox[0])
    settings.ALERT_CONFIRMATION_DAYS = 0
    response = client.post(link)
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired" in html
    assert 'href="/alerts/new/?q=hydration&amp;key_question=safe"' in html
    assert Alert.objects.get().confirmed_at is None


def test_a_damaged_link_is_a_400_with_a_way_back(client, database_search):
    sign_up(client)
    link = confirm_link(mail.outbox[0])
    response = client.post(link[:-8] + "/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert 'href="/search/"' in response.content.decode()
    forged = signing.dumps({"alert": 1, "address": 1}, salt="another.salt")
    assert client.post(f"/alerts/confirm/{forged}/").status_code == 400
    assert Alert.objects.get().confirmed_at is None


def test_a_link_to_an_alert_that_has_gone_is_410(client, database_search):
    sign_up(client)
    link = confirm_link(mail.outbox[0])
    AlertAddress.objects.all().delete()
    assert client.get(link).status_code == 410
    other = signing.dumps({"alert": 999, "address": 999}, salt=CONFIRM_SALT)
    assert client.get(f"/alerts/confirm/{other}/").status_code == 410


def test_another_search_for_a_confirmed_address_needs_its_own_confirmation(client, database_search):
    first = confirmed(client)
    AlertAddress.objects.update(confirmation_sent_at=None)
    sign_up(client, url="/alerts/new/?theme=falls-prevention")
    second = Alert.objects.get(search="theme=falls-prevention")
    assert first.address_id == second.address_id
    assert second.confirmed_at is None  # anyone may type a confirmed address
    [message] = mail.outbox
    assert "Case studies on Falls prevention" in message.body
    client.post(confirm_link(message))
    second.refresh_from_db()
    assert second.confirmed_at is not None


# The digest -----------------------------------------------------------------------------

WEEK_AGO = datetime.timedelta(days=7)


@pytest.fixture
def practice(importer, database_search):
    """Hydration practice: three new case studies (one about dementia care, from another
    provider), one old, and new ones the public may not see."""
    importer(
        [
            make_record(1, title="Hydration rounds at night"),
            make_record(
                2,
                title="Hydration and dementia",
                themes=["dementia-care"],
                provider={**PROVIDER, "name": "Elm Court", "cqc_location_id": "1-1000000099"},
            ),
            make_record(3, title="Hydration stations in the lounge"),
            make_record(4, title="Old hydration practice"),
            make_record(5, title="Draft hydration practice"),
            make_record(6, title="Private hydration practice"),
            make_record(7, title="Hydration practice whose rating dropped"),
        ]
    )
    pages = {page.external_id: page for page in CaseStudyPage.objects.all()}
    CaseStudyPage.objects.filter(pk=pages["cs-test-0004"].pk).update(
        first_published_at=timezone.now() - 3 * WEEK_AGO
    )
    pages["cs-test-0005"].unpublish()
    PageViewRestriction.objects.create(page=pages["cs-test-0006"], restriction_type="login")
    CaseStudyPage.objects.filter(pk=pages["cs-test-0007"].pk).update(rating_dropped=True)
    return pages


def signed_up_a_week_ago(client, email="sam@example.org", url=SIGN_UP):
    alert = confirmed(client, email, url)
    Alert.objects.filter(pk=alert.pk).update(confirmed_at=timezone.now() - WEEK_AGO)
    return alert


def run_digest(*args):
    out, err = StringIO(), StringIO()
    call_command("send_alert_digests", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_digest_lists_each_search_with_its_new_matches(client, practice):
    signed_up_a_week_ago(client)
    signed_up_a_week_ago(client, url="/alerts/new/?q=hydration&theme=dementia-care")
    out, _ = run_digest()
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "3 new case studies for your searches | Practice Exchange"
    body = message.body
    safe = body.index("Case studies for “hydration” in Safe: 3 new")
    dementia = body.index("Case studies for “hydration” on Dementia care: 1 new")
    assert safe < dementia
    for external_id in ("cs-test-0001", "cs-test-0002", "cs-test-0003"):
        page = practice[external_id]
        assert page.title in body
        assert f"{BASE}{page.url}" in body
    assert "   Elm Court\n" in body and "   Meadowbank House\n" in body
    assert practice["cs-test-0001"].summary in body  # a summary line, under 200 characters
    for hidden in ("Old", "Draft", "Private", "whose rating dropped"):
        assert f"{hidden} hydration practice" not in body
        assert hidden not in body.replace("Practice Exchange", "")
    # One-click unsubscribe: a link per search, one for all, and the RFC 8058 headers.
    assert (
        body.count("Stop e-mails for this search: http://127.0.0.1:8000/alerts/unsubscribe/") == 2
    )
    assert "Stop every Practice Exchange e-mail: http://127.0.0.1:8000/alerts/unsubscribe/" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://127\.0\.0\.1:8000/alerts/unsubscribe/[^>]+/>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert "Addresses 1/1 done, e-mails sent: 1" in out
    assert "Done: 1 address checked, 1 e-mail sent, 0 failed." in out


def test_nothing_is_ever_sent_to_an_address_that_did_not_confirm(client, practice):
    sign_up(client)
    Alert.objects.update(created_at=timezone.now() - WEEK_AGO)
    mail.outbox.clear()
    out, _ = run_digest()
    assert mail.outbox == []
    assert "Checking 0 confirmed addresses" in out


def test_an_unconfirmed_search_of_a_confirmed_address_is_not_in_the_digest(client, practice):
    signed_up_a_week_ago(client)
    AlertAddress.objects.update(confirmation_sent_at=None)
    sign_up(client, url="/alerts/new/?q=hydration&theme=dementia-care")  # not confirmed
    mail.outbox.clear()
    run_digest()
    [message] = mail.outbox
    assert "Case studies for “hydration” in Safe" in message.body
    assert "Dementia care" not in message.body


def test_only_what_is_new_since_the_last_digest_and_nothing_when_nothing_is(client, practice):
    alert = signed_up_a_week_ago(client)
    run_digest()
    assert len(mail.outbox) == 1
    alert.refresh_from_db()
    assert alert.last_sent_at is not None
    mail.outbox.clear()
    out, _ = run_digest()
    assert mail.outbox == []  # nothing new since
    assert "1 e-mail" not in out and "0 e-mails sent" in out
    # Newly published practice comes in the next one, alone.
    CaseStudyPage.objects.filter(pk=practice["cs-test-0002"].pk).update(
        first_published_at=timezone.now()
    )
    run_digest()
    [message] = mail.outbox
    assert "Hydration and dementia" in message.body
    assert "Hydration rounds at night" not in message.body
    assert message.subject == "1 new case study for “hydration” in Safe | Practice Exchange"


def test_a_long_list_shows_ten_and_links_to_the_rest(client, importer, database_search):
    importer([make_record(n, title=f"Hydration practice number {n}") for n in range(1, 13)])
    signed_up_a_week_ago(client)
    run_digest()
    [message] = mail.outbox
    assert message.body.count("Hydration practice number") == 10
    assert "12 new" in message.body
    assert f"And 2 more: {BASE}/search/?q=hydration&key_question=safe&sort=newest" in message.body


def test_practice_published_before_confirming_is_not_news(client, practice):
    confirmed(client)  # confirmed now: everything was published before
    run_digest()
    assert mail.outbox == []


def test_a_failed_send_is_tried_again_next_time(client, practice, settings):
    alert = signed_up_a_week_ago(client)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(CommandError, match="1 digest could not be sent"):
        run_digest()
    alert.refresh_from_db()
    assert alert.last_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_digest()
    [message] = mail.outbox
    assert "Hydration rounds at night" in message.body


def test_a_dry_run_sends_changes_and_deletes_nothing(client, practice):
    alert = signed_up_a_week_ago(client)
    sign_up(client, email="never@example.org")
    AlertAddress.objects.filter(email="never@example.org").update(
        created_at=timezone.now() - 2 * WEEK_AGO,
        confirmation_sent_at=timezone.now() - 2 * WEEK_AGO,
    )
    mail.outbox.clear()
    out, _ = run_digest("--dry-run")
    assert mail.outbox == []
    assert "1 address and 0 searches would be deleted" in out
    assert f"address {alert.address_id}: would send 3 case studies for 1 search" in out
    assert AlertAddress.objects.filter(email="never@example.org").exists()
    alert.refresh_from_db()
    assert alert.last_sent_at is None


@pytest.mark.parametrize("only", [False, True], ids=["with-the-digest", "unconfirmed-only"])
def test_addresses_never_confirmed_are_deleted_after_the_confirmation_days(client, practice, only):
    signed_up_a_week_ago(client)
    sign_up(client, email="never@example.org")
    sign_up(client, email="recent@example.org")
    old = timezone.now() - WEEK_AGO - datetime.timedelta(hours=1)
    AlertAddress.objects.filter(email="never@example.org").update(
        created_at=old, confirmation_sent_at=old
    )
    mail.outbox.clear()
    out, _ = run_digest(*(["--unconfirmed-only"] if only else []))
    assert "1 address and 0 searches deleted" in out
    assert set(AlertAddress.objects.values_list("email", flat=True)) == {
        "sam@example.org",
        "recent@example.org",
    }
    # The daily clean-up sends nothing; the weekly digest goes to the confirmed address.
    assert [message.to for message in mail.outbox] == ([] if only else [["sam@example.org"]])


def test_a_search_that_no_longer_parses_is_reported_not_fatal(client, practice):
    alert = signed_up_a_week_ago(client)
    Alert.objects.filter(pk=alert.pk).update(search="theme=a-theme-since-deleted")
    signed_up_a_week_ago(client, url="/alerts/new/?q=hydration&theme=dementia-care")
    _, err = run_digest()
    assert "Unknown theme: a-theme-since-deleted." in err
    [message] = mail.outbox
    assert "Hydration and dementia" in message.body


# Unsubscribing ----------------------------------------------------------------------------


def unsubscribe_links(message):
    return [url.removeprefix(BASE) for url in links_in(message) if "/unsubscribe/" in url]


def test_one_click_stops_one_search_and_the_address_goes_with_its_last(client, practice):
    signed_up_a_week_ago(client)
    signed_up_a_week_ago(client, url="/alerts/new/?q=hydration&theme=dementia-care")
    run_digest()
    safe, dementia, everything = unsubscribe_links(mail.outbox[0])
    response = client.get(safe)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You are unsubscribed" in html
    assert "Case studies for “hydration” in Safe" in html
    assert "You still get e-mails for" in html and "on Dementia care" in html
    assert list(Alert.objects.values_list("search", flat=True)) == [
        "q=hydration&theme=dementia-care"
    ]
    client.get(dementia)
    assert not AlertAddress.objects.exists()  # no searches left: the address is gone
    again = client.get(everything)
    assert again.status_code == 200
    assert "You were already unsubscribed" in again.content.decode()


def test_the_link_for_everything_stops_every_search(client, practice):
    signed_up_a_week_ago(client)
    signed_up_a_week_ago(client, url="/alerts/new/?q=hydration&theme=dementia-care")
    run_digest()
    everything = unsubscribe_links(mail.outbox[0])[-1]
    html = client.get(everything).content.decode()
    assert "We no longer hold your e-mail address." in html
    assert not AlertAddress.objects.exists() and not Alert.objects.exists()


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(client, practice):
    signed_up_a_week_ago(client)
    run_digest()
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    url = header.strip("<>").removeprefix(BASE)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AlertAddress.objects.exists()


def test_a_head_request_unsubscribes_nothing(client, practice):
    signed_up_a_week_ago(client)
    run_digest()
    assert client.head(unsubscribe_links(mail.outbox[0])[0]).status_code == 200
    assert Alert.objects.exists()


def test_a_damaged_unsubscribe_link_is_a_400(client, practice):
    alert = signed_up_a_week_ago(client)
    forged = signing.dumps({"alert": alert.pk}, salt=CONFIRM_SALT)  # another link's token
    response = client.get(f"/alerts/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Alert.objects.filter(pk=alert.pk).exists()
