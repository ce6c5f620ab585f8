"""A case study whose provider's CQC rating dropped: the notice reads right and meets WCAG."""

from selenium.webdriver.common.by import By

from knowledgebase.cqc.ratings_import import import_ratings
from tests.browser.test_accessibility import axe_violations, describe
from tests.cqc_files import HEADERS, location_rows, write_ods

DROPPED = ["Good", "Good", "Good", "Good", "Requires improvement", "Good"]


def test_the_rating_changed_notice_is_accessible(browser, site, case_study, axe_source, tmp_path):
    location = case_study.provider.cqc_location_id
    path = write_ods(
        tmp_path / "2026-11.ods",
        {"Locations": [HEADERS, *location_rows(location, DROPPED, "01/11/2026")]},
    )
    assert import_ratings(path).case_studies_flagged >= 1

    browser.get(site + case_study.url)
    notice = browser.find_element(By.CSS_SELECTOR, "section.rating-changed")
    assert notice.find_element(By.TAG_NAME, "h2").text == "The provider's CQC rating has changed"
    assert "Requires improvement" in notice.text and "1 November 2026" in notice.text
    source = browser.find_element(By.CSS_SELECTOR, ".provider-card .ratings-source")
    assert "2026-11.ods" in source.text
    problems = describe(case_study.url, axe_violations(browser, axe_source))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)
