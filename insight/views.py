"""The click-through from a search result, and the admin's "Search insight" and "Coverage"
screens with their CSV downloads."""

import csv
from urllib.parse import urlencode

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from search.documents import public_case_studies

from . import coverage
from .forms import PeriodForm
from .models import SearchLog
from .reports import TABLE_LIMIT, TABLES, Period
from .search_log import opened_ids

PERMISSION = "insight.view_search_insight"
COVERAGE_PERMISSION = "insight.view_coverage"


@require_safe
def open_result(request, token):
    """Record that a search's results were opened, and go to the case study (302). Only a
    live public case study, named in a token this site signed: never an open redirect."""
    try:
        log_id, page_id = opened_ids(token)
    except (signing.BadSignature, ValueError):
        raise Http404("No such search result.") from None
    page = public_case_studies().filter(pk=page_id).first()
    if page is None:  # unpublished or restricted since the search
        raise Http404("That case study is no longer published.")
    if request.method == "GET":
        # A log deleted by retention updates nothing; the reader still gets there.
        SearchLog.objects.filter(pk=log_id, opened=False).update(opened=True)
    return redirect(page.get_url(request))


def _period_form(request):
    """The period form bound to the request's dates, or to the default period."""
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    default = Period.default()
    return PeriodForm({"start": default.start, "end": default.end})


def search_url(words):
    return f"{reverse('search')}?{urlencode({'q': words})}"


class InsightPermissionMixin(PermissionRequiredMixin):
    """Curators, moderators and superusers only. Anyone else signed in to the admin gets a
    403 page saying so (Wagtail's own answer would be a redirect to the dashboard, which a
    CSV download cannot show)."""

    permission_required = PERMISSION
    screen_title = "Search insight"  # what the 403 page says is not theirs to see
    screen_icon = "search"

    def handle_no_permission(self):
        return TemplateResponse(
            self.request,
            "insight/no_permission.html",
            {"page_title": self.screen_title, "header_icon": self.screen_icon},
            status=403,
        )


class CoveragePermissionMixin(InsightPermissionMixin):
    permission_required = COVERAGE_PERMISSION
    screen_title = "Coverage"
    screen_icon = "table"


def csv_response(file_name, header, rows):
    """A CSV download: the header, then the rows, no cell a spreadsheet formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    writer = csv.writer(response)
    writer.writerow([_cell(heading) for heading in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


class SearchInsightView(InsightPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "insight/search_insight.html"
    page_title = "Search insight"
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _period_form(self.request)
        context["form"] = form
        if form.is_valid():
            period = form.period()
            query_string = urlencode({"start": period.start, "end": period.end})
            shown = []
            for report in TABLES.values():
                table = report(period, limit=TABLE_LIMIT)
                shown.append(
                    {
                        "table": table,
                        "csv_url": f"{reverse('insight:csv', args=[table.slug])}?{query_string}",
                        # (words, the public search for them, the other columns' values)
                        "rows": [
                            (
                                row["query"],
                                search_url(row["query"]),
                                [row[key] for _, key in table.columns[1:]],
                            )
                            for row in table.rows
                        ],
                    }
                )
            context |= {
                "period": period,
                "tables": shown,
                "searches": period.logs().count(),
            }
        return context

    def render_to_response(self, context, **kwargs):
        status = 200 if context["form"].is_valid() else 400
        return super().render_to_response(context, status=status, **kwargs)


class SearchInsightCSVView(InsightPermissionMixin, View):
    def get(self, request, table):
        if table not in TABLES:
            raise Http404("No such table.")
        form = _period_form(request)
        if not form.is_valid():
            errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
            return HttpResponse(
                f"Choose a valid period. {errors}",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        period = form.period()
        data = TABLES[table](period)
        return csv_response(
            f"search-{table}-{period.start}-to-{period.end}.csv",
            [heading for heading, _ in data.columns],
            [[row[key] for _, key in data.columns] for row in data.rows],
        )


def _cell(value):
    # A cell starting with = + - @ would be a formula in a spreadsheet.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class CoverageView(CoveragePermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Where practice is thin against where services struggle (insight/coverage.py)."""

    template_name = "insight/coverage.html"
    page_title = "Coverage"
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "coverage": coverage.coverage(),
            "callouts_csv_url": reverse("coverage:csv", args=["callouts"]),
            "struggling_words": coverage.STRUGGLING_WORDS,
            "callout_minimum": coverage.CALLOUT_MIN_STRUGGLING,
            "not_registered": coverage.not_registered_service_types(),
            "service_types_of_kind": coverage.service_types_of_kind(),
        }


class CoverageCSVView(CoveragePermissionMixin, View):
    def get(self, request, table):
        if table not in coverage.TABLE_SLUGS:
            raise Http404("No such table.")
        tables = coverage.coverage().tables()
        if table not in tables:
            raise Http404("No CQC ratings have been imported: run manage.py import_cqc_ratings.")
        header, rows = tables[table]
        return csv_response(f"coverage-{table}.csv", header, rows)
