"""Finding practice: the search page without JavaScript, and autocomplete with it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from knowledgebase.case_studies import CaseStudyPage

pytestmark = pytest.mark.browser

COUNT = re.compile(r"^(\d+) case stud(?:y|ies) for “falls at night”$")


def params(driver):
    return parse_qs(urlsplit(driver.current_url).query)


def result_titles(driver):
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ol.results > li h3 a")]


def count_heading(driver):
    return driver.find_element(By.ID, "result-count").text


def seen_text(element):
    """The text a sighted person reads: without the screen-reader-only parts."""
    return element.parent.execute_script(
        "const copy = arguments[0].cloneNode(true);"
        "copy.querySelectorAll('.visually-hidden').forEach(e => e.remove());"
        "return copy.textContent.replace(/\\s+/g, ' ').trim();",
        element,
    )


def wait_for_next_document(driver, act):
    """Do act() (a click that submits or follows a link) and wait for the document it leads
    to, even at the same URL (a form shown again with its errors). The old document is
    marked and the wait polls the window, not an element: polling an element of the old
    document (selenium's staleness_of) sometimes meets Chrome's inspector error "Node with
    given id does not belong to the document" as it goes."""
    driver.execute_script("window.pxLeaving = true")
    act()

    def arrived(d):
        try:
            return d.execute_script(
                "return !window.pxLeaving && document.readyState === 'complete'"
            )
        except WebDriverException:
            return False

    WebDriverWait(driver, 10).until(arrived, "no new page came")


def wait_for_new_page(driver, old_url):
    """Wait for the next page to load. Every step of this journey changes the URL; watching
    the URL avoids Chrome's occasional inspector error when polling a detached element."""

    def arrived(d):
        try:
            return (
                d.current_url != old_url
                and d.execute_script("return document.readyState") == "complete"
            )
        except WebDriverException:
            return False

    WebDriverWait(driver, 10).until(arrived, "the page did not change")


def test_search_filter_and_remove_filter_without_javascript(browser_without_js, site):
    driver = browser_without_js
    driver.get(site + "/search/")
    box = driver.find_element(By.ID, "search-q")
    # JavaScript really is off: the autocomplete script would have made this a combobox.
    assert box.get_attribute("role") is None
    assert driver.find_elements(By.CSS_SELECTOR, "[role=listbox]") == []

    # Type a problem in everyday words and press Enter.
    url = driver.current_url
    box.send_keys("falls at night", Keys.ENTER)
    wait_for_new_page(driver, url)
    assert params(driver)["q"] == ["falls at night"]
    match = COUNT.match(count_heading(driver))
    assert match, f"unexpected count heading: {count_heading(driver)!r}"
    total = int(match.group(1))
    titles = result_titles(driver)
    assert titles, "results should be listed"
    assert 0 < len(titles) <= total
    # The best matches come first: a falls case study is among the first three.
    assert any("falls" in title.lower() for title in titles[:3]), titles[:3]
    assert driver.find_element(By.ID, "search-q").get_attribute("value") == "falls at night"
    assert driver.find_elements(By.CSS_SELECTOR, "ul.chips") == []

    # Open the filters and the service type group (each a <details>, closed to begin with),
    # tick a service type a person would choose, by its label, and apply the filters.
    driver.find_element(By.CSS_SELECTOR, "details.filters > summary").click()
    fieldset = driver.find_element(By.XPATH, "//fieldset[legend[normalize-space()='Service type']]")
    group = fieldset.find_element(By.XPATH, "./ancestor::details[1]")
    assert group.get_attribute("open") is None
    group.find_element(By.TAG_NAME, "summary").click()
    checkbox = fieldset.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    value = checkbox.get_attribute("value")
    label = fieldset.find_element(By.CSS_SELECTOR, f"label[for='{checkbox.get_attribute('id')}']")
    option_label, option_count = re.fullmatch(r"(.+) \((\d+)\)", seen_text(label)).groups()
    option_count = int(option_count)
    # Each option says how many results ticking it would leave.
    assert 0 < option_count <= total
    label.click()
    assert checkbox.is_selected()
    url = driver.current_url
    driver.find_element(By.XPATH, "//button[normalize-space()='Apply filters']").click()
    wait_for_new_page(driver, url)

    assert params(driver)["service_type"] == [value]
    assert params(driver)["q"] == ["falls at night"]
    filtered = COUNT.match(count_heading(driver))
    assert filtered, count_heading(driver)
    assert int(filtered.group(1)) == option_count, "the facet's count should match the results"
    assert driver.find_element(By.ID, f"f-service_type-{value}").is_selected()
    # The filters' summary counts what is ticked; the group's names it.
    summary = driver.find_element(By.CSS_SELECTOR, "details.filters > summary")
    assert summary.text == "Filters (1 selected)"
    group_summary = driver.find_element(
        By.CSS_SELECTOR, "details.filter-group[data-facet='service_type'] > summary"
    )
    assert group_summary.get_attribute("textContent") == f"Service type: {option_label}"
    chips = driver.find_elements(By.CSS_SELECTOR, "ul.chips a")
    chip = next(c for c in chips if "Service type" in seen_text(c))
    assert seen_text(chip) == f"Service type: {option_label}"
    assert chip.is_displayed()
    # The chip says what it does to a screen reader too.
    assert chip.accessible_name == f"Remove filter Service type: {option_label}"

    # Following the chip removes that filter and keeps the words typed.
    url = driver.current_url
    chip.click()
    wait_for_new_page(driver, url)
    assert "service_type" not in params(driver)
    assert params(driver)["q"] == ["falls at night"]
    assert driver.find_elements(By.CSS_SELECTOR, "ul.chips") == []
    assert not driver.find_element(By.ID, f"f-service_type-{value}").is_selected()
    assert int(COUNT.match(count_heading(driver)).group(1)) == total


def test_autocomplete_suggests_a_case_study_and_goes_there(browser, site):
    target = CaseStudyPage.objects.live().get(external_id="cs-intergenerational-nursery-visits")
    browser.get(site + "/search/")
    box = browser.find_element(By.ID, "search-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"

    box.send_keys("toddl")
    listbox = WebDriverWait(browser, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox]")),
        "the suggestions list did not appear",
    )
    WebDriverWait(browser, 10).until(
        lambda d: listbox.find_elements(By.CSS_SELECTOR, "[role=option]"),
        "no suggestion was offered",
    )
    options = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")
    texts = [option.text for option in options]
    assert target.title in texts, texts
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")

    position = texts.index(target.title)
    for _ in range(position + 1):
        box.send_keys(Keys.ARROW_DOWN)
    chosen = options[position]
    assert chosen.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == chosen.get_attribute("id")

    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda d: urlsplit(d.current_url).path == target.url,
        f"Enter on the suggestion should open {target.url}",
    )
    assert browser.find_element(By.TAG_NAME, "h1").text == target.title


def test_each_result_says_why_its_provider_counts_as_outstanding(browser_without_js, site):
    """A provider rated Good overall is Outstanding in a key question the case study
    addresses: the result says which, so "Good" on its page is no contradiction."""
    driver = browser_without_js
    good_overall = CaseStudyPage.objects.live().get(external_id="cs-hydration-uti-reduction")
    assert good_overall.provider.overall_rating == "good"
    driver.get(site + "/search/?q=hydration")
    results = driver.find_elements(By.CSS_SELECTOR, "ol.results > li")
    metas = {
        r.find_element(By.CSS_SELECTOR, "h3 a").text: r.find_element(By.CSS_SELECTOR, ".card__meta")
        for r in results
    }
    assert good_overall.title in metas, list(metas)
    assert " · Outstanding in Effective" in metas[good_overall.title].text
    others = [meta.text for title, meta in metas.items() if title != good_overall.title]
    assert others and all(
        " · Outstanding overall" in text or " · Outstanding in " in text for text in others
    ), others
    # Then its strength of evidence, as a moderator confirmed it (the demo file's grade).
    assert metas[good_overall.title].text.endswith(
        f" · {good_overall.get_evidence_strength_display()} evidence"
    )
