from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kyphocare.audit"
    label = "audit"
    verbose_name = "Audit trail"
