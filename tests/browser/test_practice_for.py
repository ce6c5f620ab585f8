"""A manager of a service rated Requires improvement walks from the home page to practice for
their service's gaps, without JavaScript, and the pages pass axe's WCAG checks."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from knowledgebase.cqc.ratings import CareLocation, RatingFact
from tests.browser.test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser


@pytest.fixture
def struggling_service(demo_content):
    place = CareLocation.objects.create(
        location_id="1-5550000001",
        name="Elm Court Care Home",
        care_home=True,
        location_type="Social Care Org",
        primary_inspection_category="Residential social care",
        service_kind="care-home",
        region="north-west",
        postcode="WA1 1AA",
    )
    ratings = {
        "overall": "requires-improvement",
        "safe": "inadequate",
        "well-led": "requires-improvement",
    }
    for domain in ("overall", "safe", "effective", "caring", "responsive", "well-led"):
        RatingFact.objects.create(
            location=place,
            domain=domain,
            rating=ratings.get(domain, "good"),
            publication_date=datetime.date(2026, 9, 12),
            source_file="latest-ratings.ods",
            imported_at=timezone.now(),
        )
    return place


def test_from_the_home_page_to_practice_for_a_location_id(
    browser_without_js, site, struggling_service, axe_source, browser
):
    driver = browser_without_js
    driver.get(site + "/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Find practice for your service").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Practice for your service’s gaps"
    driver.find_element(By.ID, "location").send_keys(struggling_service.location_id)
    driver.find_element(By.CSS_SELECTOR, "form.practice-for-form button").click()

    # The click returns before the redirect's page has loaded on a busy machine: wait for it.
    WebDriverWait(driver, 15).until(
        EC.url_contains(f"/practice-for/{struggling_service.location_id}/")
    )
    assert driver.current_url.endswith(f"/practice-for/{struggling_service.location_id}/")
    assert "Elm Court Care Home" in driver.find_element(By.TAG_NAME, "h1").text
    gaps = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.gap h2")]
    assert gaps == ["Safe: rated Inadequate", "Well-led: rated Requires improvement"]
    first = driver.find_element(By.CSS_SELECTOR, "section.gap ol.results li h3 a")
    first.click()
    assert driver.find_element(By.TAG_NAME, "h1").text  # a case study page

    problems = []
    for path in [
        "/practice-for/",
        f"/practice-for/{struggling_service.location_id}/",
        "/practice-for/?location=nowhere",
    ]:
        browser.get(site + path)
        problems += describe(path, axe_violations(browser, axe_source))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
