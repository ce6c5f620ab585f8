"""Search as a new user meets it, on a phone and with many filters (issue #13).

Before this work, for "falls": on a 390 x 844 phone the first result sat 2,582 px down,
below every filter; on a 1280 x 900 desktop "Apply filters" was 2,402 px down, and three
filter lists were scroll boxes that cut their values off. The bounds below are generous:
they catch a return to that layout, not a few pixels.

The service type a reader chooses is remembered for the browser session, in a cookie of its
own; the last tests check it with Django's test client, where the cookie's attributes and a
secure request can be seen.
"""

import contextlib
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from search.facets import FACETS
from search.views import SERVICE_TYPE_COOKIE
from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_search import seen_text, wait_for_new_page
from tests.conftest import PROVIDER, make_record

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}

# Elements that scroll inside the page: a filter list cut off in a box of its own.
SCROLL_BOXES = """
return Array.from(document.querySelectorAll('main *')).filter(el => {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
}).map(el => el.tagName.toLowerCase() + '.' + el.className);
"""

# Targets smaller than 24 x 24 CSS px (WCAG 2.5.8), but for links inside a line of text
# (the criterion's inline exception).
SMALL_TARGETS = """
const small = [];
for (const el of document.querySelectorAll('a[href], button, input, select, summary')) {
  if (!el.checkVisibility()) continue;
  const box = el.getBoundingClientRect();
  if (box.width < 2 || (box.width >= 24 && box.height >= 24)) continue;
  const words = e => e.textContent.replace(/\\s+/g, '');
  const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
    && words(el.parentElement).length > words(el).length;
  if (!inline) small.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 40)
    + '" ' + Math.round(box.width) + 'x' + Math.round(box.height));
}
return small;
"""


# The ids of the JSON API's results for "falls", fetched by the page (with its cookies).
API_RESULT_IDS = """
const done = arguments[0];
fetch('/api/search/?q=falls').then(r => r.json()).then(b => done(b.results.map(r => r.id)));
"""


@contextlib.contextmanager
def on_a_phone(driver):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield driver
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def page_top(driver, element):
    """How far down the page an element starts, in CSS px."""
    return driver.execute_script(
        "return arguments[0].getBoundingClientRect().top + window.scrollY", element
    )


def follows(driver, first, second):
    """True when `second` comes after `first` in the page (the reading order)."""
    return bool(
        driver.execute_script(
            "return arguments[0].compareDocumentPosition(arguments[1]) & 4", first, second
        )
    )


def filters(driver):
    return driver.find_element(By.CSS_SELECTOR, "details.filters")


def group(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f"details.filter-group[data-facet='{name}']")


def is_open(element):
    return element.get_attribute("open") is not None


def params(driver):
    return parse_qs(urlsplit(driver.current_url).query)


def apply_buttons(driver):
    return [
        button
        for button in driver.find_elements(By.CSS_SELECTOR, "button.filters__apply")
        if button.is_displayed()
    ]


def test_on_a_phone_the_results_come_first_and_the_filters_are_one_tap_away(
    browser, site, axe_source
):
    with on_a_phone(browser):
        browser.get(site + "/search/?q=falls")
        first_result = browser.find_element(By.CSS_SELECTOR, "ol.results > li")
        assert page_top(browser, first_result) < 900, "the first result should be in view"
        panel = filters(browser)
        toggle = panel.find_element(By.TAG_NAME, "summary")
        assert not is_open(panel), "on a phone the filters start closed"
        assert toggle.text == "Filters"
        box = browser.find_element(By.ID, "search-q")
        # Right under the search box, before the results: on screen and in reading order.
        assert page_top(browser, box) < page_top(browser, toggle) < page_top(browser, first_result)
        assert follows(browser, box, toggle) and follows(browser, toggle, first_result)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390

        toggle.click()
        assert is_open(panel)
        service_type = group(browser, "service_type")
        assert service_type.find_element(By.TAG_NAME, "summary").is_displayed()
        # Every group starts closed (nothing is ticked): eight summaries, not eight lists.
        assert not any(is_open(g) for g in browser.find_elements(By.CSS_SELECTOR, ".filter-group"))
        show = browser.find_element(By.CSS_SELECTOR, "a.filters__to-results")
        assert show.is_displayed() and re.fullmatch(r"Show \d+ case studies", show.text)

        # Everything open at once: still no sideways scroll, no small targets, no axe errors.
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert browser.execute_script(SMALL_TARGETS) == []
        problems = describe(
            "/search/?q=falls (phone, filters open)", axe_violations(browser, axe_source)
        )
        assert not problems, "\n".join(problems)


def test_on_a_desktop_the_filters_are_a_side_column_and_never_scroll_boxes(browser, site):
    browser.get(site + "/search/?q=falls")
    panel = filters(browser)
    assert is_open(panel), "on a wide screen filters.js opens the filters beside the results"
    results = browser.find_element(By.CSS_SELECTOR, ".search-results")
    assert panel.rect["x"] + panel.rect["width"] <= results.rect["x"], "filters to the left"
    first_result = browser.find_element(By.CSS_SELECTOR, "ol.results > li")
    assert page_top(browser, first_result) < 500
    # Every group's summary shows in the first screen, so every kind of filter is seen.
    summaries = browser.find_elements(By.CSS_SELECTOR, ".filter-group > summary")
    assert len(summaries) == len(FACETS)  # eight, strength of evidence the last
    assert all(page_top(browser, s) < 900 for s in summaries), [
        page_top(browser, s) for s in summaries
    ]
    # Open everything, "Show N more" too: the lists are whole, never cut-off boxes.
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert browser.execute_script(SCROLL_BOXES) == []
    for checkbox in browser.find_elements(By.CSS_SELECTOR, ".filter-options input"):
        assert checkbox.is_displayed()


def test_groups_collapse_and_their_summaries_say_what_is_ticked(browser_without_js, site):
    driver = browser_without_js
    driver.get(site + "/search/?q=falls&theme=falls-prevention&theme=nutrition-and-hydration")
    toggle = filters(driver).find_element(By.TAG_NAME, "summary")
    assert toggle.text == "Filters (2 selected)"
    toggle.click()
    themes = group(driver, "theme")
    assert is_open(themes), "a group with a ticked value opens, showing it"
    summary = themes.find_element(By.TAG_NAME, "summary")
    assert summary.text == "Theme: Falls prevention, Nutrition and hydration"
    for name in ("innovation_type", "key_question", "service_type", "region"):
        assert not is_open(group(driver, name)), name
        assert group(driver, name).find_element(By.TAG_NAME, "summary").text != ""
    assert not driver.find_element(By.ID, "f-key_question-safe").is_displayed()

    # A long group shows its most common values and the rest behind "Show N more".
    shown = [
        seen_text(label)
        for label in themes.find_elements(By.CSS_SELECTOR, "fieldset > ul label")
        if label.is_displayed()
    ]
    assert len(shown) == 6, shown
    counts = [int(re.search(r"\((\d+)\)$", text).group(1)) for text in shown]
    assert counts == sorted(counts, reverse=True), "most common first"
    assert shown[:1] == ["Falls prevention (4)"] and "Nutrition and hydration (2)" in shown
    more = themes.find_element(By.CSS_SELECTOR, "details.filter-group__more")
    hidden = more.find_elements(By.CSS_SELECTOR, "label")
    assert hidden and not any(label.is_displayed() for label in hidden)
    more_summary = more.find_element(By.TAG_NAME, "summary")
    assert seen_text(more_summary) == f"Show {len(hidden)} more"
    assert more_summary.accessible_name == f"Show {len(hidden)} more Theme options"
    more_summary.click()
    assert all(label.is_displayed() for label in hidden)


def test_without_javascript_apply_filters_is_in_view_and_works(browser_without_js, site):
    driver = browser_without_js
    driver.get(site + "/search/?q=falls")
    toggle = filters(driver).find_element(By.TAG_NAME, "summary")
    assert apply_buttons(driver) == [], "inside the closed filters"
    toggle.click()
    top, bottom = apply_buttons(driver)
    assert page_top(driver, top) < 900, "Apply filters in the first screen on a desktop"
    assert follows(driver, group(driver, "evidence_type"), bottom), "and after the last group"

    service_type = group(driver, "service_type")
    service_type.find_element(By.TAG_NAME, "summary").click()
    checkbox = service_type.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    value = checkbox.get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, f"label[for='{checkbox.get_attribute('id')}']").click()
    assert params(driver).get("service_type") is None, "nothing applies before the button"
    url = driver.current_url
    top.click()
    wait_for_new_page(driver, url)
    assert params(driver)["service_type"] == [value]
    assert filters(driver).find_element(By.TAG_NAME, "summary").text == "Filters (1 selected)"

    # Sorting has a button of its own beside it, the filters closed or not.
    Select(driver.find_element(By.ID, "sort")).select_by_value("newest")
    url = driver.current_url
    driver.find_element(By.XPATH, "//div[@class='sort-form']/button[.='Sort']").click()
    wait_for_new_page(driver, url)
    assert params(driver)["sort"] == ["newest"] and params(driver)["service_type"] == [value]


def test_with_javascript_a_change_applies_at_once_and_focus_returns(browser, site):
    browser.get(site + "/search/?q=falls")
    assert apply_buttons(browser) == [], "with JavaScript there is nothing to press"
    hint = browser.find_element(By.CSS_SELECTOR, "[data-filters-at-once]")
    assert hint.is_displayed() and hint.text == "Results change as soon as you choose."

    service_type = group(browser, "service_type")
    service_type.find_element(By.TAG_NAME, "summary").click()
    checkbox = service_type.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    value, checkbox_id = checkbox.get_attribute("value"), checkbox.get_attribute("id")
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='{checkbox_id}']")
    option_count = int(re.search(r"\((\d+)\)$", seen_text(label)).group(1))
    url = browser.current_url
    label.click()
    wait_for_new_page(browser, url)
    assert params(browser)["service_type"] == [value]
    assert params(browser)["q"] == ["falls"]

    # Focus is back on the box just ticked, its group open; the new count is read out.
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == checkbox_id
    assert focused.is_selected()
    assert is_open(group(browser, "service_type"))
    status = browser.find_element(By.CSS_SELECTOR, "[data-filters-status]")
    assert status.get_attribute("role") == "status"
    expected = f"Filters applied: {option_count} case stud{'y' if option_count == 1 else 'ies'}"
    WebDriverWait(browser, 5).until(lambda d: status.get_attribute("textContent"))
    assert status.get_attribute("textContent") == f"{expected} for “falls”."

    # A select applies at once too (chosen with the pointer), and keeps its focus.
    url = browser.current_url
    Select(browser.find_element(By.ID, "sort")).select_by_value("newest")
    wait_for_new_page(browser, url)
    assert params(browser)["sort"] == ["newest"]
    assert params(browser)["service_type"] == [value]
    assert browser.switch_to.active_element.get_attribute("id") == "sort"

    # From the keyboard, an arrow key moves through the options without reloading the page
    # at each (WCAG 3.2.2); Enter applies the one reached.
    sort = browser.find_element(By.ID, "sort")
    url = browser.current_url
    sort.send_keys(Keys.ARROW_UP)
    assert sort.get_attribute("value") == "relevance"
    time.sleep(1)  # long enough for a submit to have left the page
    assert browser.current_url == url
    sort.send_keys(Keys.ENTER)
    wait_for_new_page(browser, url)
    assert params(browser)["sort"] == ["relevance"]


def test_on_a_phone_a_filter_applied_at_once_reopens_the_filters_there(browser, site):
    with on_a_phone(browser):
        browser.get(site + "/search/?q=falls")
        filters(browser).find_element(By.TAG_NAME, "summary").click()
        key_questions = group(browser, "key_question")
        key_questions.find_element(By.TAG_NAME, "summary").click()
        url = browser.current_url
        browser.find_element(By.CSS_SELECTOR, "label[for='f-key_question-safe']").click()
        wait_for_new_page(browser, url)
        assert params(browser)["key_question"] == ["safe"]
        assert is_open(filters(browser)), "reopened, where the reader was"
        assert browser.switch_to.active_element.get_attribute("id") == "f-key_question-safe"
        summary = filters(browser).find_element(By.TAG_NAME, "summary")
        assert summary.text == "Filters (1 selected)"


def test_the_readers_service_type_is_remembered_for_the_session(browser, site):
    browser.get(site + "/search/?q=falls")
    api_order = browser.execute_async_script(API_RESULT_IDS)
    url = browser.current_url
    Select(browser.find_element(By.ID, "prefer")).select_by_value("nursing-home")
    wait_for_new_page(browser, url)
    assert params(browser)["prefer_service_type"] == ["nursing-home"]

    cookie = browser.get_cookie(SERVICE_TYPE_COOKIE)
    assert cookie["value"] == "nursing-home"
    assert "expiry" not in cookie, "a session cookie: gone when the browser closes"
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False, "the live server is plain http"

    # A later search that does not say: the remembered service type applies, and says so.
    browser.get(site + "/search/?q=falls")
    assert Select(browser.find_element(By.ID, "prefer")).first_selected_option.text == (
        "Nursing home"
    )
    note = browser.find_element(By.CSS_SELECTOR, ".prefer-note")
    assert note.text.startswith("Practice from services like yours (Nursing home) comes first.")
    first_meta = browser.find_element(By.CSS_SELECTOR, "ol.results > li .card__meta").text
    assert " · Nursing home · " in first_meta
    # The JSON API is stateless: the cookie changes nothing there.
    assert browser.execute_async_script(API_RESULT_IDS) == api_order
    # Practice for your gaps offers the same service type.
    browser.get(site + "/practice-for/")
    assert Select(browser.find_element(By.ID, "service_type")).first_selected_option.text == (
        "Nursing home"
    )

    # "Show every service type equally" is an explicit "Any": it forgets it.
    browser.get(site + "/search/?q=falls")
    url = browser.current_url
    browser.find_element(By.LINK_TEXT, "Show every service type equally").click()
    wait_for_new_page(browser, url)
    assert browser.get_cookie(SERVICE_TYPE_COOKIE) is None
    browser.get(site + "/search/?q=falls")
    assert Select(browser.find_element(By.ID, "prefer")).first_selected_option.text == "Any"
    assert browser.find_elements(By.CSS_SELECTOR, ".prefer-note") == []


# --- The cookie itself, with Django's test client ---------------------------------------


@pytest.fixture
def two_services(db, importer, database_search):
    """A homecare case study and a nursing home one, both about falls."""
    nursing = {**PROVIDER, "cqc_location_id": "1-1000000002", "service_type": "nursing-home"}
    report = importer(
        [
            make_record(1, provider={**PROVIDER, "service_type": "homecare"}),
            make_record(2, provider=nursing),
        ]
    )
    assert not report.errors


def test_choosing_sets_a_session_cookie_secure_on_https(client, two_services):
    response = client.get(
        "/search/", {"q": "falls", "prefer_service_type": "homecare"}, secure=True
    )
    cookie = response.cookies[SERVICE_TYPE_COOKIE]
    assert cookie.value == "homecare"
    assert cookie["max-age"] == "" and cookie["expires"] == "", "a session cookie"
    assert cookie["secure"] is True and cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert "Cookie" in response["Vary"]
    # On plain http the cookie is not marked Secure (it would not come back).
    plain = client.get("/search/", {"q": "falls", "prefer_service_type": "nursing-home"})
    assert plain.cookies[SERVICE_TYPE_COOKIE]["secure"] == ""


def test_a_remembered_service_type_applies_until_any_clears_it(client, two_services):
    client.cookies[SERVICE_TYPE_COOKIE] = "nursing-home"
    page = client.get("/search/", {"q": "falls"})
    assert page.context["query"].prefer_service_type == "nursing-home"
    assert SERVICE_TYPE_COOKIE not in page.cookies, "nothing to write: it is already there"
    assert page.context["results"].hits[0].service_type == "nursing-home"

    cleared = client.get("/search/", {"q": "falls", "prefer_service_type": ""})
    assert cleared.context["query"].prefer_service_type == ""
    assert cleared.cookies[SERVICE_TYPE_COOKIE].value == ""
    assert cleared.cookies[SERVICE_TYPE_COOKIE]["max-age"] == 0, "deleted"


def test_a_bad_search_or_an_unknown_value_changes_nothing(client, two_services):
    client.cookies[SERVICE_TYPE_COOKIE] = "homecare"
    bad = client.get("/search/", {"q": "falls", "prefer_service_type": "castle"})
    assert bad.status_code == 400
    assert SERVICE_TYPE_COOKIE not in bad.cookies
    # A cookie someone wrote by hand is ignored, not trusted.
    client.cookies[SERVICE_TYPE_COOKIE] = "castle"
    page = client.get("/search/", {"q": "falls"})
    assert page.status_code == 200 and page.context["query"].prefer_service_type == ""


def test_the_api_neither_reads_nor_writes_it(client, two_services):
    without = client.get("/api/search/", {"q": "falls"}).json()
    client.cookies[SERVICE_TYPE_COOKIE] = "nursing-home"
    response = client.get("/api/search/", {"q": "falls"})
    assert response.json()["results"] == without["results"]
    assert SERVICE_TYPE_COOKIE not in response.cookies
    chosen = client.get("/api/search/", {"q": "falls", "prefer_service_type": "homecare"})
    assert SERVICE_TYPE_COOKIE not in chosen.cookies


def test_practice_for_your_gaps_shares_it(client, two_services):
    chosen = client.get("/practice-for/", {"location": "Elm", "service_type": "homecare"})
    assert chosen.cookies[SERVICE_TYPE_COOKIE].value == "homecare"
    client.cookies[SERVICE_TYPE_COOKIE] = "homecare"
    later = client.get("/practice-for/")
    assert later.context["service_type"] == "homecare"
    search = client.get("/search/", {"q": "falls"})
    assert search.context["query"].prefer_service_type == "homecare"
    # A location id goes straight to its page, with the service type, remembered.
    redirect = client.get(
        "/practice-for/", {"location": "1-5550000001", "service_type": "nursing-home"}
    )
    assert redirect.status_code == 302
    assert redirect["Location"].endswith("?service_type=nursing-home")
    assert redirect.cookies[SERVICE_TYPE_COOKIE].value == "nursing-home"
