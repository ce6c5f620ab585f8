"""The demo contributor's way in: the dashboard's "Write a case study", and the Outstanding
rule's answer changing beside the provider and key questions before anything is saved."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.management.commands.load_demo_content import DEMO_PASSWORD, Command
from knowledgebase.providers import Provider
from tests.browser.test_search import wait_for_next_document

ANSWER = ".outstanding-rule-answer"


def log_in(browser, site, username):
    browser.get(site + "/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(DEMO_PASSWORD)
    button = browser.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    wait_for_next_document(browser, button.click)


def open_tab(browser, tab):
    # From the keyboard: the editor's sticky header and action bar can cover a pointer's aim.
    browser.find_element(By.ID, f"tab-label-{tab}").send_keys(Keys.ENTER)


def answer_in(browser, tab):
    return browser.find_element(By.CSS_SELECTOR, f"#tab-{tab} {ANSWER}")


def wait_for_answer(browser, tab, words):
    WebDriverWait(browser, 10).until(lambda driver: words in answer_in(driver, tab).text)
    return answer_in(browser, tab)


def test_contributor_writes_for_their_provider_and_sees_the_rule_before_saving(browser, site):
    Command().create_users()  # the demo logins; the contributor writes for three providers
    # One of them is rated Good overall, Outstanding in some key questions only.
    Provider.objects.filter(name="Bramley Grange").update(overall_rating="good")
    log_in(browser, site, "contributor")

    panel = browser.find_element(By.ID, "your-case-studies-content")
    assert "You write for Bramley Grange, Orchard Vale Nursing Home and Saltmarsh House" in (
        panel.text
    )
    wait_for_next_document(browser, panel.find_element(By.LINK_TEXT, "Write a case study").click)
    assert "/admin/pages/add/knowledgebase/casestudypage/" in browser.current_url

    open_tab(browser, "provider_and_contact")
    provider = Select(browser.find_element(By.ID, "id_provider"))
    offered = [option.text for option in provider.options if option.get_attribute("value")]
    assert offered == [
        "Bramley Grange",
        "Orchard Vale Nursing Home",
        "Saltmarsh House Nursing Home",
    ]
    assert "Choose the provider" in answer_in(browser, "provider_and_contact").text

    provider.select_by_visible_text("Bramley Grange")
    answer = wait_for_answer(browser, "provider_and_contact", "Bramley Grange is rated Good")
    assert answer.get_attribute("data-meets-rule") == "no"
    assert "must address one of those key questions" in answer.text

    open_tab(browser, "classification")
    caring = browser.find_element(
        By.XPATH, "//label[contains(., 'Caring')]/input[@name='key_questions']"
    )
    caring.send_keys(Keys.SPACE)  # from the keyboard, as a contributor tabbing through would
    answer = wait_for_answer(browser, "classification", "meets the Outstanding rule")
    assert answer.get_attribute("data-meets-rule") == "yes"
    assert "Outstanding in Caring" in answer.text
    # The same answer beside the provider, on the other tab.
    assert "meets the Outstanding rule" in answer_in(browser, "provider_and_contact").get_attribute(
        "textContent"
    )

    open_tab(browser, "provider_and_contact")
    provider.select_by_visible_text("Orchard Vale Nursing Home")
    wait_for_answer(browser, "provider_and_contact", "Outstanding overall: any key question")
    assert not CaseStudyPage.objects.filter(live=False).exists()  # nothing saved meanwhile
