from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, the superuser included, changes or deletes audit events."""

    list_display = ["at", "actor", "actor_role", "clinic", "patient_id", "action", "object_type"]
    list_filter = ["action", "clinic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
