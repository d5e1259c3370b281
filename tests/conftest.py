"""Standard personas of shared/design.md: clinician of clinic A, clinician of clinic B, patient
of clinic A, another patient of clinic A, clinic admin (of A), anonymous."""

import datetime

import pytest
from django.test import Client

from kyphocare.accounts.models import Clinic, Membership, Role, User
from kyphocare.patients.models import Patient

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    """Argon2 is slow by design; tests that do not check hashing use a fast hasher."""
    if "argon2" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def actor_for(user, clinic, role="clinician"):
    from kyphocare.accounts.access import Actor

    return Actor(user=user, clinic=clinic, role=role, ip="127.0.0.1")


ASSESS_DATA = {
    "assessed_on": datetime.date(2026, 11, 2),
    "signs": ["midline_back_pain", "pain_with_movement", "osteoporosis_or_osteopenia"],
    "pain_nrs": 7,
    "symptom_course": "stable",
    "hospitalized_for_pain": False,
    "nsm_tried": True,
    "nsm_what": "paracetamol, brace",
    "nsm_since": datetime.date(2026, 10, 22),
    "rmdq": 18,
    "rmdq_source": "staff",
    "cancer": "none",
    "trauma": "low_energy",
    "contraindications": [],
    "notes": "",
}
FRACTURE_L1 = {
    "level": "L1",
    "onset": datetime.date(2026, 10, 20),
    "imaging_modality": "mri",
    "imaging_date": datetime.date(2026, 10, 28),
    "imaging_acute": True,
    "ha": 18.0,
    "hm": 21.0,
    "hp": 26.0,
    "hp_above": 27.0,
    "hp_below": 28.0,
    "height_loss_pct": None,
    "kyphotic_deformity": False,
    "progression": False,
    "pain_correlates": True,
}


@pytest.fixture
def pathway_a(clinician_a, clinic_a, patient_a):
    """Patient A taken from assessment to plan by clinician A (through the services)."""
    from types import SimpleNamespace

    from kyphocare.pathway import services

    actor = actor_for(clinician_a, clinic_a)
    assessment = services.assessment_create(
        actor=actor, patient=patient_a, data=dict(ASSESS_DATA), fractures=[dict(FRACTURE_L1)]
    )
    decision = services.decision_record(
        actor=actor,
        patient=patient_a,
        assessment=assessment,
        choice="kyphoplasty",
        decided_on=datetime.date(2026, 11, 3),
        scheduled_for=datetime.date(2026, 11, 10),
    )
    checklist = services.checklist_start(actor=actor, patient=patient_a)
    procedure = services.procedure_record(
        actor=actor,
        patient=patient_a,
        data={
            "performed_on": datetime.date(2026, 11, 10),
            "anaesthesia": "local_sedation",
            "duration_min": 45,
            "discharge": "same_day",
            "complications": "",
        },
        levels=[
            {
                "level": "L1",
                "approach": "bipedicular",
                "cement_ml": 4.5,
                "leakage": "none",
                "leakage_site": "",
                "biopsy": False,
            }
        ],
        factors={"osteoporosis_treatment": True, "depression": False},
    )
    return SimpleNamespace(
        assessment=assessment,
        decision=decision,
        checklist=checklist,
        procedure=procedure,
        plan=procedure.plan,
    )
