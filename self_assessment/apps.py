from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "self_assessment"
    verbose_name = "Self-assessment"
