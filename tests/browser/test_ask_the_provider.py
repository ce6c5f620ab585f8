"""A registered manager asks the provider of a demo case study about its practice: from the
case study page to the form, an empty submit and its errors, then a good request and the
thank-you page; with and without JavaScript, at desktop and phone widths, and axe's WCAG
checks on each state."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from knowledgebase.enquiries import PracticeEnquiry
from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_case_study import OVERFLOWING_ELEMENTS
from tests.browser.test_search import wait_for_next_document

pytestmark = pytest.mark.browser

READER = {
    "id_name": "Ann Reader",
    "id_role": "Registered manager",
    "id_organisation": "Riverside Care",
    "id_cqc_location_id": "1-123456789",
    "id_email": "ann@example.org",
    "id_message": "Could two of our night staff visit to see the acoustic monitoring?",
}


def active_element_id(driver):
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def fill(driver, values):
    for field_id, value in values.items():
        element = driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)


def submit(driver):
    """Send the form and wait for the page it leads to."""
    button = driver.find_element(By.CSS_SELECTOR, "form.enquiry-form button[type=submit]")
    wait_for_next_document(driver, button.click)


def test_ask_about_this_practice_with_javascript(browser, site, case_study, axe_source, mailoutbox):
    problems = []
    browser.get(site + case_study.url)
    problems += describe("the case study page", axe_violations(browser, axe_source))
    browser.find_element(By.LINK_TEXT, "Ask about this practice").click()
    assert browser.current_url == site + case_study.url + "ask/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ask about this practice"
    about = browser.find_element(By.CSS_SELECTOR, ".enquiry-about").text
    assert case_study.title in about and case_study.provider.name in about
    back = browser.find_element(By.LINK_TEXT, "Back to the case study")
    assert back.get_attribute("href") == site + case_study.url
    problems += describe("the form", axe_violations(browser, axe_source))

    # The honeypot is not in the tab order: from the consent box, Tab goes to the button.
    trap = browser.find_element(By.ID, "id_website")
    assert trap.get_attribute("tabindex") == "-1"
    assert trap.rect["x"] + trap.rect["width"] < 0, "the honeypot is off screen"
    browser.find_element(By.ID, "id_consent").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Send your request"

    # Empty: the errors, a focused summary whose links take you to each field.
    browser.find_element(By.ID, "id_message").clear()
    submit(browser)
    assert browser.title.startswith("Error: Ask about this practice")
    summary = browser.find_element(By.ID, "error-summary")
    assert active_element_id(browser) == "error-summary", "the summary has the focus"
    links = summary.find_elements(By.TAG_NAME, "a")
    assert [link.get_attribute("hash") for link in links][:3] == [
        "#id_name",
        "#id_role",
        "#id_organisation",
    ]
    assert "Tick the box to agree" in summary.text
    problems += describe("the form with errors", axe_violations(browser, axe_source))
    links[1].click()
    assert active_element_id(browser) == "id_role"
    error = browser.find_element(By.ID, "id_role_error")
    assert error.is_displayed() and error.text.startswith("Error:")
    role = browser.find_element(By.ID, "id_role")
    assert "id_role_error" in role.get_attribute("aria-describedby").split()
    assert PracticeEnquiry.objects.count() == 0

    # Filled in: the thank-you page, one request stored, two e-mails sent.
    fill(browser, READER)
    browser.find_element(By.CSS_SELECTOR, "label[for=id_asking_for_1]").click()  # a visit
    browser.find_element(By.CSS_SELECTOR, "label[for=id_consent]").click()
    submit(browser)
    assert browser.current_url == site + case_study.url + "ask/sent/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Your request has been sent"
    assert case_study.provider.name in browser.find_element(By.TAG_NAME, "main").text
    problems += describe("the thank-you page", axe_violations(browser, axe_source))

    enquiry = PracticeEnquiry.objects.get()
    assert (enquiry.name, enquiry.offer.slug) == ("Ann Reader", "visit")
    assert [message.to for message in mailoutbox] == [
        [case_study.contact_email],
        ["ann@example.org"],
    ]
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)


def test_ask_for_an_offer_without_javascript(browser_without_js, site, case_study, mailoutbox):
    driver = browser_without_js
    driver.get(site + case_study.url)
    offer = case_study.offers.order_by("sort_order").first()
    driver.find_element(By.LINK_TEXT, offer.label).click()
    assert driver.current_url == f"{site}{case_study.url}ask/?offer={offer.slug}"
    chosen = driver.find_element(By.CSS_SELECTOR, "input[name=asking_for]:checked")
    assert chosen.get_attribute("value") == offer.slug

    submit(driver)  # nothing typed
    assert driver.title.startswith("Error: ")
    # autofocus puts the summary first for keyboard and screen reader users, with no script.
    assert active_element_id(driver) == "error-summary"
    chosen = driver.find_element(By.CSS_SELECTOR, "input[name=asking_for]:checked")
    assert chosen.get_attribute("value") == offer.slug, "the choice is kept"

    fill(driver, {**READER, "id_cqc_location_id": ""})
    driver.find_element(By.ID, "id_consent").click()
    submit(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your request has been sent"
    assert PracticeEnquiry.objects.get().offer == offer
    assert len(mailoutbox) == 2


def test_the_form_fits_a_phone(browser, site, case_study, axe_source):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True},
    )
    try:
        browser.get(site + case_study.url + "ask/")
        assert browser.execute_script("return window.innerWidth") == 390
        submit(browser)  # the error state is the widest
        scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll_width <= 390, (
            f"the form scrolls sideways at 390px: scrollWidth {scroll_width}; too wide: "
            f"{browser.execute_script(OVERFLOWING_ELEMENTS)}"
        )
        message = browser.find_element(By.ID, "id_message")
        assert message.is_displayed() and message.rect["width"] > 300
        problems = describe("the form at 390px", axe_violations(browser, axe_source))
        assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
