"""The home page as a first-time visitor sees it."""

import pytest
from selenium.webdriver.common.by import By

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.taxonomy import Theme

pytestmark = pytest.mark.browser


def test_home_page_offers_search_themes_and_latest_case_studies(browser, site):
    browser.get(site + "/")

    assert browser.title == "Find practice that works | Practice Exchange"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Find practice from Outstanding services"

    # The search box is labelled by visible text a person can read, not only a placeholder.
    box = browser.find_element(By.CSS_SELECTOR, "main input[type=search][name=q]")
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
    assert label.is_displayed()
    assert label.text == "Describe the problem you want to solve"
    assert label.size["height"] > 0 and label.size["width"] > 0
    assert box.is_displayed()

    # Every theme is listed, each a link to the search filtered by it.
    themes = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=themes-heading] li a")
    expected = list(Theme.objects.values_list("label", "slug"))
    assert expected, "the vocabularies should have themes"
    assert [(link.text, link.get_attribute("href").split("?")[1]) for link in themes] == [
        (label, f"theme={slug}") for label, slug in expected
    ]
    assert all(link.is_displayed() for link in themes)

    # The latest case studies show, newest first.
    latest = CaseStudyPage.objects.live().order_by("-published_date", "-first_published_at")[:6]
    cards = browser.find_elements(
        By.CSS_SELECTOR, "section[aria-labelledby=latest-heading] .card__title a"
    )
    assert [card.text for card in cards] == [page.title for page in latest]
    assert browser.find_element(By.LINK_TEXT, "All case studies").is_displayed()
