"""The self-assessment's two pages: the questions, and the result at a shareable URL.

The form submits with GET to the result, so the result's address is the shareable link. A
submission in the form's own long parameters is redirected to the compact canonical link
(answers.py); a link that cannot be read gets the form back with a message (400).

Answers are not stored: no model, no session, nothing logged here. Both pages are sent
Cache-Control: private, and Referrer-Policy: no-referrer, so that the address with the
answers is not passed on to the next page a reader opens (nor to its logs).
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from knowledgebase.cqc.ratings import latest_ratings
from knowledgebase.vocabularies import labels
from search.practice_for import other_location_type, rating_rows

from .answers import PARAMETER, MalformedAnswers, decode, shareable_params
from .forms import SelfAssessmentForm
from .matching import practice_for_key_questions, practice_for_statements
from .scoring import ANSWERS_LOWER, CQC_RATED_LOWER, assess, compared_with_cqc


def _private(response):
    patch_cache_control(response, private=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _render_form(request, form, message="", status=200):
    context = {
        "form": form,
        "message": message,
        "error_summary": form.error_summary() if form.is_bound else [],
        # The bare form may be found by search engines; never one holding answers.
        "noindex": bool(request.GET),
    }
    return _private(render(request, "self_assessment/form.html", context, status=status))


def _form_from_link(params):
    """The form bound to a shareable link's answers. Raises MalformedAnswers."""
    answers = decode(params.get(PARAMETER, ""))
    return SelfAssessmentForm(
        {
            **answers,
            "location": params.get("location", ""),
            "service_type": params.get("service_type", ""),
        }
    )


def _canonical_params(form):
    return shareable_params(
        form.answers(), form.cleaned_data["location"], form.cleaned_data["service_type"]
    )


@require_safe
def self_assessment_form(request):
    """/self-assessment/: the questions. From a result's "Change your answers" link, the
    form comes filled in with that result's answers."""
    if PARAMETER not in request.GET:
        return _render_form(request, SelfAssessmentForm())
    try:
        form = _form_from_link(request.GET)
    except MalformedAnswers as exc:
        return _render_form(request, SelfAssessmentForm(), str(exc), status=400)
    return _render_form(request, form, status=200 if form.is_valid() else 400)


@require_safe
def self_assessment_result(request):
    params = request.GET
    if PARAMETER in params:
        try:
            form = _form_from_link(params)
        except MalformedAnswers as exc:
            return _render_form(request, SelfAssessmentForm(), str(exc), status=400)
        if not form.is_valid():
            return _render_form(
                request,
                form,
                "Part of this link cannot be read: your answers are below, with what to correct.",
                status=400,
            )
        canonical = _canonical_params(form)
        if dict(params.lists()) != {name: [value] for name, value in canonical.items()}:
            # Extra, repeated or empty parameters: one address per result.
            return redirect(f"{reverse('self-assessment-result')}?{urlencode(canonical)}")
        return _render_result(request, form, canonical)
    if not params:
        return redirect("self-assessment")
    form = SelfAssessmentForm(params)
    if not form.is_valid():
        return _render_form(request, form)
    return redirect(f"{reverse('self-assessment-result')}?{urlencode(_canonical_params(form))}")


def _statement_row(statement, practice, target_codes):
    """(statement, its practice, whether it was matched, whether its practice includes the
    key question's other practice, not tagged with the statement)."""
    matches = practice.for_target(statement.code)
    return (
        statement,
        matches,
        statement.code in target_codes,
        any(not match.tagged for match in matches),
    )


def _render_result(request, form, canonical):
    assessment = assess(form.answers())
    location, typed_location = form.care_location, form.cleaned_data["location"]
    service_type = form.cleaned_data["service_type"]
    ratings = (
        latest_ratings([location.location_id]).get(location.location_id, {}) if location else {}
    )
    if assessment.all_strong:
        targets = ()
        practice = practice_for_key_questions(
            [kq.key_question for kq in assessment.key_questions], location, service_type
        )
    else:
        targets = assessment.practice_targets()
        practice = practice_for_statements(targets, location, service_type)
    for matches in practice.matches.values():
        for match in matches:
            # Absolute, so that the printed page shows where each case study is.
            match.url = request.build_absolute_uri(match.hit.url)
    target_codes = {t.code for t in targets}
    sections = [
        {
            "result": kq,
            "rating": (fact := ratings.get(kq.key_question)),
            "comparison": compared_with_cqc(kq, fact.rating) if fact else None,
            "statements": [_statement_row(s, practice, target_codes) for s in kq.statements],
            "key_question_practice": practice.for_target(kq.key_question),
        }
        for kq in assessment.key_questions
    ]
    query = urlencode(canonical)
    context = {
        "assessment": assessment,
        "sections": sections,
        "targets": targets,
        "location": location,
        "typed_location": typed_location,
        "location_listed_as": other_location_type(typed_location)
        if typed_location and not location
        else "",
        "ratings": ratings,
        "rating_rows": rating_rows(ratings),
        "region_label": labels("regions").get(location.region, "") if location else "",
        "service_type_label": dict(form.fields["service_type"].choices).get(service_type, "")
        if service_type
        else "",
        "notice": practice.notice,
        "share_url": request.build_absolute_uri(f"{reverse('self-assessment-result')}?{query}"),
        "change_url": f"{reverse('self-assessment')}?{query}",
        "CQC_RATED_LOWER": CQC_RATED_LOWER,
        "ANSWERS_LOWER": ANSWERS_LOWER,
    }
    return _private(render(request, "self_assessment/result.html", context))
