"""A reader follows a search: by e-mail (sign up, confirm by the link in the e-mail, get the
weekly digest, unsubscribe with one click from it) and by feed (found from the page's
<link rel="alternate">). Each page passes axe's WCAG checks, fits a 390 px phone, and the
sign-up works without JavaScript."""

import datetime
import re
import urllib.request
from io import StringIO

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from following.models import Alert, AlertAddress
from knowledgebase.case_studies import CaseStudyPage
from tests.browser.test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

PHONE = (390, 844)
FEED_LINK = 'link[rel="alternate"][type="application/atom+xml"]'


@pytest.fixture
def links_to_live_server(settings, site):
    """E-mails link to the live server, as they link to the site in production."""
    settings.PUBLIC_BASE_URL = site
    mail.outbox.clear()
    return site


def link_in(message, part):
    """The first link in the e-mail whose URL has `part` in it."""
    return next(url for url in re.findall(r"https?://\S+", message.body) if part in url)


def wait_for_heading(driver, text):
    """Wait until the page's h1 says `text` (a submitted form's answer has loaded)."""
    WebDriverWait(driver, 15, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.TAG_NAME, "h1").text == text
    )


def check(driver, axe_source, where, problems):
    """axe's WCAG A and AA rules, and nothing wider than the window (no sideways scroll)."""
    problems += describe(where, axe_violations(driver, axe_source))
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{where}: {overflow} px wider than the {PHONE[0]} px window")


def test_follow_a_search_by_e_mail_on_a_phone(browser, links_to_live_server, axe_source):
    site, driver, problems = links_to_live_server, browser, []
    driver.set_window_size(*PHONE)

    driver.get(site + "/alerts/new/?q=falls")
    wait_for_heading(driver, "Get new practice by e-mail")
    assert driver.find_element(By.CSS_SELECTOR, ".followed-search").text == (
        "Case studies for “falls”"
    )
    check(driver, axe_source, "sign-up", problems)

    # A typo first: the error is summarised, linked to the field, and what was typed stays.
    driver.find_element(By.ID, "id_email").send_keys("sam.example.org")
    driver.find_element(By.CSS_SELECTOR, "form.alert-form button").click()
    summary = WebDriverWait(driver, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary a"))
    )
    assert driver.title.startswith("Error: ")
    assert summary.text == "Enter an e-mail address in the right format, like name@example.org"
    assert summary.get_attribute("href").endswith("#id_email")
    field = driver.find_element(By.ID, "id_email")
    assert field.get_attribute("value") == "sam.example.org"
    assert field.get_attribute("aria-invalid") == "true"
    assert "email-error" in field.get_attribute("aria-describedby")
    check(driver, axe_source, "sign-up with an error", problems)
    assert mail.outbox == []

    field.clear()
    field.send_keys("sam@example.org")
    driver.find_element(By.CSS_SELECTOR, "form.alert-form button").click()
    wait_for_heading(driver, "Check your e-mail")
    check(driver, axe_source, "check your e-mail", problems)

    # The confirmation e-mail, and only it.
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    driver.get(link_in(message, "/alerts/confirm/"))
    wait_for_heading(driver, "Confirm your e-mail alert")
    check(driver, axe_source, "confirm", problems)
    assert Alert.objects.get().confirmed_at is None  # opening the link confirms nothing
    driver.find_element(By.CSS_SELECTOR, "form.alert-form button").click()
    wait_for_heading(driver, "Your e-mail alert is confirmed")
    check(driver, axe_source, "confirmed", problems)

    # A week on: the demo case studies about falls are new since the alert was confirmed.
    Alert.objects.update(confirmed_at=timezone.now() - datetime.timedelta(days=7))
    mail.outbox.clear()
    call_command("send_alert_digests", stdout=StringIO())
    [digest] = mail.outbox
    assert "Case studies for “falls”:" in digest.body
    first = CaseStudyPage.objects.live().get(external_id="cs-acoustic-monitoring-night-falls")
    assert f"{site}{first.url}" in digest.body

    # One click in the digest (the search's own link) stops it; the address goes with its
    # only search.
    driver.get(link_in(digest, "/alerts/unsubscribe/"))
    wait_for_heading(driver, "You are unsubscribed")
    check(driver, axe_source, "unsubscribed", problems)
    assert not AlertAddress.objects.exists()

    assert not problems, "\n".join(problems)


def test_signing_up_and_confirming_work_without_javascript(
    browser_without_js, links_to_live_server
):
    site, driver = links_to_live_server, browser_without_js
    driver.get(site + "/alerts/new/?q=falls&key_question=safe")
    assert "Case studies for “falls” in Safe" in driver.page_source
    driver.find_element(By.ID, "id_email").send_keys("jo@example.org")
    driver.find_element(By.CSS_SELECTOR, "form.alert-form button").click()
    wait_for_heading(driver, "Check your e-mail")
    driver.get(link_in(mail.outbox[-1], "/alerts/confirm/"))
    driver.find_element(By.CSS_SELECTOR, "form.alert-form button").click()
    wait_for_heading(driver, "Your e-mail alert is confirmed")
    alert = Alert.objects.select_related("address").get()
    assert alert.search == "q=falls&key_question=safe"
    assert alert.confirmed_at and alert.address.confirmed_at


def test_a_feed_reader_finds_the_feed_from_the_home_page(browser, links_to_live_server, axe_source):
    site, driver = links_to_live_server, browser
    driver.set_window_size(*PHONE)
    driver.get(site + "/")
    follow = driver.find_element(By.CSS_SELECTOR, "section.follow-new-practice")
    assert follow.find_element(By.LINK_TEXT, "Get new practice by e-mail").get_attribute(
        "href"
    ) == (site + "/alerts/new/")
    problems = []
    check(driver, axe_source, "home", problems)
    assert not problems, "\n".join(problems)
    link = driver.find_element(By.CSS_SELECTOR, FEED_LINK)
    assert link.get_attribute("title") == "Practice Exchange: new and updated case studies"
    for url in (link.get_attribute("href"), site + "/feeds/search/?q=falls"):
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
            feed = feedparser.parse(response.read())
        assert feed.bozo == 0, feed.bozo_exception
        public = {page.title for page in CaseStudyPage.objects.live().public()}
        assert feed.entries and {entry.title for entry in feed.entries} <= public
        assert all(entry.link.startswith(site) for entry in feed.entries)
    assert "falls" in feed.feed.title
