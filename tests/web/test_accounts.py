"""Logging in, lockout, session timeout, clinic switching, demo accounts, invitations."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from kyphocare.accounts.models import Membership, Role, User
from kyphocare.audit.models import AuditAction, AuditEvent
from kyphocare.patients.models import PortalInvitation

PASSWORD = "correct horse battery"  # the personas' password (tests/conftest.py)


def test_email_login_is_case_insensitive(client, clinician_a):
    response = client.post(
        reverse("login"), {"username": "CLIN.A@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("staff_home")


def test_wrong_password_gives_clear_message(client, clinician_a):
    response = client.post(reverse("login"), {"username": clinician_a.email, "password": "no"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_lockout_after_repeated_failures_with_clear_message(client, clinician_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": clinician_a.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": clinician_a.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(clinician_a):
    assert clinician_a.password.startswith("argon2")


def test_staff_session_times_out_sooner_than_patients(as_clinician_a, as_patient_a, settings):
    as_clinician_a.get(reverse("staff_home"))
    as_patient_a.get(reverse("my_home"))
    assert as_clinician_a.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS
    assert as_patient_a.session.get_expiry_age() == settings.PATIENT_SESSION_IDLE_SECONDS
    assert settings.STAFF_SESSION_IDLE_SECONDS < settings.PATIENT_SESSION_IDLE_SECONDS


def test_clinic_switch(as_clinician_a, clinician_a, clinic_b, patient_b):
    Membership.objects.create(user=clinician_a, clinic=clinic_b, role=Role.COORDINATOR)
    page = as_clinician_a.get(reverse("patient_list"))
    assert patient_b.family_name not in page.content.decode()
    assert "Clinic B" in page.content.decode()  # offered in the switcher
    response = as_clinician_a.post(reverse("clinic_switch"), {"clinic": clinic_b.pk})
    assert response.status_code == 302
    page = as_clinician_a.get(reverse("patient_list"))
    assert patient_b.family_name in page.content.decode()
    assert page.context["membership"].role == Role.COORDINATOR


def test_cannot_switch_to_a_clinic_you_do_not_belong_to(as_clinician_a, clinic_b):
    assert as_clinician_a.post(reverse("clinic_switch"), {"clinic": clinic_b.pk}).status_code == 404
    assert as_clinician_a.post(reverse("clinic_switch"), {"clinic": "x"}).status_code == 404


@pytest.mark.parametrize("production", [False, True])
def test_demo_accounts_refused_in_production(client, clinic_a, production):
    user = User.objects.create_user("demo@example.org", PASSWORD, full_name="D", is_demo=True)
    Membership.objects.create(user=user, clinic=clinic_a, role=Role.CLINICIAN)
    with override_settings(PRODUCTION=production):
        response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert (response.status_code == 302) is not production


def test_demo_session_ends_when_production_starts(client, clinic_a, login):
    user = User.objects.create_user("demo@example.org", PASSWORD, full_name="D", is_demo=True)
    Membership.objects.create(user=user, clinic=clinic_a, role=Role.CLINICIAN)
    demo_client = login(user)
    with override_settings(PRODUCTION=True):
        assert demo_client.get(reverse("staff_home")).status_code == 302


def _invite(client, patient, email="new.patient@example.org"):
    # Tests run inside a transaction: run what the view queued for after its commit.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("patient_invite", args=[patient.pk]), {"email": email})


def test_invitation_flow_one_time_link(as_clinician_a, clinician_a, client, new_patient, clinic_a):
    patient = new_patient(clinic_a, "INV-1", "Iris", "Invited")
    response = _invite(as_clinician_a, patient)
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.patient@example.org"]
    link = re.search(r"http://\S+/invite/(\S+)/", mail.outbox[0].body)
    token = link.group(1)
    invitation = PortalInvitation.objects.get()
    assert token not in invitation.token_hash  # only the hash is kept
    page = client.get(reverse("invitation_accept", args=[token]))
    assert page.status_code == 200 and "new.patient@example.org" in page.content.decode()
    mismatch = client.post(
        reverse("invitation_accept", args=[token]),
        {"password1": "a long enough phrase", "password2": "different phrase"},
    )
    assert mismatch.status_code == 400 and not User.objects.filter(kind="patient").exists()
    weak = client.post(
        reverse("invitation_accept", args=[token]), {"password1": "12345", "password2": "12345"}
    )
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    done = client.post(
        reverse("invitation_accept", args=[token]),
        {"password1": "purple kettle morning", "password2": "purple kettle morning"},
    )
    assert done.status_code == 302
    patient.refresh_from_db()
    assert patient.account.email == "new.patient@example.org"
    assert patient.account.kind == User.Kind.PATIENT
    assert client.get(reverse("my_home")).status_code == 200
    again = client.get(reverse("invitation_accept", args=[token]))
    assert again.status_code == 404
    events = AuditEvent.objects.filter(patient=patient).values_list("action", flat=True)
    assert {AuditAction.INVITE, AuditAction.ACCEPT_INVITE} <= set(events)
    accept = AuditEvent.objects.get(action=AuditAction.ACCEPT_INVITE)
    assert accept.actor == patient.account and accept.actor_role == "patient"


def test_invitation_bad_email_refused(as_clinician_a, patient_a2, new_patient, clinic_a):
    patient = new_patient(clinic_a, "INV-2")
    response = _invite(as_clinician_a, patient, "not an email")
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    taken = _invite(as_clinician_a, patient, patient_a2.account.email)
    assert taken.status_code == 400
    assert "already belongs" in taken.context["invite_form"].errors["email"][0]
    assert not PortalInvitation.objects.exists() and not mail.outbox


def test_new_invitation_replaces_the_old_link(as_clinician_a, client, new_patient, clinic_a):
    patient = new_patient(clinic_a, "INV-3")
    _invite(as_clinician_a, patient)
    _invite(as_clinician_a, patient, "second@example.org")
    first_token = re.search(r"/invite/(\S+)/", mail.outbox[0].body).group(1)
    assert client.get(reverse("invitation_accept", args=[first_token])).status_code == 404
