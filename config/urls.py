from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_views

from following import urls as following_urls
from insight import urls as insight_urls
from knowledgebase.evidence import DEFINITIONS_PATH, definitions_page
from search import urls as search_urls
from self_assessment import urls as self_assessment_urls

from .health import healthz


def throttled_password_form(view, kind, restriction_kwarg):
    """Wagtail's page and document password forms under django-axes' count (issue #12).

    They check a shared password without authenticate(), so axes never sees them. Each failed
    POST is recorded with axes as a failure of the "user" <kind>:<restriction id> from the client's
    address (user names cannot hold a colon, so no account shares the count); at
    AXES_FAILURE_LIMIT that address gets the lockout (429) for AXES_COOLOFF_TIME, the right
    password included. Counted per restriction, not per page: the view takes any page id.
    django-ratelimit would need a shared cache (memcached or Redis) the site does not have;
    axes keeps its count in the database, so every worker shares it.
    """

    @wraps(view)
    def throttled(request, **kwargs):
        if request.method != "POST" or not settings.AXES_ENABLED:
            return view(request, **kwargs)
        credentials = {"username": f"{kind}:{kwargs[restriction_kwarg]}"}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        response = view(request, **kwargs)
        if response.status_code == 200:  # the form again: wrong password (success redirects)
            AxesProxyHandler.user_login_failed(view, credentials, request)
            if request.axes_locked_out:
                return get_lockout_response(request, credentials=credentials)
        return response

    return throttled


urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # The same paths and names as Wagtail's own, ahead of them, so these answer.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttled_password_form(
            wagtaildocs_views.authenticate_with_password, "document-password", "restriction_id"
        ),
        name="wagtaildocs_authenticate_with_password",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttled_password_form(
            wagtail_views.authenticate_with_password, "page-password", "page_view_restriction_id"
        ),
        name="wagtailcore_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", healthz, name="healthz"),
    path(DEFINITIONS_PATH, definitions_page, name="strength-of-evidence"),
    path("", include(search_urls)),
    path("", include(following_urls)),
    path("", include(self_assessment_urls)),
    path("", include(insight_urls)),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree last: it answers every path the others did not claim.
urlpatterns += [path("", include(wagtail_urls))]
