"""A case study page, read at desktop and phone sizes."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.test_accessibility import axe_violations, describe
from tests.browser.test_search_layout import SMALL_TARGETS, on_a_phone

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

    # "Get in touch" is there with a way to reach the provider: the request form, never
    # their e-mail address (issue #13).
    contact = heading(browser, "Get in touch")
    assert contact.is_displayed()
    panel = contact.find_element(By.XPATH, "./ancestor::section[1]")
    if case_study.contact_name:
        assert case_study.contact_name in panel.text
    ask = panel.find_element(By.LINK_TEXT, "Ask about this practice")
    assert ask.get_attribute("href") == site + case_study.url + "ask/"
    assert not panel.find_elements(By.CSS_SELECTOR, "a[href^='mailto:']")
    assert case_study.contact_email not in browser.page_source


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


# The @page rules of the site's style sheets, as the browser parsed them.
PAGE_RULES = """
return Array.from(document.styleSheets).flatMap(sheet => Array.from(sheet.cssRules))
  .filter(rule => rule instanceof CSSPageRule)
  .map(rule => ({size: rule.style.getPropertyValue('size').toLowerCase(),
                 margin: rule.style.getPropertyValue('margin-top')}));
"""


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def test_the_page_says_how_current_it_is_and_why_it_counts(browser, site, case_study):
    browser.get(site + case_study.url)
    facts = {
        fact.find_element(By.TAG_NAME, "dt").text: fact.find_element(By.TAG_NAME, "dd").text
        for fact in browser.find_elements(By.CSS_SELECTOR, "dl.facts > div")
    }
    # Imported, so last reviewed when it was published (an import is not a review).
    assert facts["Last reviewed"] == long_date(case_study.published_date)
    assert facts["Why this counts as Outstanding practice"].startswith(
        f"Rated Outstanding overall by CQC ({long_date(case_study.provider.rating_date)})."
    )
    # The demo's acoustic monitoring study was published in April 2024: due two years on.
    assert case_study.is_due_for_review
    due = long_date(case_study.review_date)
    assert facts["Next review due"] == f"{due} (overdue)"
    notice = browser.find_element(By.CSS_SELECTOR, ".review-due")
    assert notice.text == (
        f"This case study is past its review date (due {due}): the provider may have "
        "changed how they work."
    )
    # Above the summary, where it is read before the practice.
    summary = browser.find_element(By.CSS_SELECTOR, ".case-study__header .lead")
    assert notice.location["y"] < summary.location["y"]


def test_printed_on_a4_without_the_sites_navigation_and_forms(browser, site, case_study):
    browser.get(site + case_study.url)
    assert {"size": "a4", "margin": "18mm"} in browser.execute_script(PAGE_RULES)
    print_line = browser.find_element(By.CSS_SELECTOR, ".print-only")
    assert not print_line.is_displayed(), "on screen the contact panel does this"
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in (
            ".site-header",
            "nav",
            ".skip-link",
            ".site-footer",
            ".related",
            ".case-study__contact",
        ):
            for element in browser.find_elements(By.CSS_SELECTOR, selector):
                assert not element.is_displayed(), f"{selector} should not print"
        assert browser.find_elements(By.CSS_SELECTOR, ".related"), "the demo page has some"
        assert browser.find_element(By.TAG_NAME, "h1").text == case_study.title
        assert browser.find_element(By.CSS_SELECTOR, ".provider-card").is_displayed()
        assert print_line.is_displayed()
        assert print_line.text == (
            f"To ask {case_study.provider.name} about this practice, go to {site}{case_study.url}"
        )
        # The CQC link prints its address; the body's text is at a print size.
        cqc_link = browser.find_element(By.CSS_SELECTOR, ".provider-card a[href^='https://']")
        after = browser.execute_script(
            "return getComputedStyle(arguments[0], '::after').content", cqc_link
        )
        assert cqc_link.get_attribute("href") in after
        body_size = browser.execute_script("return getComputedStyle(document.body).fontSize")
        assert body_size == "14.6667px", "11pt"
        heading = browser.find_element(By.CSS_SELECTOR, "#approach")
        assert heading.value_of_css_property("break-after") == "avoid"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()


def test_on_a_phone_every_target_is_big_enough_and_axe_finds_nothing(
    browser, site, case_study, axe_source
):
    with on_a_phone(browser):
        browser.get(site + case_study.url)
        assert browser.find_element(By.CSS_SELECTOR, ".review-due").is_displayed()
        assert browser.execute_script(SMALL_TARGETS) == []
        problems = describe(f"{case_study.url} (phone)", axe_violations(browser, axe_source))
        assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)


def test_not_recently_reviewed_with_its_grade_and_axe_finds_nothing(
    browser, site, case_study, axe_source, settings
):
    """With the real grace period (the suite turns the demotion off): the acoustic
    monitoring study's review was due in April 2026, more than 90 days ago."""
    settings.REVIEW_GRACE_DAYS = 90
    assert case_study.not_recently_reviewed
    browser.get(site + case_study.url)
    notice = browser.find_element(By.CSS_SELECTOR, ".not-recently-reviewed")
    assert notice.text.startswith("Not recently reviewed.")
    evidence = browser.find_element(By.CSS_SELECTOR, ".facts__evidence dd").text
    assert evidence.startswith(f"{case_study.get_evidence_strength_display()}: ")
    problems = describe(
        f"{case_study.url} (not recently reviewed)", axe_violations(browser, axe_source)
    )
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
