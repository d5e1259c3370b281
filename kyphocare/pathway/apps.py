from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "kyphocare.pathway"
    label = "pathway"
    verbose_name = "Clinician pathway"
