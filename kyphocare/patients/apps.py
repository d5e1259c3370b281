from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "kyphocare.patients"
    label = "patients"
    verbose_name = "Patients"
