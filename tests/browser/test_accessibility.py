"""axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the pages people use most."""

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from knowledgebase.curated_collections import CuratedCollectionPage

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
  .then(results => done({violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))}))}))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver, axe_source):
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(axe_source)
    outcome = driver.execute_async_script(RUN_AXE, WCAG_TAGS)
    assert "error" not in outcome, f"axe-core failed to run: {outcome['error']}"
    return outcome["violations"]


def describe(where, violations):
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}")
    return lines


def test_pages_have_no_wcag_violations(browser, site, case_study, axe_source):
    collection = CuratedCollectionPage.objects.live().order_by("title").first()
    assert collection is not None, "the demo collections should exist"
    pages = [
        "/",
        "/search/?q=falls",
        "/search/?q=falls&theme=falls-prevention",
        "/search/?evidence_strength=moderate",
        case_study.url,
        "/strength-of-evidence/",
        "/case-studies/",
        "/collections/",
        collection.url,
    ]
    problems = []
    for path in pages:
        browser.get(site + path)
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed(), path
        if "theme=" in path:
            # The facet really is selected: the chip shows and the box is ticked.
            assert browser.find_elements(By.CSS_SELECTOR, "ul.chips a"), path
            assert browser.find_element(By.ID, "f-theme-falls-prevention").is_selected()
        problems += describe(path, axe_violations(browser, axe_source))

    # The search page with the suggestions list open.
    browser.get(site + "/search/")
    browser.find_element(By.ID, "search-q").send_keys("fall")
    WebDriverWait(browser, 10).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox] [role=option]"))
    )
    problems += describe("/search/ (suggestions open)", axe_violations(browser, axe_source))

    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
