"""A case study page, read at desktop and phone sizes."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser

# Elements wider than the viewport, for a failure message a person can act on.
OVERFLOWING_ELEMENTS = """
const width = window.innerWidth;
return Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .slice(0, 10)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
       + (typeof el.className === 'string' && el.className
          ? '.' + el.className.split(' ').join('.') : '')
       + ' right=' + Math.round(el.getBoundingClientRect().right));
"""


def heading(browser, text):
    return browser.find_element(By.XPATH, f"//main//h2[normalize-space()='{text}']")


def test_case_study_page_reads_in_order_with_provider_and_contact(browser, site, case_study):
    browser.get(site + case_study.url)

    assert browser.title == f"{case_study.title} | Practice Exchange"
    assert browser.find_element(By.TAG_NAME, "h1").text == case_study.title

    # The summary comes first, then the challenge, then what they did: on screen and in
    # the reading order a screen reader follows.
    summary = browser.find_element(By.CSS_SELECTOR, ".case-study__header .lead")
    assert summary.text == case_study.summary
    challenge = heading(browser, "The challenge")
    approach = heading(browser, "What they did")
    assert summary.location["y"] < challenge.location["y"] < approach.location["y"]
    follows = browser.execute_script(
        "return [arguments[0].compareDocumentPosition(arguments[1]),"
        " arguments[1].compareDocumentPosition(arguments[2])];",
        summary,
        challenge,
        approach,
    )
    assert all(position & 4 for position in follows), "summary, challenge, approach order"
    first_challenge_paragraph = case_study.challenge.split("\n")[0].strip()
    assert first_challenge_paragraph[:60] in browser.find_element(By.TAG_NAME, "main").text

    # The provider card shows the CQC ratings table.
    provider = case_study.provider
    card = browser.find_element(By.CSS_SELECTOR, ".provider-card")
    assert card.find_element(By.TAG_NAME, "h2").text == provider.name
    assert card.find_element(By.TAG_NAME, "caption").text.startswith("CQC ratings")
    rows = {
        row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
        for row in card.find_elements(By.CSS_SELECTOR, "table.ratings tr")
    }
    assert rows["Overall"] == provider.get_overall_rating_display()
    for key_question, rating, _slug in provider.rating_rows():
        assert rows[key_question] == rating
    assert len(rows) >= 2, "at least one key question rating besides Overall"

    # "Get in touch" is there with a way to reach the provider.
    contact = heading(browser, "Get in touch")
    assert contact.is_displayed()
    panel = contact.find_element(By.XPATH, "./ancestor::section[1]")
    if case_study.contact_name:
        assert case_study.contact_name in panel.text
    email = panel.find_element(By.CSS_SELECTOR, "a[href^='mailto:']")
    assert email.get_attribute("href").startswith(f"mailto:{case_study.contact_email}?")
    assert email.text.startswith("Email ")


def test_no_horizontal_scroll_on_a_phone(browser, site, case_study):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True},
    )
    try:
        for path in (case_study.url, "/search/?q=falls"):
            browser.get(site + path)
            inner_width = browser.execute_script("return window.innerWidth")
            assert inner_width == 390, f"the viewport should be 390px wide, not {inner_width}"
            scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
            assert scroll_width <= inner_width, (
                f"{path} scrolls sideways at 390px: scrollWidth {scroll_width}; too wide: "
                f"{browser.execute_script(OVERFLOWING_ELEMENTS)}"
            )
            assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
