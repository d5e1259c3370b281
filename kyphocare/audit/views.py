import csv
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from kyphocare.accounts.access import Perm, staff_actor

from .forms import AuditFilterForm
from .models import AuditAction
from .selectors import audit_events
from .services import audit_record

CSV_COLUMNS = ["time", "actor", "role", "action", "object_type", "object_id", "patient_id", "ip"]


@login_required
def audit_list(request):
    actor = staff_actor(request, Perm.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(actor=actor, filters=filters) if not form.errors else []
    page = Paginator(events, 50).get_page(request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if form.errors else 200
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "clinic": actor.clinic},
        status=status,
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def audit_export(request):
    actor = staff_actor(request, Perm.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "audit/list.html",
            {"form": form, "page": None, "clinic": actor.clinic},
            status=400,
        )
    filters = form.cleaned_data if form.is_bound else {}
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="audit.auditevent",
        detail={k: str(v) for k, v in filters.items() if v},
    )
    tz = zoneinfo.ZoneInfo(actor.clinic.time_zone)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for event in audit_events(actor=actor, filters=filters).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.at.astimezone(tz).isoformat(timespec="seconds"),
                    event.actor.email if event.actor else "",
                    event.actor_role,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.patient_id or "",
                    event.ip or "",
                ]
            )

    stamp = timezone.now().astimezone(tz).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-{actor.clinic.slug}-{stamp}.csv"'
    )
    return response
