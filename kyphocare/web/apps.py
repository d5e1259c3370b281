from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kyphocare.web"
    label = "web"
    verbose_name = "Shared pages"
