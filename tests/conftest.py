"""Standard personas of shared/design.md: clinician of clinic A, clinician of clinic B, patient
of clinic A, another patient of clinic A, clinic admin (of A), anonymous."""

import datetime

import pytest
from django.test import Client

from kyphocare.accounts.models import Clinic, Membership, Role, User
from kyphocare.patients.models import Patient

PASSWORD = "correct horse battery"


@pytest.fixture
def clinic_a(db):
    return Clinic.objects.create(name="Clinic A", slug="clinic-a", phone="555-0101")


@pytest.fixture
def clinic_b(db):
    return Clinic.objects.create(name="Clinic B", slug="clinic-b", time_zone="Europe/Madrid")


def make_staff(email, clinic, role, name="Staff Person"):
    user = User.objects.create_user(email, PASSWORD, full_name=name)
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


def make_patient(clinic, mrn, given="Ann", family="Example", account_email=None, **fields):
    patient = Patient.objects.create(
        clinic=clinic,
        mrn=mrn,
        given_name=given,
        family_name=family,
        date_of_birth=datetime.date(1945, 5, 17),
        **fields,
    )
    if account_email:
        patient.account = User.objects.create_user(
            account_email, PASSWORD, full_name=f"{given} {family}", kind=User.Kind.PATIENT
        )
        patient.save()
    return patient


@pytest.fixture
def clinician_a(clinic_a):
    return make_staff("clin.a@example.org", clinic_a, Role.CLINICIAN, "Clara Clinician")


@pytest.fixture
def coordinator_a(clinic_a):
    return make_staff("coord.a@example.org", clinic_a, Role.COORDINATOR, "Cody Coordinator")


@pytest.fixture
def admin_a(clinic_a):
    return make_staff("admin.a@example.org", clinic_a, Role.CLINIC_ADMIN, "Ada Admin")


@pytest.fixture
def clinician_b(clinic_b):
    return make_staff("clin.b@example.org", clinic_b, Role.CLINICIAN, "Bert Clinician")


@pytest.fixture
def patient_a(clinic_a):
    return make_patient(clinic_a, "A-1", "Alice", "Able", account_email="alice@example.org")


@pytest.fixture
def patient_a2(clinic_a):
    return make_patient(clinic_a, "A-2", "Arthur", "Baker", account_email="arthur@example.org")


@pytest.fixture
def patient_b(clinic_b):
    return make_patient(clinic_b, "B-1", "Beatriz", "Cruz")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="kyphocare.accounts.backends.EmailBackend")
    return client


@pytest.fixture
def new_patient(db):
    """Make a patient record: new_patient(clinic, mrn, given=..., family=..., **fields)."""
    return make_patient


@pytest.fixture
def login(db):
    """A client signed in as the given user."""
    return logged_in


@pytest.fixture
def as_clinician_a(clinician_a):
    return logged_in(clinician_a)


@pytest.fixture
def as_clinician_b(clinician_b):
    return logged_in(clinician_b)


@pytest.fixture
def as_admin_a(admin_a):
    return logged_in(admin_a)


@pytest.fixture
def as_coordinator_a(coordinator_a):
    return logged_in(coordinator_a)


@pytest.fixture
def as_patient_a(patient_a):
    return logged_in(patient_a.account)


@pytest.fixture
def as_patient_a2(patient_a2):
    return logged_in(patient_a2.account)
