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


PATIENT_URL_NAMES = sorted(name for route, name in _patterns() if "<int:patient_id>" in route)


def test_patient_urls_are_discovered():
    assert {"patient_detail", "patient_edit", "patient_invite"} <= set(PATIENT_URL_NAMES)


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_clinician_of_other_clinic_gets_404(name, method, as_clinician_b, patient_a):
    response = getattr(as_clinician_b, method)(reverse(name, args=[patient_a.pk]))
    missing = getattr(as_clinician_b, method)(reverse(name, args=[999999]))
    # 404, or 405 for a method the URL never accepts: the same answer as for a patient who
    # does not exist, so a URL never reveals that a record exists.
    assert response.status_code in (404, 405)
    assert response.status_code == missing.status_code
    assert not AuditEvent.objects.filter(patient=patient_a).exists()


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_patient_gets_404_on_staff_patient_urls(name, method, as_patient_a2, patient_a):
    for target in (patient_a, patient_a2_record(as_patient_a2)):
        response = getattr(as_patient_a2, method)(reverse(name, args=[target.pk]))
        assert response.status_code in (404, 405)
        if response.status_code == 405:
            assert method == "get"  # POST-only URL; the POST case asserts 404


def patient_a2_record(client):
    from kyphocare.patients.models import Patient

    return Patient.objects.get(account_id=client.session["_auth_user_id"])


@pytest.mark.parametrize("name", PATIENT_URL_NAMES)
def test_anonymous_is_sent_to_log_in(name, client, patient_a):
    url = reverse(name, args=[patient_a.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["patient_detail", "patient_edit"])
def test_clinician_of_same_clinic_gets_the_page(name, as_clinician_a, patient_a):
    assert as_clinician_a.get(reverse(name, args=[patient_a.pk])).status_code == 200


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
