"""The admin's Coverage screen in a 1280 px window: a curator reads the callouts first, the
tables scroll inside focusable regions, a cell leads to the search showing that many case
studies, and axe-core finds no WCAG 2.2 AA violation."""

import re

from django.contrib.auth.models import Group, User
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from knowledgebase.cqc.ratings_import import import_ratings
from knowledgebase.management.commands.load_demo_content import DEMO_CQC_RATINGS_FILE
from tests.browser.test_accessibility import axe_violations, describe

ADMIN_WINDOW = (1280, 900)


def sign_in_as_a_curator(browser, site):
    curator = User.objects.create_user("curator-test", password="a long test password")
    curator.groups.add(Group.objects.get(name="Curators"))
    browser.get(site + "/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys("curator-test")
    browser.find_element(By.ID, "id_password").send_keys("a long test password\n")
    WebDriverWait(browser, 15).until(lambda driver: "/login/" not in driver.current_url)


def test_the_coverage_screen(browser, site, axe_source):
    import_ratings(DEMO_CQC_RATINGS_FILE)
    browser.set_window_size(*ADMIN_WINDOW)
    sign_in_as_a_curator(browser, site)
    browser.get(site + "/admin/coverage/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Coverage"

    # The callouts come before every table, and there are five of them.
    callouts = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=callouts-title]")
    first_table = browser.find_element(By.CSS_SELECTOR, "table.coverage-table")
    follows = browser.execute_script(
        "return arguments[0].compareDocumentPosition(arguments[1])"
        " & Node.DOCUMENT_POSITION_FOLLOWING",
        callouts,
        first_table,
    )
    assert follows
    sentences = callouts.find_elements(By.CSS_SELECTOR, "ol li a")
    assert len(sentences) == 5
    assert re.match(r"^.+ in .+: \d+ services rated Requires improvement", sentences[0].text)

    # The page does not scroll sideways: a wide table scrolls inside its focusable region.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= ADMIN_WINDOW[0]
    regions = browser.find_elements(By.CSS_SELECTOR, "div.coverage-scroll[role=region]")
    assert len(regions) == 7
    assert all(region.get_attribute("tabindex") == "0" for region in regions)

    problems = describe("/admin/coverage/", axe_violations(browser, axe_source))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)

    # A theme's cell leads to the public search showing that many case studies.
    cell = next(
        link
        for link in browser.find_elements(
            By.CSS_SELECTOR, "#grid-supply-theme ~ .coverage-scroll tbody td a"
        )
        if int(link.text.split()[0]) >= 2
    )
    count = int(cell.text.split()[0])
    href = cell.get_attribute("href")
    assert "theme=" in href and "key_question=" in href
    browser.get(href)
    assert browser.find_element(By.ID, "result-count").text.startswith(f"{count} case studies")
