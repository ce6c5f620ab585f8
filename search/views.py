"""The search page, the JSON API, autocomplete and the API's OpenAPI description."""

import json
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from knowledgebase.taxonomy import InnovationType, Theme
from knowledgebase.vocabularies import SERVICE_TYPE_CHOICES, labels

from . import backends
from .facets import FACETS, FACETS_BY_NAME
from .practice_for import (
    LOCATION_ID,
    MalformedLocationId,
    find_locations,
    location_by_id,
    other_location_type,
    practice_for,
)
from .query import InvalidSearch, SearchQuery

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"


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


@require_GET
def search_page(request):
    try:
        query = SearchQuery.from_params(request.GET)
        error = ""
    except InvalidSearch as exc:
        query, error = SearchQuery(q=" ".join(request.GET.get("q", "").split())[:500]), exc.message
    results = backends.search(query)
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
    facet_groups = [
        {"facet": FACETS_BY_NAME[name], "values": values}
        for name, values in results.facets.items()
        if values
    ]
    context = {
        "query": query,
        "q": query.q,
        "results": results,
        "facet_groups": facet_groups,
        "chips": chips,
        "error": error,
        "service_types": SERVICE_TYPE_CHOICES,
        "clear_filters_url": "?" + urlencode({"q": query.q} if query.q else {}),
        "did_you_mean_url": "?" + _query_string(replace(query, q=results.suggestion, page=1))
        if results.suggestion
        else "",
        "prev_url": "?" + _query_string(query, page=query.page - 1) if query.page > 1 else "",
        "next_url": "?" + _query_string(query, page=query.page + 1)
        if query.page < results.num_pages
        else "",
    }
    return render(request, "search/search.html", context, status=400 if error else 200)


def json_error(status, message, parameter=None):
    body = {"error": {"status": status, "message": message}}
    if parameter:
        body["error"]["parameter"] = parameter
    return JsonResponse(body, status=status)


def search_api(request):
    if request.method != "GET":
        return json_error(405, "Only GET is supported.")
    try:
        query = SearchQuery.from_params(request.GET)
    except InvalidSearch as exc:
        return json_error(400, exc.message, exc.parameter)
    started = time.perf_counter()
    results = backends.search(query)
    response = JsonResponse(results.as_json())
    # Where the time went (a standard header, read by browsers' tools and the benchmarks).
    timings = {"search": (time.perf_counter() - started) * 1000, **results.timings}
    response["Server-Timing"] = ", ".join(f"{name};dur={ms:.1f}" for name, ms in timings.items())
    return response


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


def openapi(request):
    return JsonResponse(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))


# --- Practice for my gaps -------------------------------------------------------------


def _service_type(request):
    """The reader's own type of service, when they chose one (anything else is ignored)."""
    value = request.GET.get("service_type", "").strip()
    return value if value in dict(SERVICE_TYPE_CHOICES) else ""


@require_GET
def practice_for_search(request):
    """Find your service: by CQC location id (straight to its page), name or postcode."""
    typed = " ".join(request.GET.get("location", "").split())[:200]
    service_type = _service_type(request)
    if typed and LOCATION_ID.match(typed):
        url = reverse("practice-for", args=[typed])
        return redirect(
            f"{url}?{urlencode({'service_type': service_type})}" if service_type else url
        )
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
    return render(request, "search/practice_for_search.html", context, status=200)


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


@require_GET
def practice_for_page(request, location_id):
    location, error = _location_or_error(location_id)
    if error:
        status, message = error
        return render(
            request,
            "search/practice_for_search.html",
            {"typed": location_id, "error": message, "service_types": SERVICE_TYPE_CHOICES},
            status=status,
        )
    result = practice_for(location, _service_type(request))
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
    return render(request, "search/practice_for.html", context)


def practice_for_api(request, location_id):
    if request.method not in ("GET", "HEAD"):
        return json_error(405, "Only GET is supported.")
    location, error = _location_or_error(location_id)
    if error:
        status, message = error
        return json_error(status, message, "location_id")
    return JsonResponse(practice_for(location, _service_type(request)).as_json())
