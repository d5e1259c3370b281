"""A clinician of the demo clinic signs in and registers a patient, in a real browser."""

import pytest
from playwright.sync_api import expect

from kyphocare import demo
from kyphocare.audit.models import AuditAction, AuditEvent
from kyphocare.patients.models import Patient

pytestmark = pytest.mark.browser


def test_demo_clinician_registers_a_patient(
    live_server, transactional_db, page, screenshot_dir, sign_in
):
    demo.load()
    console_errors = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    sign_in(page, live_server.url, f"clinician@{demo.DEMO_DOMAIN}")
    page.get_by_role("heading", name="Riverside Spine Center").wait_for()

    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name="Add a patient").first.click()
    page.get_by_label("Given name").fill("Irene")
    page.get_by_label("Family name").fill("Castillo")
    page.get_by_label("Date of birth").fill("1943-08-09")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("MRN").fill("RSC-2044")
    page.get_by_label("Phone", exact=True).fill("555-0144")
    page.get_by_label("Preferred language").select_option("es")
    page.get_by_label("Osteoporosis or osteopenia").check()
    page.get_by_label("ASA class").select_option("3")
    page.get_by_role("button", name="Add patient").click()

    page.get_by_role("heading", name="Irene Castillo").wait_for()
    assert "was added to the registry" in page.locator(".messages").inner_text()
    page.screenshot(path=str(screenshot_dir / "registry-new-patient.png"), full_page=True)

    patient = Patient.objects.get(mrn="RSC-2044")
    assert patient.clinic.slug == "riverside"
    assert patient.preferred_language == "es" and patient.osteoporosis and patient.asa_class == 3
    assert AuditEvent.objects.filter(patient=patient, action=AuditAction.CREATE).count() == 1

    # Live search through htmx: typing narrows the list without a page load.
    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_label("Search by name or MRN").fill("castillo")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "Castillo, Irene" in page.locator("#results").inner_text()
    page.screenshot(path=str(screenshot_dir / "registry-list.png"), full_page=True)
    assert console_errors == []  # no CSP violations, no script errors


def test_phone_width_has_no_horizontal_scroll(live_server, transactional_db, browser, sign_in):
    demo.load()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server.url, f"clinician@{demo.DEMO_DOMAIN}")
    page.get_by_role("heading", name="Riverside Spine Center").wait_for()
    for path in ("/patients/new/", "/staff/"):
        page.goto(live_server.url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{path} is {scroll_width}px wide at 320px"
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.rstrip("px")) >= 18
    context.close()
