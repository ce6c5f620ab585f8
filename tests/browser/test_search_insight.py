"""Promoted results and the click-through on the search page (a phone, no JavaScript), and
the admin's Search insight screen: they read right and meet WCAG (axe-core)."""

from django.contrib.auth.models import Group, User
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from insight.models import SearchLog
from knowledgebase.case_studies import CaseStudyPage
from tests.browser.test_accessibility import axe_violations, describe

PHONE = (390, 844)


def test_a_promoted_result_on_a_phone_without_javascript(
    browser_without_js, browser, site, case_study, axe_source
):
    SearchPromotion.objects.create(query=Query.get("falls"), page=case_study, sort_order=0)
    driver = browser_without_js
    driver.set_window_size(*PHONE)
    driver.get(site + "/search/?q=Falls")
    first = driver.find_element(By.CSS_SELECTOR, "ol.results > li")
    label = first.find_element(By.CSS_SELECTOR, ".promoted-label")
    assert label.is_displayed() and label.text.startswith("Promoted")
    link = first.find_element(By.CSS_SELECTOR, "h3 a")
    assert link.text == case_study.title
    assert "/search/open/" in link.get_attribute("href")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    link.click()
    # The click returns before the redirect's page has loaded on a busy machine: wait for it.
    WebDriverWait(driver, 15).until(EC.url_to_be(site + case_study.url))
    assert SearchLog.objects.get(query="falls").opened is True

    # axe-core needs JavaScript: the same page in the other browser, at the same width.
    browser.set_window_size(*PHONE)
    browser.get(site + "/search/?q=Falls")
    problems = describe("/search/?q=Falls (promoted, phone)", axe_violations(browser, axe_source))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_search_insight_screen(browser, site, demo_content, axe_source):
    curator = User.objects.create_user("curator-test", password="a long test password")
    curator.groups.add(Group.objects.get(name="Curators"))
    page = CaseStudyPage.objects.live().first()
    SearchPromotion.objects.create(query=Query.get("rota gaps"), page=page, sort_order=0)
    for words in ("rota gaps", "rota gaps", "oral health at night"):
        browser.get(f"{site}/search/?q={words}")
    browser.get(site + "/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys("curator-test")
    browser.find_element(By.ID, "id_password").send_keys("a long test password\n")
    browser.get(site + "/admin/search-insight/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Search insight"
    top = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=table-top] tbody")
    assert top.find_element(By.CSS_SELECTOR, "tr th a").text.startswith("rota gaps")
    problems = describe("/admin/search-insight/", axe_violations(browser, axe_source))

    # A period that ends before it starts: said, and linked to the field.
    browser.get(site + "/admin/search-insight/?start=2026-05-01&end=2026-04-01")
    summary = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "The last day must be on or after the first day." in summary.text
    problems += describe("/admin/search-insight/ (error)", axe_violations(browser, axe_source))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
