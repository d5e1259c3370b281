"""Reads of patient records. Each takes the acting user, scopes by clinic and is audited."""

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from kyphocare.accounts.access import Actor, Perm, require_patient_access
from kyphocare.audit.models import AuditAction
from kyphocare.audit.services import audit_record

from .models import Patient, PortalInvitation

PAGE_SIZE = 25


def _clinic_patients(actor: Actor) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=actor.clinic)


def patient_search(*, actor: Actor, query: str = "", page: int | str = 1) -> Page:
    """A page of this clinic's patients matching a name or MRN. Audited as one 'list' event."""
    if not actor.can(Perm.VIEW_PATIENTS):
        raise Http404("No such page.")
    patients = _clinic_patients(actor)
    for word in query.split()[:5]:
        patients = patients.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(mrn__iexact=word)
        )
    result = Paginator(patients, PAGE_SIZE).get_page(page)
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="patients.patient",
        detail={
            "patient_ids": [p.pk for p in result.object_list],
            "searched": bool(query.strip()),
            "page": result.number,
        },
    )
    return result


def patient_get(*, actor: Actor, patient_id: int, purpose: AuditAction = AuditAction.VIEW):
    """One patient record in the actor's reach (else 404), with the read audited."""
    try:
        patient = _clinic_patients(actor).get(pk=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None
    require_patient_access(actor, patient)
    audit_record(actor=actor, action=purpose, obj=patient, patient_id=patient.pk)
    return patient


def patient_invitations(*, actor: Actor, patient: Patient) -> list[PortalInvitation]:
    require_patient_access(actor, patient)
    return list(PortalInvitation.objects.filter(clinic=actor.clinic, patient=patient)[:5])
