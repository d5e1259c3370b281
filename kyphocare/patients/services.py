"""Writes to patient records: one transaction, one audit event each."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kyphocare.accounts.access import Actor, Perm, require_patient_access, require_perm
from kyphocare.accounts.models import User
from kyphocare.audit.models import AuditAction
from kyphocare.audit.services import audit_record

from .models import Patient, PortalInvitation

INVITATION_DAYS = 7


class ServiceError(Exception):
    """A request that breaks a rule; `field` names the form field it belongs to."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _check_unique_mrn(actor: Actor, mrn: str, exclude_id: int | None = None) -> None:
    clash = Patient.objects.filter(clinic=actor.clinic, mrn__iexact=mrn)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        raise ServiceError("mrn", "Another patient in this clinic already has this MRN.")


def patient_create(*, actor: Actor, data: dict) -> Patient:
    """Create a patient record in the actor's clinic. `data` is a cleaned form's data."""
    require_perm(actor, Perm.EDIT_PATIENTS)
    with transaction.atomic():
        _check_unique_mrn(actor, data["mrn"])
        patient = Patient(clinic=actor.clinic, **data)
        patient.full_clean()
        patient.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=patient,
            patient_id=patient.pk,
            detail={"fields": sorted(data)},
        )
    return patient


def patient_update(*, actor: Actor, patient: Patient, data: dict) -> Patient:
    """Change a patient record; the audit event names the fields that changed (not values)."""
    require_perm(actor, Perm.EDIT_PATIENTS)
    require_patient_access(actor, patient)
    with transaction.atomic():
        current = Patient.objects.select_for_update().get(pk=patient.pk, clinic=actor.clinic)
        if "mrn" in data:
            _check_unique_mrn(actor, data["mrn"], exclude_id=current.pk)
        changed = sorted(name for name, value in data.items() if getattr(current, name) != value)
        for name, value in data.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=current,
            patient_id=current.pk,
            detail={"fields": changed},
        )
    return current


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_send(*, actor: Actor, patient: Patient, email: str) -> PortalInvitation:
    """Invite a patient to the portal by a one-time link (valid 7 days) sent by e-mail."""
    require_perm(actor, Perm.INVITE_PATIENTS)
    require_patient_access(actor, patient)
    if patient.account_id is not None:
        raise ServiceError(None, "This patient already has a portal account.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError("email", "This e-mail address already belongs to an account.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        PortalInvitation.objects.filter(patient=patient, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        invitation = PortalInvitation.objects.create(
            clinic=actor.clinic,
            patient=patient,
            email=email,
            token_hash=_token_hash(token),
            invited_by=actor.user,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        )
        audit_record(actor=actor, action=AuditAction.INVITE, obj=invitation, patient_id=patient.pk)
        link = settings.SITE_URL + reverse("invitation_accept", args=[token])
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{actor.clinic.name}: your kyphocare account",
                message=(
                    f"Hello,\n\n{actor.clinic.name} has invited you to kyphocare, where you can "
                    f"follow your care plan and tell the team how you are doing.\n\n"
                    f"Open this link to choose your password (it works once, for "
                    f"{INVITATION_DAYS} days):\n{link}\n\n"
                    f"If you did not expect this message, call the clinic"
                    f"{' on ' + actor.clinic.phone if actor.clinic.phone else ''}.\n"
                ),
                from_email=None,
                recipient_list=[email],
            )
        )
    return invitation


def invitation_find(token: str) -> PortalInvitation | None:
    invitation = (
        PortalInvitation.objects.select_related("patient", "clinic")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_usable(timezone.now()):
        return None
    return invitation


def invitation_accept(*, token: str, password: str, ip: str | None) -> User:
    """Create the patient's account from a usable invitation; the link then stops working."""
    with transaction.atomic():
        invitation = (
            PortalInvitation.objects.select_for_update()
            .select_related("patient", "clinic")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        if invitation is None or not invitation.is_usable(timezone.now()):
            raise ServiceError(None, "This link has expired or was already used.")
        patient = invitation.patient
        if patient.account_id is not None:
            raise ServiceError(None, "This patient already has a portal account.")
        user = User(email=invitation.email, full_name=patient.full_name, kind=User.Kind.PATIENT)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        patient.account = user
        patient.save(update_fields=["account", "updated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            actor=Actor(
                user=user, clinic=invitation.clinic, role=None, ip=ip, patient_id=patient.pk
            ),
            action=AuditAction.ACCEPT_INVITE,
            obj=invitation,
            patient_id=patient.pk,
        )
    return user
