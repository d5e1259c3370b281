"""The demo clinic: sample staff, patients and portal accounts. Loading twice changes nothing.

Everything here is fictional. Demo accounts carry `is_demo` and are refused in production.
"""

import datetime

from django.db import transaction

from kyphocare.accounts.models import Clinic, Membership, Role, User
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
