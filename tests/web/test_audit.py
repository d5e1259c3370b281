"""The audit trail: append-only, filterable by clinic admins, exported as CSV."""

import csv
import datetime
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kyphocare.audit.models import AppendOnlyError, AuditAction, AuditEvent


@pytest.fixture
def some_events(as_clinician_a, patient_a, patient_a2, as_clinician_b, patient_b):
    as_clinician_a.get(reverse("patient_detail", args=[patient_a.pk]))
    as_clinician_a.get(reverse("patient_detail", args=[patient_a2.pk]))
    as_clinician_a.get(reverse("patient_list"))
    as_clinician_b.get(reverse("patient_detail", args=[patient_b.pk]))
    return AuditEvent.objects.all()


def test_events_cannot_be_changed_or_deleted(some_events):
    count = AuditEvent.objects.count()
    event = some_events.first()
    event.action = AuditAction.CREATE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.CREATE)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == count


def test_postgresql_refuses_update_and_delete_in_the_database(some_events):
    """On PostgreSQL a trigger refuses changes; SQLite installs rely on the model guards."""
    count = AuditEvent.objects.count()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchall() == []
        return
    for statement in (
        "UPDATE audit_auditevent SET action = 'create'",
        "DELETE FROM audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == count


def test_admin_site_shows_audit_events_read_only(some_events, db):
    from django.contrib.admin.sites import site

    from kyphocare.accounts.models import User

    superuser = User.objects.create_superuser("root@example.org", "x" * 12, full_name="Root")
    request = type("R", (), {"user": superuser})()
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, some_events.first())
    assert not model_admin.has_delete_permission(request, some_events.first())


def test_admin_page_lists_only_own_clinic_and_filters(some_events, as_admin_a, patient_a, clinic_a):
    response = as_admin_a.get(reverse("audit_list"))
    events = list(response.context["page"].object_list)
    assert {e.clinic_id for e in events} == {clinic_a.pk}
    # two detail pages (the record and its pathway timeline each) and one list
    assert len(events) == 5
    by_patient = as_admin_a.get(reverse("audit_list"), {"patient": patient_a.pk})
    assert [e.patient_id for e in by_patient.context["page"].object_list] == [patient_a.pk] * 2
    by_action = as_admin_a.get(reverse("audit_list"), {"action": "list"})
    assert [e.action for e in by_action.context["page"].object_list] == ["list"]
    by_actor = as_admin_a.get(reverse("audit_list"), {"actor": "CLIN.A@example.org"})
    assert by_actor.context["page"].paginator.count == 5
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    future = as_admin_a.get(reverse("audit_list"), {"date_from": tomorrow})
    assert future.context["page"].paginator.count == 0


def test_bad_filter_is_refused_with_message(as_admin_a, some_events):
    response = as_admin_a.get(
        reverse("audit_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "on or after" in response.context["form"].errors["date_to"][0]
    bad = as_admin_a.get(reverse("audit_list"), {"patient": "abc"})
    assert bad.status_code == 400 and "patient" in bad.context["form"].errors


def test_csv_export_contains_filtered_rows_and_is_itself_audited(
    some_events, as_admin_a, admin_a, patient_a
):
    response = as_admin_a.get(reverse("audit_export"), {"patient": patient_a.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "time",
        "actor",
        "role",
        "action",
        "object_type",
        "object_id",
        "patient_id",
        "ip",
    ]
    assert len(rows) == 3
    assert {tuple(r[1:5]) for r in rows[1:]} == {
        ("clin.a@example.org", "clinician", "view", "patients.patient"),
        ("clin.a@example.org", "clinician", "view", "pathway.timeline"),
    }
    assert {r[6] for r in rows[1:]} == {str(patient_a.pk)}
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == admin_a and export.detail == {"patient": str(patient_a.pk)}
