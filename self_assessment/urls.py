from django.urls import path

from . import views

urlpatterns = [
    path("self-assessment/", views.self_assessment_form, name="self-assessment"),
    path("self-assessment/result/", views.self_assessment_result, name="self-assessment-result"),
]
