from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/search/", views.search_api, name="search-api"),
    path("api/search/suggest/", views.suggest_api, name="search-suggest"),
    path("api/search/openapi.json", views.openapi, name="search-openapi"),
    path("practice-for/", views.practice_for_search, name="practice-for-search"),
    path("practice-for/<str:location_id>/", views.practice_for_page, name="practice-for"),
    path("api/practice-for/<str:location_id>/", views.practice_for_api, name="practice-for-api"),
]
