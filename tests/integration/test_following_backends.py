"""Feeds, alerts and the self-assessment find practice through the search service: the same
on the real Elasticsearch as on PostgreSQL's database search, and Elasticsearch answers."""

import datetime
from io import StringIO

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from following.models import Alert, AlertAddress
from following.searches import FollowedSearch
from search import backends
from search.practice_for import matching_practice
from self_assessment.matching import practice_for_statements
from self_assessment.questions import QUESTIONS
from self_assessment.scoring import assess
from tests.conftest import OTHER_TOPIC

BASE = "http://127.0.0.1:8000"
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def engine(hydration_practice, settings):
    settings.PUBLIC_BASE_URL = BASE
    return hydration_practice


def test_the_search_feed_holds_what_the_search_service_finds(client, engine):
    followed = FollowedSearch(q="hydration")
    assert backends.search(followed.search_query()).backend == engine
    response = client.get("/feeds/search/?q=hydration")
    feed = feedparser.parse(response.content)
    assert response.status_code == 200 and feed.bozo == 0
    titles = {entry.title for entry in feed.entries}
    assert {"Hydration rounds at night", "Hydration stations in the lounge"} <= titles
    assert not titles & {
        "Hydration practice whose rating dropped",
        "Hydration practice since unpublished",
        OTHER_TOPIC,
    }


def test_the_digest_announces_new_matches_found_by_the_backend(client, engine):
    address = AlertAddress.objects.create(email="sam@example.org", confirmed_at=timezone.now())
    Alert.objects.create(
        address=address,
        search="q=hydration",
        description="for “hydration”",
        confirmed_at=timezone.now() - WEEK,
    )
    out = StringIO()
    call_command("send_alert_digests", stdout=out)
    [message] = mail.outbox
    assert "Hydration rounds at night" in message.body
    assert "Hydration stations in the lounge" in message.body
    assert "rating dropped" not in message.body and "unpublished" not in message.body
    assert "Music for people" not in message.body  # OTHER_TOPIC
    assert "e-mails sent: 1" in out.getvalue()


def test_the_self_assessment_matches_practice_on_the_backend(engine):
    # The records are tagged Safe / Safe environments (tests.conftest.make_record).
    found = matching_practice("safe", quality_statement="safe-environments", page_size=50)
    assert found.backend == engine
    tagged = {hit.title for hit in found.hits}
    assert {
        "Hydration rounds at night",
        "Hydration stations in the lounge",
        OTHER_TOPIC,
    } <= tagged
    assert "Hydration practice whose rating dropped" not in tagged
    assert all("safe-environments" in hit.quality_statements for hit in found.hits)
    # Only "Do staff know how to spot abuse or neglect...?" (s2, Safeguarding) is weak.
    answers = {question.code: "3" for question in QUESTIONS} | {"s2": "0"}
    [target] = assess(answers).practice_targets()
    matched = practice_for_statements([target])
    matches = matched.for_target("s2")
    assert matches and matched.notice == ""
    for match in matches:
        assert match.hit.key_questions and "safe" in match.hit.key_questions
        assert match.tagged == ("safeguarding" in match.hit.quality_statements)
        assert not match.hit.rating_dropped
        assert match.hit.title != "Hydration practice since unpublished"
