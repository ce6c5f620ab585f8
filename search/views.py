"""The search page, the JSON API, autocomplete and the API's OpenAPI description."""

import datetime
import json
import time
from dataclasses import dataclass, field, replace
from functools import wraps
from pathlib import Path
from urllib.parse import urlencode

from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from knowledgebase.evidence import LABELS as EVIDENCE_LABELS
from knowledgebase.providers import outstanding_for
from knowledgebase.taxonomy import InnovationType, Theme
from knowledgebase.vocabularies import SERVICE_TYPE_CHOICES, labels

from . import backends
from .events import announce_search
from .facets import FACETS, FACETS_BY_NAME, Facet
from .practice_for import (
    LOCATION_ID,
    MalformedLocationId,
    find_locations,
    location_by_id,
    other_location_type,
    practice_for,
)
from .promotions import with_promotions
from .query import NUL, InvalidSearch, SearchQuery, parameter_with_nul

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
API_METHODS = ("GET", "HEAD")
# After "We could not use part of that search:" (templates/search/search.html).
NUL_IN_SEARCH = "it had a NUL character (%00) in it, which no search can match; we left it out."

# The reader's own type of service ("My service type" on the search page, "Your type of
# service" on practice for your gaps), remembered for the browser session in a cookie of its
# own: not in Django's session, so that a search writes nothing to the database. The JSON API
# never reads it: the API is stateless.
SERVICE_TYPE_COOKIE = "px_service_type"
SERVICE_TYPES = dict(SERVICE_TYPE_CHOICES)

# A filter group with more values than LONG_FILTER_GROUP shows its TOP_FILTER_OPTIONS most
# common ones (and every ticked one) and the rest behind "Show N more": 34 quality statements
# are not read as one list, least of all on a phone.
LONG_FILTER_GROUP = 8
TOP_FILTER_OPTIONS = 6


def _without_nul(params):
    """A copy of the query parameters with every NUL character left out."""
    cleaned = QueryDict(mutable=True)
    for name, values in params.lists():
        cleaned.setlist(name.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    return cleaned


def _query_string(query, without=None, page=None):
    """The current search as a query string, less one (facet, value), at a page."""
    pairs = [("q", query.q)] if query.q else []
    for facet in FACETS:
        for value in query.selected(facet.name):
            if (facet.name, value) != without:
                pairs.append((facet.name, value))
    if query.prefer_service_type:
        pairs.append(("prefer_service_type", query.prefer_service_type))
    if query.sort != "relevance":
        pairs.append(("sort", query.sort))
    if page and page > 1:
        pairs.append(("page", page))
    return urlencode(pairs)


@dataclass
class FilterGroup:
    """One facet as the search page's filters show it: a collapsible group whose summary says
    what is ticked, its values (FacetValue) in two parts: shown at once, and behind "Show N
    more" (long groups only)."""

    facet: Facet
    options: list
    more: list = field(default_factory=list)

    @property
    def selected_labels(self):
        return [value.label for value in self.options + self.more if value.selected]

    @property
    def lists(self):
        """The values shown at once, then (a long group's) those behind "Show N more"."""
        return [self.options, self.more] if self.more else [self.options]


def filter_group(facet, values):
    """A short group lists its values in the vocabulary's order (CQC's order for key
    questions); a long one its most common values first, then the rest in that order."""
    if len(values) <= LONG_FILTER_GROUP:
        return FilterGroup(facet, list(values))
    ticked = sum(value.selected for value in values)
    # sorted() is stable: equal counts keep the vocabulary's order.
    ranked = sorted(values, key=lambda value: (not value.selected, -value.count))
    top = ranked[: max(TOP_FILTER_OPTIONS, ticked)]
    shown = {value.value for value in top}
    return FilterGroup(
        facet,
        sorted(top, key=lambda value: -value.count),
        [value for value in values if value.value not in shown],
    )


def _reader_service_type(request, parameter):
    """The reader's own type of service: this request's parameter when it has one (empty,
    "Any", is none), else the one remembered for this browser session. Unknown is none."""
    if parameter in request.GET:
        value = request.GET.get(parameter, "").strip()
    else:
        value = request.COOKIES.get(SERVICE_TYPE_COOKIE, "")
    return value if value in SERVICE_TYPES else ""


def _remember_service_type(request, response, service_type):
    """Keep the reader's choice for the rest of the browser session (a session cookie: no
    Max-Age), or forget it when they chose "Any". The page depends on the cookie: Vary."""
    patch_vary_headers(response, ["Cookie"])
    if request.COOKIES.get(SERVICE_TYPE_COOKIE, "") == service_type:
        return response
    if service_type:
        response.set_cookie(
            SERVICE_TYPE_COOKIE,
            service_type,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(SERVICE_TYPE_COOKIE, samesite="Lax")
    return response


def _any_service_type_url(query):
    """This search with "Any" service type, said outright so that it forgets the one
    remembered, from its first page."""
    rest = _query_string(replace(query, prefer_service_type=""))
    return f"?{rest}&prefer_service_type=" if rest else "?prefer_service_type="


@require_safe
def search_page(request):
    params, error = request.GET, ""
    with_nul = parameter_with_nul(params)
    if with_nul is not None:
        # Said to the person, and the rest of the search answered: a NUL came from a tool or
        # a broken link, never from the keyboard.
        params, error = _without_nul(params), NUL_IN_SEARCH
    remembered = _reader_service_type(request, "prefer_service_type")
    if remembered and "prefer_service_type" not in params:
        params = params.copy()
        params["prefer_service_type"] = remembered
    try:
        query = SearchQuery.from_params(params)
    except InvalidSearch as exc:
        query, error = SearchQuery(q=" ".join(params.get("q", "").split())[:500]), exc.message
    results = with_promotions(query, backends.search(query))
    # HEAD (monitors, link checkers) is nobody's search: not announced.
    link_for = (
        announce_search(search_page, request, query, results, "page")
        if request.method == "GET"
        else None
    )
    chips = []
    for facet in FACETS:
        option_labels = dict(facet.options())
        for value in query.selected(facet.name):
            chips.append(
                {
                    "facet": facet.label,
                    "label": option_labels.get(value, value),
                    "remove_url": "?" + _query_string(query, without=(facet.name, value)),
                }
            )
    service_type_labels = dict(SERVICE_TYPE_CHOICES)
    region_labels = labels("regions")
    kq_labels = labels("key_questions")
    for hit in results.hits:
        hit.service_type_label = service_type_labels.get(hit.service_type, "")
        hit.region_label = region_labels.get(hit.region, "")
        hit.key_question_labels = [kq_labels.get(kq, kq) for kq in hit.key_questions]
        # The rule applied to the ratings the search document holds: no query.
        ratings = hit.provider_ratings
        outstanding_in = (
            []
            if hit.rating_dropped
            else outstanding_for(ratings.get("overall", ""), ratings, hit.key_questions)
        )
        hit.outstanding_overall = outstanding_in == ["overall"]
        hit.outstanding_in_labels = [kq_labels.get(kq, kq) for kq in outstanding_in]
        # Through search insight's click-through when it is listening, else straight there.
        hit.link_url = link_for(hit) if link_for else hit.url
        hit.evidence_strength_label = EVIDENCE_LABELS.get(hit.evidence_strength, "")
        hit.review_due = (
            datetime.date.fromisoformat(hit.review_date[:10]) if hit.review_date else None
        )
    filter_groups = [
        filter_group(FACETS_BY_NAME[name], values)
        for name, values in results.facets.items()
        if values
    ]
    prefer = query.prefer_service_type
    context = {
        "query": query,
        "q": query.q,
        "results": results,
        "filter_groups": filter_groups,
        "chips": chips,
        "error": error,
        "service_types": SERVICE_TYPE_CHOICES,
        "prefer_label": service_type_labels.get(prefer, ""),
        "any_service_type_url": _any_service_type_url(query) if prefer else "",
        "clear_filters_url": "?" + urlencode({"q": query.q} if query.q else {}),
        "did_you_mean_url": "?" + _query_string(replace(query, q=results.suggestion, page=1))
        if results.suggestion
        else "",
        "prev_url": "?" + _query_string(query, page=query.page - 1) if query.page > 1 else "",
        "next_url": "?" + _query_string(query, page=query.page + 1)
        if query.page < results.num_pages
        else "",
    }
    response = render(request, "search/search.html", context, status=400 if error else 200)
    if error:  # a search we could not use changes nothing the reader chose
        patch_vary_headers(response, ["Cookie"])
        return response
    return _remember_service_type(request, response, prefer)


def json_error(status, message, parameter=None):
    body = {"error": {"status": status, "message": message}}
    if parameter:
        body["error"]["parameter"] = parameter
    return JsonResponse(body, status=status)


def json_api(view):
    """A read-only JSON endpoint. GET, and HEAD answered as GET without the body; any other
    method a JSON 405 with an Allow header. CSRF-exempt so that the 405 is not Django's HTML
    403 for a missing token: no method changes anything here, so there is nothing to forge.
    A NUL character in any query parameter is a JSON 400 naming the parameter."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in API_METHODS:
            response = json_error(
                405, f"{request.method} is not supported here: use {' or '.join(API_METHODS)}."
            )
            response["Allow"] = ", ".join(API_METHODS)
            return response
        with_nul = parameter_with_nul(request.GET)
        if with_nul is not None:
            response = json_error(
                400,
                f"{with_nul} contains a NUL character (%00), which no search can match.",
                with_nul,
            )
        else:
            response = view(request, *args, **kwargs)
        if request.method == "HEAD":
            # The length GET would have; no body (servers other than Django's may send one).
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return csrf_exempt(answer)


@json_api
def search_api(request):
    try:
        query = SearchQuery.from_params(request.GET)
    except InvalidSearch as exc:
        return json_error(400, exc.message, exc.parameter)
    started = time.perf_counter()
    results = with_promotions(query, backends.search(query))
    if request.method == "GET":
        announce_search(search_api, request, query, results, "api")
    response = JsonResponse(results.as_json())
    # Where the time went (a standard header, read by browsers' tools and the benchmarks).
    timings = {"search": (time.perf_counter() - started) * 1000, **results.timings}
    response["Server-Timing"] = ", ".join(f"{name};dur={ms:.1f}" for name, ms in timings.items())
    return response


@json_api
def suggest_api(request):
    """Autocomplete for the search box: case study titles and taxonomy labels."""
    prefix = " ".join(request.GET.get("q", "").split())[:100]
    if len(prefix) < 2:
        return JsonResponse({"suggestions": []})
    search_url = reverse("search")
    suggestions = [
        {"text": label, "kind": kind, "url": f"{search_url}?{urlencode({kind: slug})}"}
        for kind, model, limit in (("theme", Theme, 3), ("innovation_type", InnovationType, 2))
        for slug, label in model.objects.filter(label__icontains=prefix).values_list(
            "slug", "label"
        )[:limit]
    ]
    suggestions += [
        {"text": title, "kind": "case_study", "url": url}
        for title, url in backends.suggest(prefix, limit=6).items
    ]
    return JsonResponse({"suggestions": suggestions})


@json_api
def openapi(request):
    return JsonResponse(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))


# --- Practice for my gaps -------------------------------------------------------------


def _service_type(request):
    """The type of service the API's caller says is theirs (anything else is ignored)."""
    value = request.GET.get("service_type", "").strip()
    return value if value in SERVICE_TYPES else ""


@require_safe
def practice_for_search(request):
    """Find your service: by CQC location id (straight to its page), name or postcode."""
    typed = " ".join(request.GET.get("location", "").split())[:200]
    service_type = _reader_service_type(request, "service_type")
    if NUL in typed:
        context = {
            "typed": typed.replace(NUL, ""),
            "found": [],
            "service_type": service_type,
            "service_types": SERVICE_TYPE_CHOICES,
            "error": "What you typed had a NUL character (%00) in it, which no search can "
            "match. Type your CQC location id, the service's name or its postcode again.",
        }
        return render(request, "search/practice_for_search.html", context, status=400)
    if typed and LOCATION_ID.match(typed):
        url = reverse("practice-for", args=[typed])
        response = redirect(
            f"{url}?{urlencode({'service_type': service_type})}" if service_type else url
        )
        return _remember_service_type(request, response, service_type)
    found = find_locations(typed) if typed else []
    context = {
        "typed": typed,
        "found": found,
        "service_type": service_type,
        "service_types": SERVICE_TYPE_CHOICES,
        "error": ""
        if found or not typed
        else f"No adult social care service matches “{typed}”. "
        "Try your CQC location id (on your CQC report, for example 1-1234567890), "
        "the service's name or its postcode.",
    }
    response = render(request, "search/practice_for_search.html", context, status=200)
    return _remember_service_type(request, response, service_type)


def _location_or_error(location_id):
    """(location, None) or (None, (status, message))."""
    try:
        location = location_by_id(location_id)
    except MalformedLocationId as exc:
        return None, (400, str(exc))
    if location is None:
        listed_as = other_location_type(location_id)
        if listed_as:
            return None, (
                404,
                f"{location_id} is not an adult social care service (CQC lists it as "
                f"{listed_as}): Practice Exchange covers adult social care only.",
            )
        return None, (
            404,
            f"No adult social care service with the CQC location id {location_id} is in the "
            "ratings we hold. Check the id on your CQC report.",
        )
    return location, None


@require_safe
def practice_for_page(request, location_id):
    location, error = _location_or_error(location_id)
    if error:
        status, message = error
        return render(
            request,
            "search/practice_for_search.html",
            {
                "typed": location_id.replace(NUL, ""),
                "error": message,
                "service_types": SERVICE_TYPE_CHOICES,
            },
            status=status,
        )
    service_type = _reader_service_type(request, "service_type")
    result = practice_for(location, service_type)
    service_type_labels, region_labels = dict(SERVICE_TYPE_CHOICES), labels("regions")
    for gap in result.gaps:
        for hit in gap.results:
            hit.service_type_label = service_type_labels.get(hit.service_type, "")
            hit.region_label = region_labels.get(hit.region, "")
            hit.outstanding_in_gap = hit.provider_ratings.get(gap.key_question) == "outstanding"
    context = {
        "result": result,
        "location": location,
        "region_label": region_labels.get(location.region, ""),
        "service_types": SERVICE_TYPE_CHOICES,
        "service_type": result.service_type,
    }
    response = render(request, "search/practice_for.html", context)
    return _remember_service_type(request, response, service_type)


@json_api
def practice_for_api(request, location_id):
    location, error = _location_or_error(location_id)
    if error:
        status, message = error
        return json_error(status, message, "location_id")
    return JsonResponse(practice_for(location, _service_type(request)).as_json())
