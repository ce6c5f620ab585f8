from django.urls import path

from . import views

urlpatterns = [
    # Each result on the search page links here (insight/search_log.py, open_url).
    path("search/open/<str:token>/", views.open_result, name="insight-open-result"),
]
