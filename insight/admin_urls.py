from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("", views.SearchInsightView.as_view(), name="search_insight"),
    path("<slug:table>.csv", views.SearchInsightCSVView.as_view(), name="csv"),
]
