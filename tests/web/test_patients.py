"""The patient registry: create, edit, view, search, paging — every read and change audited,
bad input refused on the field with nothing changed."""

import pytest
from django.urls import reverse

from kyphocare.audit.models import AuditAction, AuditEvent
from kyphocare.patients.models import Patient

VALID = {
    "given_name": "Helen",
    "family_name": "Marsh",
    "date_of_birth": "1942-02-11",
    "sex": "female",
    "mrn": "rsc-77",
    "phone": "+1 (555) 010-2030",
    "email": "Helen.Marsh@Example.org",
    "caregiver_name": "Tom Marsh",
    "caregiver_contact": "555-0199",
    "preferred_language": "es",
    "osteoporosis": "on",
    "previous_vcf": "on",
    "anticoagulants": "on",
    "asa_class": "3",
}


def test_create_patient_saves_every_field_and_audits(as_clinician_a, clinician_a, clinic_a):
    response = as_clinician_a.post(reverse("patient_create"), VALID, REMOTE_ADDR="10.1.2.3")
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_detail", args=[patient.pk])
    assert patient.clinic == clinic_a
    assert patient.mrn == "RSC-77"
    assert patient.email == "helen.marsh@example.org"
    assert patient.preferred_language == "es"
    assert (patient.osteoporosis, patient.previous_vcf, patient.anticoagulants) == (
        True,
        True,
        True,
    )
    assert (patient.corticosteroids, patient.cancer_history) == (False, False)
    assert patient.asa_class == 3
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.actor == clinician_a
    assert event.actor_role == "clinician"
    assert event.clinic == clinic_a
    assert event.patient == patient
    assert event.object_type == "patients.patient"
    assert event.object_id == str(patient.pk)
    assert event.ip == "10.1.2.3"
    assert "mrn" in event.detail["fields"]
    assert "Helen" not in str(event.detail)  # ids and field names, never patient data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "", "This field is required."),
        ("date_of_birth", "11/02/1942", "YYYY-MM-DD"),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-01-01", "on or after 1900-01-01"),
        ("date_of_birth", "1942-02-30", "YYYY-MM-DD"),
        ("sex", "robot", "Select a valid choice"),
        ("mrn", "has space", "letters, digits or hyphens"),
        ("phone", "call me", "7 to 20 digits"),
        ("email", "not-an-email", "valid email"),
        ("preferred_language", "fr", "Select a valid choice"),
        ("asa_class", "7", "Choose ASA 1 to 5"),
    ],
)
def test_bad_input_is_refused_on_the_field(as_clinician_a, field, value, message):
    response = as_clinician_a.post(reverse("patient_create"), {**VALID, field: value})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_duplicate_mrn_in_same_clinic_refused_other_clinic_allowed(
    as_clinician_a, as_clinician_b, clinic_a, new_patient
):
    new_patient(clinic_a, "RSC-77")
    response = as_clinician_a.post(reverse("patient_create"), VALID)
    assert response.status_code == 400
    assert "already has this MRN" in response.context["form"].errors["mrn"][0]
    assert Patient.objects.count() == 1
    assert as_clinician_b.post(reverse("patient_create"), VALID).status_code == 302
    assert Patient.objects.count() == 2


def test_view_is_audited(as_clinician_a, clinician_a, patient_a):
    response = as_clinician_a.get(reverse("patient_detail", args=[patient_a.pk]))
    assert response.status_code == 200
    assert patient_a.mrn in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="patients.patient")
    assert (event.actor, event.patient, event.clinic) == (clinician_a, patient_a, patient_a.clinic)
    assert event.object_id == str(patient_a.pk)
    assert event.ip == "127.0.0.1"
    timeline = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="pathway.timeline")
    assert (timeline.actor, timeline.patient) == (clinician_a, patient_a)


def test_edit_changes_fields_and_audits_names_of_changed_fields(as_clinician_a, patient_a):
    url = reverse("patient_edit", args=[patient_a.pk])
    data = {**VALID, "mrn": patient_a.mrn, "given_name": "Alicia"}
    response = as_clinician_a.post(url, data)
    assert response.status_code == 302
    patient_a.refresh_from_db()
    assert patient_a.given_name == "Alicia"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert "given_name" in event.detail["fields"]
    assert "mrn" not in event.detail["fields"]
    assert event.patient == patient_a


def test_bad_edit_changes_nothing(as_clinician_a, patient_a):
    before = Patient.objects.values().get(pk=patient_a.pk)
    data = {**VALID, "mrn": patient_a.mrn, "given_name": "Changed", "phone": "nope"}
    response = as_clinician_a.post(reverse("patient_edit", args=[patient_a.pk]), data)
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert Patient.objects.values().get(pk=patient_a.pk) == before
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_search_and_paging(as_clinician_a, clinic_a, new_patient):
    for i in range(30):
        new_patient(clinic_a, f"M-{i:02d}", given=f"Given{i:02d}", family="Zed")
    new_patient(clinic_a, "FIND-ME", given="Rare", family="Quill")
    first = as_clinician_a.get(reverse("patient_list"))
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 31
    second = as_clinician_a.get(reverse("patient_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 6
    by_name = as_clinician_a.get(reverse("patient_list"), {"q": "quill"})
    assert [p.mrn for p in by_name.context["page"].object_list] == ["FIND-ME"]
    by_mrn = as_clinician_a.get(reverse("patient_list"), {"q": "find-me"})
    assert [p.mrn for p in by_mrn.context["page"].object_list] == ["FIND-ME"]
    both = as_clinician_a.get(reverse("patient_list"), {"q": "given05 zed"})
    assert [p.mrn for p in both.context["page"].object_list] == ["M-05"]
    listed = AuditEvent.objects.filter(action=AuditAction.LIST).order_by("id")
    assert listed.count() == 5
    assert len(listed[0].detail["patient_ids"]) == 25
    assert listed[2].detail == {
        "patient_ids": [Patient.objects.get(mrn="FIND-ME").pk],
        "searched": True,
        "page": 1,
    }
    assert "quill" not in str(listed[2].detail).lower()  # search words are not kept


def test_htmx_search_returns_only_the_results_fragment(as_clinician_a, patient_a):
    response = as_clinician_a.get(
        reverse("patient_list"), {"q": "able"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "Alice" in body and "<html" not in body


def test_coordinator_and_admin_can_register_patients(as_coordinator_a, as_admin_a):
    assert as_coordinator_a.post(reverse("patient_create"), VALID).status_code == 302
    second = {**VALID, "mrn": "RSC-78"}
    assert as_admin_a.post(reverse("patient_create"), second).status_code == 302
    assert Patient.objects.count() == 2
