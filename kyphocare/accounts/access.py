"""Every access check of kyphocare, in one place.

Who may do what:

| permission        | clinician | coordinator | clinic_admin | patient            |
|-------------------|-----------|-------------|--------------|--------------------|
| view_patients     | yes       | yes         | yes          | own record only    |
| edit_patients     | yes       | yes         | yes          | no                 |
| invite_patients   | yes       | yes         | yes          | no                 |
| view_audit        | no        | no          | yes          | no                 |
| document_clinical | yes       | no          | no           | no                 |
| manage_checklist  | yes       | yes         | no           | own items (portal) |
| edit_checklist_template | yes | no          | yes          | no                 |

document_clinical covers assessments, decisions, procedures and recovery plans.

A clinic's staff see only that clinic's patients. Anything outside a person's reach answers
404 ("not found"), so a URL never tells an outsider that a record exists.

Views call `staff_actor()` / `patient_actor()`; selectors and services take the resulting
`Actor` and scope every query by `actor.clinic`.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Clinic, Membership, Role, User

if TYPE_CHECKING:
    from kyphocare.patients.models import Patient


class Perm(StrEnum):
    VIEW_PATIENTS = "view_patients"
    EDIT_PATIENTS = "edit_patients"
    INVITE_PATIENTS = "invite_patients"
    VIEW_AUDIT = "view_audit"
    DOCUMENT_CLINICAL = "document_clinical"
    MANAGE_CHECKLIST = "manage_checklist"
    EDIT_CHECKLIST_TEMPLATE = "edit_checklist_template"


_REGISTRY = {Perm.VIEW_PATIENTS, Perm.EDIT_PATIENTS, Perm.INVITE_PATIENTS}
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.CLINICIAN: frozenset(
        _REGISTRY | {Perm.DOCUMENT_CLINICAL, Perm.MANAGE_CHECKLIST, Perm.EDIT_CHECKLIST_TEMPLATE}
    ),
    Role.COORDINATOR: frozenset(_REGISTRY | {Perm.MANAGE_CHECKLIST}),
    Role.CLINIC_ADMIN: frozenset(_REGISTRY | {Perm.VIEW_AUDIT, Perm.EDIT_CHECKLIST_TEMPLATE}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, for which clinic, from where. Passed to every selector and service."""

    user: User
    clinic: Clinic
    role: str | None  # None for a patient
    ip: str | None = None
    patient_id: int | None = None  # set for a patient acting on their own record

    def can(self, perm: Perm) -> bool:
        return self.role is not None and perm in ROLE_PERMISSIONS.get(self.role, frozenset())


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def active_memberships(user: User) -> list[Membership]:
    if not user.is_authenticated or user.is_patient or not user.is_active:
        return []
    return list(Membership.objects.filter(user=user, is_active=True).select_related("clinic"))


def choose_membership(memberships: list[Membership], clinic_id: int | None) -> Membership | None:
    """The chosen clinic's membership, or the first one when none (or a stale one) is chosen."""
    for membership in memberships:
        if membership.clinic_id == clinic_id:
            return membership
    return memberships[0] if memberships else None


def staff_actor(request: HttpRequest, perm: Perm) -> Actor:
    """The acting staff member for this request, or 404/403.

    Anonymous users are redirected to log in before this runs (see web.decorators).
    A patient, or a person with no clinic, gets 404: staff pages do not exist for them.
    Staff of the clinic whose role lacks the permission get 403.
    """
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise Http404("No such page.")
    actor = Actor(
        user=request.user,  # type: ignore[arg-type]
        clinic=membership.clinic,
        role=membership.role,
        ip=client_ip(request),
    )
    if not actor.can(perm):
        raise PermissionDenied(f"Your role at {membership.clinic} does not allow this.")
    return actor


def patient_actor(request: HttpRequest) -> Actor:
    """The acting patient for this request (their own record only), or 404."""
    user = request.user
    if not user.is_authenticated or not user.is_patient:  # type: ignore[union-attr]
        raise Http404("No such page.")
    record: Patient | None = getattr(user, "patient_record", None)
    if record is None:
        raise Http404("No such page.")
    return Actor(
        user=user,  # type: ignore[arg-type]
        clinic=record.clinic,
        role=None,
        ip=client_ip(request),
        patient_id=record.pk,
    )


def require_perm(actor: Actor, perm: Perm) -> None:
    """Services call this first: the actor's role must allow the action (else 403)."""
    if not actor.can(perm):
        raise PermissionDenied("Your role does not allow this.")


def require_patient_access(actor: Actor, patient: "Patient") -> None:
    """The last line of defence under every patient read: the record must be in reach."""
    if patient.clinic_id != actor.clinic.pk:
        raise Http404("No such patient.")
    if actor.role is None and actor.patient_id != patient.pk:
        raise Http404("No such patient.")
