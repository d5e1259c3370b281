"""Writing to the audit trail. Every selector and service that touches patient data calls this."""

from django.db import models

from kyphocare.accounts.access import Actor

from .models import AuditAction, AuditEvent


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    patient_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. `detail` carries ids and field names, never patient data."""
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_role=actor.role or "patient",
        clinic=actor.clinic,
        patient_id=patient_id,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        ip=actor.ip,
        detail=detail or {},
    )
