"""What each public page costs: SQL queries and time per request, on the demo content.

    .venv/bin/python benchmarks/page_queries.py [--rounds 5]

Builds a throwaway SQLite database (migrations, then the demo content through the importer,
as `make run` does), then requests each page with Django's test client and prints one line a
page: `page name=... status=... queries=... p50_ms=... max_ms=...`. The database search
backend answers (ELASTICSEARCH_URL is ignored), so the figures are the embedded default's.
Queries are counted on the second request of a page (the first warms per-process caches,
such as the search vocabulary and the vectors), time over every round after the first.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="px-page-queries-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK}/pages.sqlite3"
os.environ["ELASTICSEARCH_URL"] = ""
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from knowledgebase.case_studies import CaseStudyPage  # noqa: E402
from self_assessment.answers import shareable_params  # noqa: E402
from self_assessment.questions import QUESTIONS  # noqa: E402

# A demo case study with a contact and offers.
DEMO_CASE_STUDY = "cs-acoustic-monitoring-night-falls"
# A request a reader sends from it (a different e-mail each round: the rate limit counts them).
REQUEST = {
    "name": "Ann Reader",
    "role": "Registered manager",
    "organisation": "Riverside Care",
    "asking_for": "question",
    "message": "Could two of our night staff visit in March?",
    "consent": "on",
}


def pages():
    """(name, method, path, data) for each public page worth measuring. The practice-for
    pages need CQC's ratings file, which the demo content does not hold: see
    tests/unit/test_practice_for.py for their query counts."""
    url = CaseStudyPage.objects.live().get(external_id=DEMO_CASE_STUDY).url
    # Weak in the first question of each key question, "Not sure" in the second.
    answers = {q.code: ("0", "x", "2")[n % 3] for n, q in enumerate(QUESTIONS)}
    return [
        ("home", "get", "/", None),
        ("search_empty", "get", "/search/", None),
        ("search_falls", "get", "/search/", {"q": "falls"}),
        ("search_falls_filtered", "get", "/search/", {"q": "falls", "key_question": "safe"}),
        ("case_study", "get", url, None),
        ("ask_the_provider_form", "get", f"{url}ask/", None),
        ("ask_the_provider_post", "post", f"{url}ask/", REQUEST),
        ("ask_the_provider_sent", "get", f"{url}ask/sent/", None),
        ("feed_all", "get", "/feeds/", None),
        ("feed_theme", "get", "/feeds/themes/falls-prevention/", None),
        ("feed_key_question", "get", "/feeds/key-questions/safe/", None),
        ("feed_search", "get", "/feeds/search/", {"q": "falls"}),
        ("alert_sign_up", "get", "/alerts/new/", {"q": "falls"}),
        ("self_assessment_form", "get", "/self-assessment/", None),
        ("self_assessment_result", "get", "/self-assessment/result/", shareable_params(answers)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = max(2, parser.parse_args().rounds)
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ENQUIRY_RATE_LIMIT = 1000  # every round from the test client's one address
    print(f"Preparing a database in {WORK} (migrations and the demo content)...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    http = Client()
    listed = pages()
    for n, (name, method, path, data) in enumerate(listed, 1):
        timings, queries, status = [], None, None
        for round_ in range(rounds):
            if method == "post":
                data = {**data, "email": f"reader{n}.{round_}@example.org"}
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = getattr(http, method)(path, data or {}, follow=False)
                elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            if round_ == 1:
                queries = len(captured.captured_queries)
            if round_ >= 1:
                timings.append(elapsed)
        print(
            f"page name={name} status={status} queries={queries} "
            f"p50_ms={statistics.median(timings):.1f} max_ms={max(timings):.1f} "
            f"[{n}/{len(listed)}]",
            flush=True,
        )


if __name__ == "__main__":
    main()
