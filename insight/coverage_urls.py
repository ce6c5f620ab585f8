"""The admin's Coverage screen and its CSV downloads, under /admin/coverage/."""

from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("", views.CoverageView.as_view(), name="index"),
    path("<slug:table>.csv", views.CoverageCSVView.as_view(), name="csv"),
]
