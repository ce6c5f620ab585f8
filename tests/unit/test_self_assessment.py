"""The five-minute self-assessment (issue #13): its question bank, the scoring, the
shareable URL that holds the answers, and the routing of weak statements to practice."""

import logging
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session

from knowledgebase.case_studies import CaseStudyPage
from knowledgebase.cqc.ratings import OtherLocation
from knowledgebase.taxonomy import QualityStatement
from knowledgebase.vocabularies import KEY_QUESTION_CHOICES, taxonomy
from search.practice_for import kind_of_service, matching_practice
from self_assessment import matching
from self_assessment.answers import MalformedAnswers, decode, encode, shareable_params
from self_assessment.matching import practice_for_key_questions, practice_for_statements
from self_assessment.questions import KEY_QUESTION_MEANINGS, NOT_SURE, QUESTIONS, SCALE
from self_assessment.scoring import (
    ANSWERS_LOWER,
    CQC_RATED_LOWER,
    FIND_OUT,
    IMPROVE,
    MOSTLY,
    NOT_SURE_BAND,
    OUTSTANDING,
    STRONG,
    WEAK,
    IncompleteAnswers,
    assess,
    compared_with_cqc,
)
from tests.conftest import make_record
from tests.unit.test_practice_for import location, provider

CODES = [q.code for q in QUESTIONS]
FORM = "/self-assessment/"
RESULT = "/self-assessment/result/"


def answers(default="3", **given):
    """Every question answered `default`, except those given by code."""
    return {code: given.get(code, default) for code in CODES}


def order(assessment):
    return [kq.key_question for kq in assessment.key_questions]


def codes(statements):
    return [s.code for s in statements]


# --- The question bank -------------------------------------------------------------------


def test_the_bank_has_three_questions_for_each_key_question_with_stable_codes():
    assert len(QUESTIONS) == 15
    assert len(set(CODES)) == 15
    for slug, _ in KEY_QUESTION_CHOICES:
        asked = [q for q in QUESTIONS if q.key_question == slug]
        assert len(asked) == 3, slug
        assert [q.code for q in asked] == [f"{slug[0]}{n}" for n in (1, 2, 3)]
        assert KEY_QUESTION_MEANINGS[slug].endswith(".")
    assert all(q.text.endswith("?") for q in QUESTIONS)


def test_every_question_s_quality_statement_is_in_the_taxonomy_under_its_key_question():
    statements = {qs["slug"]: qs["key_question"] for qs in taxonomy()["quality_statements"]}
    for question in QUESTIONS:
        assert statements.get(question.quality_statement) == question.key_question, question
    assert len({q.quality_statement for q in QUESTIONS}) == 15  # no statement asked twice


@pytest.mark.django_db
def test_every_question_s_quality_statement_is_a_term_the_search_can_filter_by():
    stored = dict(QualityStatement.objects.values_list("slug", "key_question__slug"))
    assert all(stored[q.quality_statement] == q.key_question for q in QUESTIONS)


def test_the_scale_is_four_points_and_not_sure():
    assert SCALE == (
        ("3", "Yes, consistently"),
        ("2", "Mostly"),
        ("1", "Sometimes"),
        ("0", "Rarely or not at all"),
        (NOT_SURE, "Not sure"),
    )


# --- Scoring -----------------------------------------------------------------------------


def test_the_weakest_key_question_comes_first_and_its_weakest_statement_first():
    result = assess(answers(s1="2", s2="0", s3="1", r1="1", r2="2", r3="3"))
    assert order(result) == ["safe", "responsive", "effective", "caring", "well-led"]
    safe = result.key_questions[0]
    assert codes(safe.statements) == ["s2", "s3", "s1"]
    assert safe.mean == 1.0 and safe.band == WEAK
    responsive = result.key_questions[1]
    assert responsive.mean == 2.0 and responsive.band == MOSTLY
    assert result.aim == IMPROVE
    assert codes(result.weaknesses) == ["s2", "s3", "r1"]


def test_not_sure_is_left_out_of_the_average_and_ranked_after_measured_weaknesses():
    result = assess(answers(e1="x", e2="0", e3="2"))
    effective = result.key_questions[0]
    assert effective.key_question == "effective"
    assert effective.mean == 1.0  # (0 + 2) / 2: Not sure counts for nothing
    assert effective.not_sure_count == 1
    # The weakness, then the gap to look into, then what is mostly in place.
    assert codes(effective.statements) == ["e2", "e1", "e3"]
    assert [s.band for s in effective.statements] == [WEAK, NOT_SURE_BAND, MOSTLY]
    assert codes(result.not_sure) == ["e1"]


def test_a_key_question_answered_all_not_sure_ranks_after_weak_ones_and_before_the_rest():
    result = assess(answers(s1="x", s2="x", s3="x", w1="1", w2="1", w3="1", c1="2"))
    assert order(result)[:3] == ["well-led", "safe", "caring"]
    safe = result.key_questions[1]
    assert safe.mean is None and safe.band == NOT_SURE_BAND


def test_ties_go_to_the_lowest_single_answer_then_most_not_sure_then_cqc_s_order():
    # Equal averages of 2: (3, 3, 0) has a 0 in it; (2, 2, 2) and (x, 2, 2) do not.
    result = assess(answers(s1="2", s2="2", s3="2", e1="x", e2="2", e3="2", c1="3", c2="3", c3="0"))
    assert order(result)[:3] == ["caring", "effective", "safe"]
    # Equal in everything: CQC's order.
    assert order(assess(answers("1"))) == [slug for slug, _ in KEY_QUESTION_CHOICES]
    # Equal statements keep the bank's order.
    assert codes(assess(answers("1")).key_questions[0].statements) == ["s1", "s2", "s3"]


def test_practice_goes_to_the_five_weakest_statements_spread_over_key_questions_on_ties():
    result = assess(answers(s1="0", s2="0", s3="0", e2="1", c1="x", w3="2"))
    assert codes(result.practice_targets()) == ["s1", "s2", "s3", "e2", "c1"]
    everything_mostly = assess(answers("2"))
    assert codes(everything_mostly.practice_targets()) == ["s1", "e1", "c1", "r1", "w1"]
    assert codes(result.practice_targets(limit=2)) == ["s1", "s2"]


def test_all_not_sure_asks_the_reader_to_find_out_first():
    result = assess(answers("x"))
    assert result.aim == FIND_OUT
    assert all(kq.mean is None and kq.band == NOT_SURE_BAND for kq in result.key_questions)
    assert order(result) == [slug for slug, _ in KEY_QUESTION_CHOICES]
    assert codes(result.practice_targets()) == ["s1", "e1", "c1", "r1", "w1"]


def test_all_strong_aims_from_good_to_outstanding_with_no_statement_singled_out():
    result = assess(answers("3"))
    assert result.aim == OUTSTANDING and result.all_strong
    assert all(kq.band == STRONG and kq.mean == 3 for kq in result.key_questions)
    assert result.practice_targets() == ()
    mostly = assess(answers("3", w2="2"))
    assert mostly.aim == OUTSTANDING and not mostly.all_strong
    assert codes(mostly.practice_targets()) == ["w2"]
    assert order(mostly)[0] == "well-led"


@pytest.mark.parametrize(
    "given",
    [
        {code: "3" for code in CODES[:-1]},  # one missing
        {**answers(), "z9": "3"},  # one unknown
        answers(s1="4"),  # off the scale
    ],
)
def test_scoring_refuses_incomplete_answers(given):
    with pytest.raises(IncompleteAnswers):
        assess(given)


def test_where_cqc_and_the_answers_disagree_it_is_said():
    result = {kq.key_question: kq for kq in assess(answers(s1="0", s2="0", e1="2")).key_questions}
    assert compared_with_cqc(result["safe"], "good") == ANSWERS_LOWER
    assert compared_with_cqc(result["safe"], "outstanding") == ANSWERS_LOWER
    assert compared_with_cqc(result["safe"], "inadequate") is None
    assert compared_with_cqc(result["effective"], "requires-improvement") == CQC_RATED_LOWER
    assert compared_with_cqc(result["caring"], "inadequate") == CQC_RATED_LOWER
    assert compared_with_cqc(result["caring"], "good") is None
    all_not_sure = assess(answers("x")).key_questions[0]
    assert compared_with_cqc(all_not_sure, "inadequate") is None
    assert compared_with_cqc(all_not_sure, "good") is None


# --- The shareable URL -------------------------------------------------------------------


def test_answers_travel_in_eighteen_characters_and_back():
    given = answers(s1="0", s2="1", s3="x", e1="2", w3="x")
    text = encode(given)
    assert text == "v1-01x23333333333x"
    assert len(text) == 18
    assert decode(text) == given
    assert shareable_params(given, "1-123456789", "homecare") == {
        "answers": text,
        "location": "1-123456789",
        "service_type": "homecare",
    }
    assert shareable_params(given) == {"answers": text}


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "not in a form we can read"),
        ("333333333333333", "not in a form we can read"),
        ("-333333333333333", "not in a form we can read"),
        ("v0-333333333333333", "different version"),
        ("v1-33333", "holds 5 answers"),
        ("v1-3333333333333333", "holds 16 answers"),
        ("v1-33333333333333y", "answer to question 15 is not one we know"),
        ("v1-3333\x003333333333", "answer to question 5"),
    ],
)
def test_a_link_that_cannot_be_read_says_why(text, says):
    with pytest.raises(MalformedAnswers, match=says):
        decode(text)


# --- The pages ---------------------------------------------------------------------------


def compact(given, **extra):
    return {"answers": encode(given), **extra}


def checked(html, code):
    """The value of the radio checked for a question, or None."""
    found = re.search(
        rf'<input type="radio" id="id_{code}_\d" name="{code}" value="(.)" checked', html
    )
    return found.group(1) if found else None


@pytest.mark.django_db
def test_the_form_has_a_fieldset_per_key_question_and_a_radio_group_per_question(client):
    response = client.get(FORM)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<fieldset class="key-question"') == 5
    assert html.count('<fieldset class="question') == 15
    for slug, label in KEY_QUESTION_CHOICES:
        assert f'<span class="key-question__name">{label}</span>' in html
        assert KEY_QUESTION_MEANINGS[slug].replace("'", "&#x27;") in html
    assert 'aria-describedby="id_s1-hint"' in html
    assert html.count('type="radio" id="id_s1_') == 5
    assert 'action="/self-assessment/result/" method="get"' in html
    assert 'id="id_location"' in html and 'id="id_service_type"' in html
    assert '<option value="nursing-home">Nursing home</option>' in html
    assert "noindex" not in html  # the empty form may be found by search engines


@pytest.mark.django_db
def test_a_submitted_form_is_redirected_to_its_compact_shareable_url(client):
    given = answers(s1="0", r2="x")
    response = client.get(RESULT, {**given, "location": " ", "service_type": ""})
    assert response.status_code == 302
    assert response.url == f"{RESULT}?answers={encode(given)}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Where your service looks weakest" in page.content.decode()
    # The same link again gives the same result.
    assert client.get(response.url).content == page.content


@pytest.mark.django_db
def test_an_unanswered_question_re_shows_the_form_with_every_answer_kept(client):
    given = answers("2")
    del given["e2"], given["w3"]
    response = client.get(RESULT, {**given, "location": "1-000", "service_type": "homecare"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_e2_0", "Question 5: choose an answer, or “Not sure”."),
        ("id_w3_0", "Question 15: choose an answer, or “Not sure”."),
        ("id_location", "&#x27;1-000&#x27; is not a CQC location id: they look like 1-1234567890."),
    ]
    assert 'aria-describedby="id_e2-hint id_e2-error"' in html
    assert 'id="id_e2-error"' in html
    assert all(checked(html, code) == "2" for code in given)
    assert checked(html, "e2") is None
    assert 'value="1-000"' in html
    assert '<option value="homecare" selected>' in html


@pytest.mark.parametrize(
    "query",
    [
        "answers=v1-33",
        "answers=v2-333333333333333",
        "answers=banana",
        "answers=",
        "answers=v1-33333333333333%00",
        "answers=v1-" + "3" * 5000,
        "answers=v1-333333333333333&location=not-an-id",
        "answers=v1-333333333333333&location=1-123%00",
        "answers=v1-333333333333333&service_type=castle",
        "answers=v1-333333333333333&location=" + "1" * 300,
    ],
)
@pytest.mark.django_db
def test_a_tampered_link_gets_the_form_back_with_a_clear_message(client, query):
    response = client.get(f"{RESULT}?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<form action="/self-assessment/result/"' in html
    assert 'role="alert"' in html
    assert "Answer the questions again" in html or "what to correct" in html


@pytest.mark.django_db
def test_a_link_with_a_bad_location_keeps_its_answers(client):
    given = answers(s1="0")
    response = client.get(RESULT, compact(given, location="nowhere"))
    html = response.content.decode()
    assert response.status_code == 400
    assert checked(html, "s1") == "0" and checked(html, "w3") == "3"
    assert "is not a CQC location id" in html


@pytest.mark.django_db
def test_one_address_per_result(client):
    given = answers(s2="1")
    canonical = f"{RESULT}?answers={encode(given)}"
    for query in [
        {**compact(given), "utm_source": "email"},
        {**compact(given), "location": ""},
        {"answers": f" {encode(given)} "},
    ]:
        response = client.get(RESULT, query)
        assert response.status_code == 302 and response.url == canonical, query
    assert client.get(RESULT).url == FORM  # nothing asked: the questions


@pytest.mark.django_db
def test_change_your_answers_fills_the_form_in(client):
    given = answers(s1="0", c2="x")
    html = client.get(FORM, compact(given, service_type="homecare")).content.decode()
    assert checked(html, "s1") == "0" and checked(html, "c2") == "x"
    assert '<option value="homecare" selected>' in html
    assert '<meta name="robots" content="noindex">' in html
    bad = client.get(FORM, {"answers": "v1-12"})
    assert bad.status_code == 400 and "holds 2 answers" in bad.content.decode()


@pytest.mark.django_db
def test_answers_are_not_stored_cached_logged_or_passed_on(client, caplog):
    assert list(apps.get_app_config("self_assessment").get_models()) == []
    given = answers(s1="0", s2="1", e3="x")
    with caplog.at_level(logging.DEBUG):
        response = client.get(RESULT, compact(given))
        client.get(RESULT, {**given, "s1": ""})  # the form again, with an error
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert not response.cookies and Session.objects.count() == 0
    assert encode(given) not in caplog.text and "answers=" not in caplog.text


# --- Routing to practice -----------------------------------------------------------------

R = {n: f"cs-test-{900 + n:04d}" for n in range(1, 9)}


@pytest.fixture
def practice(importer, database_search):
    """Safe practice tagged with quality statements, from five providers; the best match for
    a north-west care home is Outstanding in Safe and a care home in the north-west."""

    def record(n, statements, service_type, region, overall="good", key_questions=("safe",), **kq):
        return make_record(
            900 + n,
            provider=provider(n, service_type, region, overall, **kq),
            key_questions=list(key_questions),
            quality_statements=statements,
            published=f"2025-0{9 if n == 1 else n}-01",  # the first is the newest
        )

    records = [
        record(1, ["learning-culture"], "homecare", "london", safe="outstanding"),
        record(2, ["learning-culture"], "residential-care-home", "north-west", "outstanding"),
        record(3, ["learning-culture"], "nursing-home", "london", safe="outstanding"),
        record(4, ["learning-culture"], "residential-care-home", "north-west", safe="outstanding"),
        record(5, ["learning-culture"], "residential-care-home", "north-west", safe="outstanding"),
        record(6, ["safeguarding"], "homecare", "london", safe="outstanding"),
        record(
            7,
            ["freedom-to-speak-up"],
            "homecare",
            "london",
            "outstanding",
            key_questions=("well-led",),
        ),
        record(8, [], "supported-living", "south-west", safe="outstanding"),
    ]
    report = importer(records)
    assert not report.errors, report.errors
    CaseStudyPage.objects.filter(external_id=R[5]).update(rating_dropped=True)


def ids(matches):
    return [m.hit.id for m in matches]


def targets(**given):
    return assess(answers(**given)).practice_targets()


@pytest.mark.django_db
def test_a_weak_statement_gets_the_practice_tagged_with_it_best_for_the_service_first(practice):
    place = location(location_id="1-5000000901")  # a care home in the north-west
    found = practice_for_statements(targets(s1="0"), place)
    # Outstanding in Safe first; among them a care home before homecare; the same region first.
    assert ids(found.for_target("s1")) == [R[4], R[3], R[1]]
    assert all(m.tagged for m in found.for_target("s1"))
    assert R[5] not in ids(found.for_target("s1"))  # its rating dropped: never recommended
    assert found.searches == 1
    # Without a location: Outstanding in Safe, newest first (published 2025-09, -04, -03).
    assert ids(practice_for_statements(targets(s1="0")).for_target("s1")) == [R[1], R[4], R[3]]


@pytest.mark.django_db
def test_the_reader_s_type_of_service_counts_without_a_location(practice):
    assert kind_of_service(None, "nursing-home") == "care-home"
    assert kind_of_service(None, "homecare") == "community"
    assert kind_of_service(None, "") == ""
    # A nursing home: Outstanding in Safe and a nursing home, then a care home, then the rest.
    found = practice_for_statements(targets(s1="0"), None, "nursing-home")
    assert ids(found.for_target("s1")) == [R[3], R[4], R[1]]
    found = matching_practice("safe", None, "nursing-home", quality_statement="learning-culture")
    assert [hit.id for hit in found.hits] == [R[3], R[4], R[1], R[2]]
    # Supported living: it first, then the other community services, then the rest.
    found = matching_practice("safe", None, "supported-living")
    assert [hit.id for hit in found.hits] == [R[8], R[1], R[6], R[4], R[3]]


@pytest.mark.django_db
def test_a_thinly_tagged_statement_is_filled_from_its_key_question_said_so(practice):
    place = location(location_id="1-5000000902")
    found = practice_for_statements(targets(s1="0", s2="0"), place)
    safeguarding = found.for_target("s2")
    assert [(m.hit.id, m.tagged) for m in safeguarding][0] == (R[6], True)
    assert [m.tagged for m in safeguarding] == [True, False, False]
    # What no other statement showed comes first: not R4, R3, R1, shown for s1.
    assert ids(safeguarding)[1:] == [R[8], R[2]]
    assert found.searches == 1  # one search for Safe served both statements


@pytest.mark.django_db
def test_a_statement_beyond_its_key_question_s_first_page_is_searched_on_its_own(
    practice, monkeypatch
):
    place = location(location_id="1-5000000903")
    full = practice_for_statements(targets(s1="0", s2="0"), place)
    monkeypatch.setattr(matching, "KEY_QUESTION_DEPTH", 2)  # Safe's first page: R4, R3
    shallow = practice_for_statements(targets(s1="0", s2="0"), place)
    assert ids(shallow.for_target("s1")) == ids(full.for_target("s1"))
    assert ids(shallow.for_target("s2"))[0] == R[6]
    assert shallow.searches == 3  # Safe, then learning culture and safeguarding on their own


@pytest.mark.django_db
def test_strong_answers_throughout_get_practice_for_each_key_question(practice):
    found = practice_for_key_questions(["safe", "well-led", "caring"])
    assert ids(found.for_target("safe")) == [R[1], R[8], R[6]]  # Outstanding in Safe, newest
    assert ids(found.for_target("well-led")) == [R[7]]
    assert found.for_target("caring") == []
    assert found.searches == 3


@pytest.fixture
def elm_court(practice):
    """A care home in the north-west: CQC rated Safe Inadequate, Well-led Requires
    improvement, Caring Outstanding."""
    return location(
        location_id="1-5550000001",
        safe="inadequate",
        well_led="requires-improvement",
        caring="outstanding",
    )


@pytest.mark.django_db
def test_the_result_page_routes_weak_statements_to_practice_beside_the_cqc_ratings(
    client, elm_court, django_assert_max_num_queries
):
    given = answers(s1="0", s2="1", c1="0", c2="1", c3="1")  # Well-led strong, Caring weak
    with django_assert_max_num_queries(40):  # two searches (Safe, Caring): 16 queries each
        response = client.get(RESULT, compact(given, location=elm_court.location_id))
    html = response.content.decode()
    assert response.status_code == 200
    headings = re.findall(r'<h2 id="kq-([a-z-]+)-heading">([^<]+)</h2>', html)
    assert [slug for slug, _ in headings] == [
        "caring",
        "safe",
        "effective",
        "responsive",
        "well-led",
    ]
    assert headings[0][1] == "Caring: looks weak (average 0.7 of 3)"
    # Beside the published ratings, and the matching is for a north-west care home.
    assert "Your CQC ratings" in html and "CQC location id 1-5550000001" in html
    assert '<td class="rating rating--inadequate">Inadequate</td>' in html
    learning = html[html.index("<h3>Learning culture</h3>") : html.index("<h3>Safeguarding</h3>")]
    titles = re.findall(r'<a href="http://testserver(/[^"]+)">([^<]+)</a>', learning)
    assert [title for _, title in titles] == [
        "Test case study 904",
        "Test case study 903",
        "Test case study 901",
    ]
    assert "Outstanding in Safe" in learning
    safeguarding = html[html.index("<h3>Safeguarding</h3>") : html.index("All practice for Safe")]
    assert "Few case studies are tagged with this statement yet" in safeguarding
    assert "Test case study 905" not in html  # its rating dropped
    # Gently, where CQC and the answers disagree.
    assert "Your answers say Well-led is strong, which is kinder than CQC’s rating" in html
    assert "Your answers say Caring looks weak, though CQC rated it Outstanding" in html
    assert "Your answers say Safe" not in html  # both say weak: nothing to point out
    share = re.search(r'<input type="text" id="share-url" value="([^"]+)" readonly', html)
    assert share.group(1) == (
        f"http://testserver{RESULT}?answers={encode(given)}&amp;location=1-5550000001"
    )


@pytest.mark.django_db
def test_an_unknown_or_other_location_is_said_and_the_result_still_shown(client, practice):
    given = answers(s1="0")
    html = client.get(RESULT, compact(given, location="1-9999999999")).content.decode()
    assert "We do not hold CQC ratings for the location id 1-9999999999" in html
    assert "Learning culture" in html and "Your CQC ratings" not in html
    OtherLocation.objects.create(
        location_id="1-7770000002", location_type="Primary Medical Services"
    )
    html = client.get(RESULT, compact(given, location="1-7770000002")).content.decode()
    assert "is not an adult social care service (CQC lists it as Primary Medical Services)" in html


@pytest.mark.parametrize(
    "given, lead",
    [
        (answers("x"), "You were not sure about any of the questions"),
        (answers("3"), "You answered “Yes, consistently” to every question"),
        (answers("3", e1="2"), "None of your answers suggests a weakness"),
        (answers("3", e1="0"), "Your answers suggest 1 weak spot."),
    ],
)
@pytest.mark.django_db
def test_the_result_says_what_it_aims_at(client, practice, given, lead):
    html = client.get(RESULT, compact(given)).content.decode()
    assert lead in html


@pytest.mark.django_db
def test_not_sure_answers_are_shown_as_gaps_to_look_into(client, practice):
    html = client.get(RESULT, compact(answers(s1="0", s3="x", e1="x"))).content.decode()
    assert "You answered “Not sure” to 2 questions" in html
    assert html.count("Your answer: <strong>Not sure</strong>") == 2
    assert html.count("To find out: ask staff") == 2


@pytest.mark.django_db
def test_the_result_page_costs_a_search_per_key_question_with_practice(
    client, practice, django_assert_max_num_queries
):
    with django_assert_max_num_queries(85):  # all five key questions, at most 17 each
        assert client.get(RESULT, compact(answers("0"))).status_code == 200
