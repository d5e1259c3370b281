"""Reading the audit trail: clinic admins only, this clinic only."""

import datetime
import zoneinfo

from django.db.models import QuerySet

from kyphocare.accounts.access import Actor, Perm

from .models import AuditEvent


def audit_events(*, actor: Actor, filters: dict) -> QuerySet[AuditEvent]:
    if not actor.can(Perm.VIEW_AUDIT):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(clinic=actor.clinic).select_related("actor")
    tz = zoneinfo.ZoneInfo(actor.clinic.time_zone)
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor__email__iexact=filters["actor"])
    if filters.get("patient"):
        events = events.filter(patient_id=filters["patient"])
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=tz)
        events = events.filter(at__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        events = events.filter(at__lt=end)
    return events
