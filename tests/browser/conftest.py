"""Fixtures for the browser tests: Debian's headless Chromium driven by Selenium against
pytest-django's live server, with the demo case studies imported for every test.

The live server needs a transactional database, which is emptied after each test. The
tests ask for serialized rollback so that what the migrations created (the page tree,
the vocabularies) is put back before each one, and the demo content is imported again
per test (about two seconds).
"""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.interchange.importer import CaseStudyImporter
from knowledgebase.management.commands.load_demo_content import Command
from search import backends

# Selenium Manager must never try to download a browser or a driver.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DEMO_FILE = ROOT / "knowledgebase" / "demo" / "case_studies.jsonl"
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROME_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]


def _start_chromium(javascript=True):
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            pytest.fail(
                f"{path} is missing: install Debian's chromium and chromium-driver "
                "(scripts/test.sh does this when they are missing)."
            )
    profile = tempfile.mkdtemp(prefix="practice-exchange-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROME_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile}")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver, profile


def _stop_chromium(driver, profile):
    try:
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def _live_server_outlives_browsers(live_server):
    """Set up before the browsers, so torn down after they have all quit.

    The live server answers each connection in a daemon thread that it does not wait for
    when it stops. Let the threads of the browsers' kept-alive connections finish first,
    or they close the shared in-memory SQLite connection after the live server has
    stopped sharing it (a DatabaseError in the thread).
    """
    yield live_server
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser(_live_server_outlives_browsers):
    """Headless Chromium with JavaScript on, shared by the whole session."""
    driver, profile = _start_chromium(javascript=True)
    yield driver
    _stop_chromium(driver, profile)


@pytest.fixture(scope="session")
def browser_without_js(_live_server_outlives_browsers):
    """Headless Chromium with JavaScript switched off by the content settings."""
    driver, profile = _start_chromium(javascript=False)
    yield driver
    _stop_chromium(driver, profile)


@pytest.fixture(autouse=True)
def _fresh_window(request):
    """Each test starts at the default window size with no cookies from the last one."""
    for name in ("browser", "browser_without_js"):
        if name in request.fixturenames:
            driver = request.getfixturevalue(name)
            driver.set_window_size(1280, 900)
            driver.delete_all_cookies()


@pytest.fixture
def demo_content(live_server, django_db_serialized_rollback, settings):
    """The demo case studies, their providers and the demo curated collections, live.

    The pages are served with the database search backend, the embedded default, even
    when ELASTICSEARCH_URL is set in the environment (the live server shares settings).
    """
    settings.ELASTICSEARCH_URL = ""
    backends.reset_circuit()

    lines = DEMO_FILE.read_text(encoding="utf-8").splitlines()
    report = CaseStudyImporter().import_lines(lines)
    assert not report.errors, [str(error) for error in report.errors]
    assert report.created == len([line for line in lines if line.strip()])
    Command().create_collections()
    return report


@pytest.fixture
def site(live_server, demo_content):
    """The live server's base URL, with the demo content in place."""
    return live_server.url


@pytest.fixture
def case_study(demo_content):
    """A demo case study with a challenge, an approach and a contact."""
    return CaseStudyPage.objects.live().get(external_id="cs-acoustic-monitoring-night-falls")


@pytest.fixture
def axe_source():
    """axe-core's browser bundle, installed from npm by `npm ci`."""
    if not AXE_FILE.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE_FILE.relative_to(ROOT)} is missing): "
            "run `npm ci` in the project folder first."
        )
    return AXE_FILE.read_text(encoding="utf-8")
