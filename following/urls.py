from django.urls import path

from . import feeds, views

urlpatterns = [
    path("feeds/", feeds.SiteFeed(), name="feed"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="theme-feed"),
    path("feeds/key-questions/<slug:slug>/", feeds.KeyQuestionFeed(), name="key-question-feed"),
    path("feeds/search/", feeds.SearchFeed(), name="search-feed"),
    path("alerts/new/", views.sign_up, name="alert-sign-up"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alert-unsubscribe"),
]
