"""Privacy: every patient URL is checked with every standard persona.

The URL list is discovered from the URLconf, so a new patient URL is covered the day it lands.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kyphocare.audit.models import AuditEvent


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


PATIENT_ROUTES = {name: route for route, name in _patterns() if "<int:patient_id>" in route}
PATIENT_URL_NAMES = sorted(PATIENT_ROUTES)


def url_for(name, patient, pathway=None):
    """The URL of `name` for this patient, with real ids of the patient's own objects."""
    ids = {"patient_id": patient.pk}
    route = PATIENT_ROUTES[name]
    if "<int:assessment_id>" in route:
        ids["assessment_id"] = pathway.assessment.pk
    if "<int:item_id>" in route:
        ids["item_id"] = pathway.checklist[0].pk
    return reverse(name, kwargs=ids)


def test_patient_urls_are_discovered():
    assert {
        "patient_detail",
        "patient_edit",
        "patient_invite",
        "assessment_new",
        "assessment_detail",
        "decision_new",
        "checklist",
        "checklist_tick",
        "procedure_new",
        "plan_detail",
        "plan_adjust",
        "plan_print",
    } <= set(PATIENT_URL_NAMES)


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_clinician_of_other_clinic_gets_404(name, method, as_clinician_b, patient_a, pathway_a):
    before = AuditEvent.objects.count()
    response = getattr(as_clinician_b, method)(url_for(name, patient_a, pathway_a))
    missing = getattr(as_clinician_b, method)(
        url_for(name, patient_a, pathway_a).replace(f"/{patient_a.pk}/", "/999999/", 1)
    )
    # 404, or 405 for a method the URL never accepts: the same answer as for a patient who
    # does not exist, so a URL never reveals that a record exists.
    assert response.status_code in (404, 405)
    assert response.status_code == missing.status_code
    assert AuditEvent.objects.count() == before  # nothing read, nothing written


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_patient_gets_404_on_staff_patient_urls(name, method, as_patient_a2, patient_a, pathway_a):
    own = patient_a2_record(as_patient_a2)
    for url in (url_for(name, patient_a, pathway_a), reverse("patient_detail", args=[own.pk])):
        response = getattr(as_patient_a2, method)(url)
        assert response.status_code in (404, 405)
        if response.status_code == 405:
            assert method == "get"  # POST-only URL; the POST case asserts 404


def patient_a2_record(client):
    from kyphocare.patients.models import Patient

    return Patient.objects.get(account_id=client.session["_auth_user_id"])


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
def test_anonymous_is_sent_to_log_in(name, client, patient_a, pathway_a):
    before = AuditEvent.objects.count()
    response = client.get(url_for(name, patient_a, pathway_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.count() == before


GET_PAGES = [
    "patient_detail",
    "patient_edit",
    "assessment_new",
    "assessment_detail",
    "decision_new",
    "checklist",
    "procedure_new",
    "plan_detail",
    "plan_print",
]


@pytest.mark.parametrize("name", GET_PAGES)
def test_clinician_of_same_clinic_gets_the_page(name, as_clinician_a, patient_a, pathway_a):
    assert as_clinician_a.get(url_for(name, patient_a, pathway_a)).status_code == 200


@pytest.mark.parametrize("name", ["assessment_new", "decision_new", "procedure_new"])
def test_coordinator_cannot_document_clinical_records(name, as_coordinator_a, patient_a, pathway_a):
    assert as_coordinator_a.get(url_for(name, patient_a, pathway_a)).status_code == 403
    assert as_coordinator_a.post(url_for(name, patient_a, pathway_a)).status_code == 403


@pytest.mark.parametrize(
    "name", ["staff_home", "patient_list", "patient_create", "audit_list", "audit_export"]
)
def test_patients_cannot_open_staff_pages(name, as_patient_a):
    assert as_patient_a.get(reverse(name)).status_code == 404


@pytest.mark.parametrize(
    "name", ["staff_home", "patient_list", "patient_create", "audit_list", "my_home"]
)
def test_anonymous_sent_to_login_everywhere(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_other_clinic_patients_never_listed(as_clinician_b, patient_a, patient_b):
    response = as_clinician_b.get(reverse("patient_list"))
    assert patient_b.family_name in response.content.decode()
    assert patient_a.family_name not in response.content.decode()
    search = as_clinician_b.get(reverse("patient_list"), {"q": patient_a.mrn})
    assert patient_a.family_name not in search.content.decode()


def test_patient_sees_only_their_own_record(as_patient_a, patient_a, patient_a2):
    body = as_patient_a.get(reverse("my_home")).content.decode()
    assert patient_a.full_name in body
    assert patient_a2.full_name not in body


def test_audit_page_is_for_clinic_admins_only(as_clinician_a, as_coordinator_a, as_admin_a):
    assert as_clinician_a.get(reverse("audit_list")).status_code == 403
    assert as_coordinator_a.get(reverse("audit_list")).status_code == 403
    assert as_clinician_a.get(reverse("audit_export")).status_code == 403
    assert as_admin_a.get(reverse("audit_list")).status_code == 200


def test_staff_without_clinic_sees_no_patient_pages(login, patient_a):
    from kyphocare.accounts.models import User

    loner = login(User.objects.create_user("loner@example.org", "x" * 12, full_name="L"))
    assert loner.get(reverse("patient_list")).status_code == 404
    assert loner.get(reverse("patient_detail", args=[patient_a.pk])).status_code == 404
    assert loner.get(reverse("home")).status_code == 403
