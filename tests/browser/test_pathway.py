"""One referral walked to a recovery plan in a real browser, checked against the clinical core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kyphocare import clinical as c
from kyphocare import demo
from kyphocare.patients.models import Patient

pytestmark = pytest.mark.browser


def choose(page, scope, group, option):
    """Tick a radio button or checkbox by its group legend and option label."""
    scope.get_by_role("group", name=group).get_by_label(option, exact=True).check()


def test_referral_to_plan(live_server, transactional_db, page, screenshot_dir, sign_in):
    demo.load()
    patient = Patient.objects.get(mrn="RSC-1003")  # referred, not yet assessed
    today = timezone.localdate()
    onset = today - datetime.timedelta(days=30)
    sign_in(page, live_server.url, f"clinician@{demo.DEMO_DOMAIN}")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.get_by_test_id("stage")).to_have_text("referred")

    # 1. Assessment, with the Genant grade shown live while heights are typed
    page.get_by_role("link", name="Assess the referral").click()
    for sign in ("Midline back pain", "Pain related to activity or movement"):
        page.get_by_label(sign, exact=False).first.check()
    page.get_by_label("Pain now, 0–10 (NRS)").select_option("8")
    choose(page, page, "Course of the pain", "Worsening")
    choose(page, page, "Hospitalised because of the fracture pain", "No")
    choose(page, page, "Non-surgical care tried (analgesia, bracing, physiotherapy)", "Yes")
    page.get_by_label("RMDQ score (0–24)").fill("16")
    choose(page, page, "Malignancy", "None known")
    choose(page, page, "Trauma", "Low-energy (e.g. fall from standing)")
    fx = page.locator("#fracture-0")
    fx.get_by_label("Level", exact=True).select_option("L2")
    fx.get_by_label("Onset (or best estimate)").fill(onset.isoformat())
    fx.get_by_label("Advanced imaging", exact=True).select_option("mri")
    fx.get_by_label("Imaging date").fill((onset + datetime.timedelta(days=5)).isoformat())
    choose(page, fx, "Imaging shows an acute fracture (oedema, uptake)", "Yes")
    fx.get_by_label("Anterior height ha (mm)").fill("17")
    fx.get_by_label("Middle height hm (mm)").fill("22")
    fx.get_by_label("Posterior height hp (mm)", exact=True).fill("27")
    expect(fx.locator(".morph-result")).to_contain_text("Height loss 37.0 %")
    expect(fx.locator(".morph-result")).to_contain_text("Genant grade 2")
    choose(page, fx, "Pain matches this level on examination", "Yes")
    choose(page, fx, "Kyphotic deformity", "No")
    choose(page, fx, "Height loss progressing on follow-up imaging", "No")
    page.get_by_role("button", name="Save and see the result").click()

    expected = c.assess(
        c.AssessmentInput(
            as_of=today,
            age=patient.age_on(today),
            signs=frozenset({c.Sign.MIDLINE_BACK_PAIN, c.Sign.PAIN_WITH_MOVEMENT}),
            pain_nrs=8,
            symptom_course=c.SymptomCourse.WORSENING,
            hospitalized_for_pain=False,
            nsm_tried=True,
            rmdq=16,
            cancer=c.CancerStatus.NONE,
            trauma=c.Trauma.LOW_ENERGY,
            fractures=(
                c.FractureInput(
                    level=c.Level.L2,
                    onset=onset,
                    imaging=c.ImagingResult(
                        c.ImagingModality.MRI, True, onset + datetime.timedelta(days=5)
                    ),
                    morphometry=c.Morphometry(17.0, 22.0, 27.0),
                    kyphotic_deformity=False,
                    progression=False,
                    pain_correlates=True,
                ),
            ),
        )
    )
    panel = page.get_by_test_id("result-panel")
    expect(page.get_by_test_id("recommendation")).to_have_text(
        expected.recommendation.value.replace("_", " ")
    )
    expect(page.get_by_test_id("probability")).to_contain_text(expected.probability.probability)
    expect(page.get_by_test_id("imaging-advice")).to_have_text(
        expected.imaging.advice.value.replace("_", " ")
    )
    expect(page.get_by_test_id("rules-version")).to_have_text(c.RULES_VERSION)
    expect(panel.get_by_test_id("fracture-L2")).to_contain_text(
        f"{expected.fractures[0].age_days} days old"
    )
    expect(panel.get_by_test_id("fracture-L2")).to_contain_text("Genant grade 2")
    page.screenshot(path=str(screenshot_dir / "assessment-result.png"), full_page=True)

    # 2. Decision, following the recommendation
    page.get_by_role("link", name="Record the decision").click()
    choose(page, page, "Decision", "Kyphoplasty")
    page.get_by_label("Procedure date, if scheduled (kyphoplasty)").fill(today.isoformat())
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("stage")).to_have_text("kyphoplasty")

    # 3. Preparation checklist
    page.get_by_role("link", name="Start one").click()
    page.get_by_role("button", name="Start the checklist from the clinic's template").click()
    first = page.locator(".check-item").first
    first.get_by_role("button", name="Tick").click()
    expect(first.get_by_role("button")).to_have_text("✓ Done")
    expect(page.locator(".check-item").first).to_contain_text("Dr. Maya Chen")

    # 4. Procedure on the spine diagram: L2 is marked fractured and pre-chosen; add L3 by keyboard
    page.goto(f"{live_server.url}/patients/{patient.pk}/procedure/new/")
    l2 = page.locator('.spine-interactive .vertebra[data-level="L2"]')
    l3 = page.locator('.spine-interactive .vertebra[data-level="L3"]')
    expect(l2).to_have_attribute("aria-checked", "true")
    l3.focus()
    page.keyboard.press("Space")
    expect(l3).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("cpt")).to_contain_text("22514")
    expect(page.get_by_test_id("cpt")).to_contain_text("22515")
    page.locator('.spine-interactive .vertebra[data-level="L3"]').click()  # and off by mouse
    expect(l3).to_have_attribute("aria-checked", "false")
    expect(page.locator("#level-L3")).to_be_hidden()
    page.locator("#level-L2").get_by_label("Cement (mL)").fill("5")
    page.get_by_label("Duration (minutes)").fill("45")
    choose(page, page, "Anaesthesia", "Local anaesthesia with sedation")
    choose(page, page, "Discharge", "Home the same day")
    choose(page, page, "On osteoporosis treatment (or starting it)", "Yes")
    choose(page, page, "Depression", "No")
    page.locator(".spine").screenshot(path=str(screenshot_dir / "spine-diagram.png"))
    page.get_by_role("button", name="Save procedure and make the plan").click()

    # 5. The plan's dates are the clinical core's for the same input
    plan = c.recovery_plan(
        c.PlanInput(
            procedure_date=today,
            levels=(c.Level.L2,),
            age=patient.age_on(today),
            asa_class=patient.asa_class,
            genant_grade=c.GenantGrade.MODERATE,
            fracture_age_days=30,
            osteoporosis_treatment=True,
            depression=False,
            baseline_pain_nrs=8,
        )
    )
    fu, normal = plan.follow_up_visit, plan.return_to_normal_activities.window
    expect(page.get_by_test_id("follow-up")).to_contain_text(
        f"{fu.start:%-d %b %Y} – {fu.end:%-d %b %Y}"
    )
    expect(page.get_by_test_id("normal-activities")).to_contain_text(
        f"{normal.start:%-d %b %Y} – {normal.end:%-d %b %Y}"
    )
    expect(page.get_by_test_id("bone-health")).to_contain_text(f"{plan.bone_health_by:%-d %b %Y}")
    for factor in plan.factors:
        expect(page.get_by_test_id("factors")).to_contain_text(c.FACTOR_LABELS[factor].clinician)
    page.get_by_role("link", name="Printable large-type version").click()
    expect(page.get_by_role("heading", name="Your recovery plan")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "plan-printable.png"), full_page=True)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.get_by_test_id("stage")).to_have_text("procedure done")
    page.screenshot(path=str(screenshot_dir / "patient-timeline.png"), full_page=True)
