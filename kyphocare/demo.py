"""The demo clinic: sample staff, patients and portal accounts. Loading twice changes nothing.

Everything here is fictional. Demo accounts carry `is_demo` and are refused in production.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from kyphocare.accounts.access import Actor
from kyphocare.accounts.models import Clinic, Membership, Role, User
from kyphocare.pathway import services as pathway
from kyphocare.pathway.models import Assessment
from kyphocare.patients.models import Language, Patient, Sex

DEMO_DOMAIN = "demo.kyphocare.test"

CLINICS = [
    {
        "slug": "riverside",
        "name": "Riverside Spine Center",
        "phone": "555-0100",
        "on_call_email": f"oncall@{DEMO_DOMAIN}",
        "time_zone": "America/New_York",
    },
    {
        "slug": "lakeside",
        "name": "Lakeside Pain Clinic",
        "phone": "555-0200",
        "on_call_email": f"oncall-lakeside@{DEMO_DOMAIN}",
        "time_zone": "America/Chicago",
    },
]

STAFF = [
    # email prefix, name, {clinic slug: role}
    ("clinician", "Dr. Maya Chen", {"riverside": Role.CLINICIAN, "lakeside": Role.CLINICIAN}),
    ("coordinator", "Sam Ortiz", {"riverside": Role.COORDINATOR}),
    ("admin", "Priya Nair", {"riverside": Role.CLINIC_ADMIN}),
]

# Where each demo patient stands on the pathway (see STAGES below); others are just referred.
PATIENT_STAGES = {
    "RSC-1001": "day_10",
    "RSC-1002": "day_1",
    "RSC-1003": "referred",
    "RSC-1004": "assessed_uncertain",
    "RSC-1005": "non_surgical_due",
    "RSC-1006": "scheduled",
    "RSC-1007": "week_5",
    "RSC-1008": "month_4",
}

# stage: (days since the procedure, or None if no procedure yet)
PROCEDURE_DAY = {"day_1": 1, "day_10": 10, "week_5": 35, "month_4": 122}

PATIENTS = [
    # clinic, MRN, given, family, born, sex, language, risk factors, asa, portal login prefix
    (
        "riverside",
        "RSC-1001",
        "Margaret",
        "Ellis",
        "1944-03-12",
        Sex.FEMALE,
        Language.ENGLISH,
        {"osteoporosis", "previous_vcf"},
        3,
        "margaret",
    ),
    (
        "riverside",
        "RSC-1002",
        "José",
        "Ramírez",
        "1951-07-30",
        Sex.MALE,
        Language.SPANISH,
        {"osteoporosis", "corticosteroids"},
        2,
        "jose",
    ),
    (
        "riverside",
        "RSC-1003",
        "Dorothy",
        "Nguyen",
        "1939-11-02",
        Sex.FEMALE,
        Language.ENGLISH,
        {"osteoporosis", "anticoagulants"},
        3,
        None,
    ),
    (
        "riverside",
        "RSC-1004",
        "Harold",
        "Becker",
        "1948-05-19",
        Sex.MALE,
        Language.ENGLISH,
        {"cancer_history"},
        2,
        None,
    ),
    (
        "riverside",
        "RSC-1005",
        "Evelyn",
        "Okafor",
        "1956-01-25",
        Sex.FEMALE,
        Language.ENGLISH,
        {"osteoporosis"},
        1,
        None,
    ),
    (
        "riverside",
        "RSC-1006",
        "Frank",
        "Kowalski",
        "1942-09-08",
        Sex.MALE,
        Language.ENGLISH,
        {"previous_vcf", "corticosteroids"},
        3,
        None,
    ),
    (
        "riverside",
        "RSC-1007",
        "Rosa",
        "Delgado",
        "1947-12-14",
        Sex.FEMALE,
        Language.SPANISH,
        {"osteoporosis", "previous_vcf"},
        2,
        None,
    ),
    (
        "riverside",
        "RSC-1008",
        "Walter",
        "Hughes",
        "1936-04-03",
        Sex.MALE,
        Language.ENGLISH,
        {"osteoporosis", "anticoagulants"},
        4,
        None,
    ),
    (
        "lakeside",
        "LPC-2001",
        "Agnes",
        "Lindqvist",
        "1941-06-21",
        Sex.FEMALE,
        Language.ENGLISH,
        {"osteoporosis"},
        2,
        None,
    ),
    (
        "lakeside",
        "LPC-2002",
        "Thomas",
        "Reyes",
        "1950-10-10",
        Sex.MALE,
        Language.ENGLISH,
        {"corticosteroids"},
        2,
        None,
    ),
]


def _user(prefix: str, name: str, password: str, kind: str = User.Kind.STAFF) -> User:
    email = f"{prefix}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, kind=kind, is_demo=True)
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def load(password: str = "kyphocare-demo") -> None:  # noqa: S107
    clinics = {}
    for spec in CLINICS:
        clinics[spec["slug"]], _ = Clinic.objects.get_or_create(slug=spec["slug"], defaults=spec)
    for prefix, name, roles in STAFF:
        user = _user(prefix, name, password)
        for slug, role in roles.items():
            Membership.objects.get_or_create(
                user=user, clinic=clinics[slug], defaults={"role": role}
            )
    for clinic, mrn, given, family, born, sex, language, risks, asa, login in PATIENTS:
        patient, created = Patient.objects.get_or_create(
            clinic=clinics[clinic],
            mrn=mrn,
            defaults={
                "given_name": given,
                "family_name": family,
                "date_of_birth": datetime.date.fromisoformat(born),
                "sex": sex,
                "preferred_language": language,
                "phone": "555-01" + mrn[-2:],
                "email": f"{login or mrn.lower()}@{DEMO_DOMAIN}",
                "asa_class": asa,
                **dict.fromkeys(risks, True),
            },
        )
        if login and patient.account_id is None:
            patient.account = _user(login, f"{given} {family}", password, User.Kind.PATIENT)
            patient.save(update_fields=["account"])
        stage = PATIENT_STAGES.get(mrn, "referred")
        if stage != "referred" and not Assessment.objects.filter(patient=patient).exists():
            clinician = User.objects.get(email=f"clinician@{DEMO_DOMAIN}")
            actor = Actor(user=clinician, clinic=clinics[clinic], role=Role.CLINICIAN)
            _walk(actor, patient, stage, timezone.localdate())


def _fracture(level: str, onset: datetime.date, *, uncertain: bool = False) -> dict:
    return {
        "level": level,
        "onset": onset,
        "imaging_modality": "mri",
        "imaging_date": onset + datetime.timedelta(days=6),
        "imaging_acute": True,
        "ha": 19.0 if uncertain else 16.5,
        "hm": 22.0 if uncertain else 20.0,
        "hp": 26.0,
        "hp_above": 27.0,
        "hp_below": 27.5,
        "height_loss_pct": None,
        "kyphotic_deformity": not uncertain,
        "progression": False,
        "pain_correlates": True,
    }


def _walk(actor: Actor, patient: Patient, stage: str, today: datetime.date) -> None:
    """Take a demo patient along the pathway, through the same services staff use."""
    day = PROCEDURE_DAY.get(stage)
    procedure_on = today - datetime.timedelta(days=day) if day is not None else None
    assessed_on = (procedure_on or today) - datetime.timedelta(
        days={"non_surgical_due": 16, "scheduled": 3}.get(stage, 6)
    )
    uncertain = stage in ("assessed_uncertain", "non_surgical_due")
    data = {
        "assessed_on": assessed_on,
        "signs": [
            "midline_back_pain",
            "pain_with_movement",
            "pain_on_position_change",
            "spinous_process_tenderness",
        ]
        + (["osteoporosis_or_osteopenia"] if patient.osteoporosis else []),
        "pain_nrs": 6 if uncertain else 8,
        "symptom_course": "stable",
        "hospitalized_for_pain": False,
        "nsm_tried": True,
        "nsm_what": "paracetamol, a brace, physiotherapy",
        "nsm_since": assessed_on - datetime.timedelta(days=14),
        "rmdq": 12 if uncertain else 19,
        "rmdq_source": "staff",
        "cancer": "none",
        "trauma": "low_energy",
        "contraindications": [],
        "notes": "",
    }
    levels = ["T12", "L1"] if stage == "month_4" else ["L1"]
    onset = assessed_on - datetime.timedelta(days=24)
    assessment = pathway.assessment_create(
        actor=actor,
        patient=patient,
        data=data,
        fractures=[_fracture(level, onset, uncertain=uncertain) for level in levels],
    )
    if stage == "assessed_uncertain":
        return
    if stage == "non_surgical_due":
        pathway.decision_record(
            actor=actor,
            patient=patient,
            assessment=assessment,
            choice="non_surgical",
            decided_on=assessed_on,
            reassessment_due=assessed_on + datetime.timedelta(days=14),
        )
        return
    decided_on = assessed_on + datetime.timedelta(days=1)
    pathway.decision_record(
        actor=actor,
        patient=patient,
        assessment=assessment,
        choice="kyphoplasty",
        decided_on=decided_on,
        scheduled_for=procedure_on or today + datetime.timedelta(days=5),
    )
    items = pathway.checklist_start(actor=actor, patient=patient)
    for item in items[: 3 if procedure_on is None else len(items)]:
        pathway.checklist_tick(actor=actor, item=item, done=True)
    if procedure_on is None:
        return
    pathway.procedure_record(
        actor=actor,
        patient=patient,
        data={
            "performed_on": procedure_on,
            "anaesthesia": "local_sedation",
            "duration_min": 40 * len(levels),
            "discharge": "same_day",
            "complications": "",
        },
        levels=[
            {
                "level": level,
                "approach": "bipedicular",
                "cement_ml": 4.5,
                "leakage": "none",
                "leakage_site": "",
                "biopsy": False,
            }
            for level in levels
        ],
        factors={"osteoporosis_treatment": stage != "week_5", "depression": False},
    )


def banner(url: str, password: str) -> str:
    lines = [
        "",
        "kyphocare demo is starting.",
        f"  Open {url}",
        "",
        f"  Demo logins (password for all: {password}):",
    ]
    for prefix, name, roles in STAFF:
        where = ", ".join(f"{role.label} at {slug}" for slug, role in roles.items())
        lines.append(f"    {prefix + '@' + DEMO_DOMAIN:<34} {name} — {where}")
    for *_, given, family, _born, _sex, _lang, _risks, _asa, login in PATIENTS:
        if login:
            lines.append(f"    {login + '@' + DEMO_DOMAIN:<34} {given} {family} — patient")
    lines += ["", "  Press Ctrl+C to stop. E-mails are printed here.", ""]
    return "\n".join(lines)
