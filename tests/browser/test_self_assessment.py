"""A registered manager checks their service in five minutes: the questions, an answer
missed and put right, the result at its shareable address (opened again in a new window),
a matched case study; without JavaScript, on a 390 px phone, printed for a team meeting;
and axe's WCAG checks on the form, its errors and the result."""

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_practice_for import struggling_service  # noqa: F401 (a fixture)
from tests.browser.test_search import wait_for_new_page

pytestmark = pytest.mark.browser

CODES = "s1 s2 s3 e1 e2 e3 c1 c2 c3 r1 r2 r3 w1 w2 w3".split()
# Safe weak, with a Not sure; Caring mostly; the rest strong. The scale's options in the
# form's order: 0 "Yes, consistently" (3), 1 "Mostly", 2 "Sometimes", 3 "Rarely", 4 Not sure.
OPTION = {"3": 0, "2": 1, "1": 2, "0": 3, "x": 4}
ANSWERS = dict(zip(CODES, "01x333222333333", strict=True))
ELM_COURT = "1-5550000001"  # the struggling_service fixture: Safe Inadequate, Well-led RI


def answer(driver, code, value):
    # The label, as a person clicks it (the radio itself is small).
    driver.find_element(By.CSS_SELECTOR, f'label[for="id_{code}_{OPTION[value]}"]').click()


def submit(driver):
    url = driver.current_url
    driver.find_element(By.CSS_SELECTOR, "form.self-assessment button[type=submit]").click()
    wait_for_new_page(driver, url)


def headings(driver):
    return [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.sa-key-question h2")]


def practice_titles(driver):
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "ul.sa-practice li a")]


def wider_than_the_screen(driver):
    """What sticks out past the right edge of a phone's screen (the page would scroll
    sideways, or be zoomed out to fit)."""
    return driver.execute_script(
        "const edge = 390;"
        "return Array.from(document.querySelectorAll('main *'))"
        "  .filter(e => e.getBoundingClientRect().right > edge + 0.5)"
        "  .map(e => e.tagName + (e.className ? '.' + e.className : '')).slice(0, 5);"
    )


def test_the_journey_with_javascript(browser, site, struggling_service, axe_source):  # noqa: F811
    driver, problems = browser, []
    driver.get(site + "/self-assessment/")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Check your service")
    legends = driver.find_elements(By.CSS_SELECTOR, "fieldset.key-question > legend")
    assert [legend.text.split("\n")[0] for legend in legends] == [
        "Safe",
        "Effective",
        "Caring",
        "Responsive",
        "Well-led",
        "About your service (optional)",
    ]
    problems += describe("form", axe_violations(driver, axe_source))

    # Every question but one (question 5, e2), and the CQC location id.
    for code, value in ANSWERS.items():
        if code != "e2":
            answer(driver, code, value)
    driver.find_element(By.ID, "id_location").send_keys(ELM_COURT)
    submit(driver)
    summary = driver.find_element(By.ID, "error-summary")
    assert summary == driver.switch_to.active_element  # the script moved focus to it
    [link] = summary.find_elements(By.TAG_NAME, "a")
    assert link.text == "Question 5: choose an answer, or “Not sure”."
    # Nothing typed is lost.
    assert driver.find_element(By.ID, "id_s1_3").is_selected()
    assert driver.find_element(By.ID, "id_location").get_attribute("value") == ELM_COURT
    problems += describe("form with errors", axe_violations(driver, axe_source))
    link.click()
    assert urlsplit(driver.current_url).fragment == "id_e2_0"
    answer(driver, "e2", "3")
    submit(driver)

    # The result, at its compact address.
    query = parse_qs(urlsplit(driver.current_url).query)
    assert query == {"answers": ["v1-01x333222333333"], "location": [ELM_COURT]}
    assert driver.find_element(By.TAG_NAME, "h1").text == "Where your service looks weakest"
    seen = headings(driver)
    assert seen[0] == "Safe: looks weak (average 0.5 of 3)"
    assert seen[1].startswith("Caring: mostly in place")
    assert "Your CQC ratings" in driver.find_element(By.CSS_SELECTOR, ".sa-overview").text
    assert "kinder than CQC’s rating" in driver.find_element(By.ID, "kq-well-led").text
    titles = practice_titles(driver)
    assert titles, "the weak statements should have practice"
    share = driver.find_element(By.ID, "share-url")
    assert share.get_attribute("value") == driver.current_url
    assert share.get_attribute("readonly") is not None
    # With JavaScript: the print and copy buttons, and the note about Print hidden.
    buttons = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#share button")]
    assert buttons == ["Copy link", "Print this page"]
    assert not driver.find_element(By.CSS_SELECTOR, "[data-print-note]").is_displayed()
    driver.find_element(By.XPATH, "//button[.='Copy link']").click()
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".sa-copy-status").text
    )
    problems += describe("result", axe_violations(driver, axe_source))

    # The shareable address in a new window gives the same result.
    shared, result_url = share.get_attribute("value"), driver.current_url
    result_window = driver.current_window_handle
    driver.switch_to.new_window("window")
    try:
        driver.get(shared)
        assert driver.current_url == result_url
        assert headings(driver) == seen and practice_titles(driver) == titles
    finally:
        driver.close()
        driver.switch_to.window(result_window)

    # One matched case study.
    first = driver.find_element(By.CSS_SELECTOR, "ul.sa-practice li a")
    title = first.text
    url = driver.current_url
    first.click()
    wait_for_new_page(driver, url)
    assert driver.find_element(By.TAG_NAME, "h1").text == title

    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)


def test_without_javascript(browser_without_js, site, demo_content):
    driver = browser_without_js
    driver.get(site + "/self-assessment/")
    submit(driver)  # nothing answered
    summary = driver.find_element(By.ID, "error-summary")
    assert len(summary.find_elements(By.TAG_NAME, "a")) == 15
    for code, value in ANSWERS.items():
        answer(driver, code, value)
    submit(driver)
    assert parse_qs(urlsplit(driver.current_url).query) == {"answers": ["v1-01x333222333333"]}
    assert headings(driver)[0] == "Safe: looks weak (average 0.5 of 3)"
    # No script: no buttons that would do nothing, and the note says how to print.
    assert driver.find_elements(By.CSS_SELECTOR, "#share button") == []
    note = driver.find_element(By.CSS_SELECTOR, "[data-print-note]")
    assert note.is_displayed() and "use your browser’s Print" in note.text


def test_on_a_phone_and_printed(browser, site, struggling_service, axe_source):  # noqa: F811
    driver = browser
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    problems = []
    try:
        driver.get(site + "/self-assessment/")
        assert driver.execute_script("return window.innerWidth") == 390
        assert wider_than_the_screen(driver) == []
        problems += describe("form at 390 px", axe_violations(driver, axe_source))
        driver.get(
            site + f"/self-assessment/result/?answers=v1-01x333222333333&location={ELM_COURT}"
        )
        assert wider_than_the_screen(driver) == []
        assert driver.execute_script("return document.documentElement.scrollWidth") == 390
        # The summary and the ratings are stacked, not squeezed side by side.
        summary, ratings = driver.find_elements(By.CSS_SELECTOR, ".sa-overview > section")
        assert ratings.location["y"] > summary.location["y"]
        problems += describe("result at 390 px", axe_violations(driver, axe_source))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for hidden in ("header.site-header", "nav", "#share", "footer.site-footer"):
            assert not driver.find_element(By.CSS_SELECTOR, hidden).is_displayed(), hidden
        assert not any(b.is_displayed() for b in driver.find_elements(By.TAG_NAME, "button"))
        printed_url = driver.find_element(By.CSS_SELECTOR, ".sa-print-only")
        assert printed_url.is_displayed() and "answers=v1-01x333222333333" in printed_url.text
        link = driver.find_element(By.CSS_SELECTOR, "ul.sa-practice li a")
        after = driver.execute_script(
            "return getComputedStyle(arguments[0], '::after').content", link
        )
        assert link.get_attribute("href") in after  # the address written out
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
