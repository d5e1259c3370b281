"""The clinician pathway through its pages: every result comes from kyphocare.clinical."""

import datetime

import pytest
from django.urls import reverse

from kyphocare import clinical as c
from kyphocare.audit.models import AuditAction, AuditEvent
from kyphocare.pathway.models import (
    Assessment,
    ChecklistItem,
    Decision,
    PlanAdjustment,
    Procedure,
    RecoveryPlan,
)
from kyphocare.pathway.snapshot import to_data

TODAY = datetime.date.today()


def assessment_post(**overrides):
    """The assessment form as a browser would send it (the CLI contract's example input)."""
    data = {
        "assessed_on": TODAY.isoformat(),
        "signs": ["midline_back_pain", "pain_with_movement"],
        "pain_nrs": "7",
        "symptom_course": "stable",
        "hospitalized_for_pain": "no",
        "nsm_tried": "yes",
        "nsm_what": "paracetamol",
        "rmdq": "18",
        "rmdq_source": "staff",
        "cancer": "none",
        "trauma": "low_energy",
        "fx-TOTAL_FORMS": "3",
        "fx-INITIAL_FORMS": "0",
        "fx-MIN_NUM_FORMS": "3",
        "fx-MAX_NUM_FORMS": "6",
        "fx-0-level": "L1",
        "fx-0-onset": (TODAY - datetime.timedelta(days=32)).isoformat(),
        "fx-0-imaging_modality": "mri",
        "fx-0-imaging_date": (TODAY - datetime.timedelta(days=24)).isoformat(),
        "fx-0-imaging_acute": "yes",
        "fx-0-ha": "18.0",
        "fx-0-hm": "21.0",
        "fx-0-hp": "26.0",
        "fx-0-hp_above": "27.0",
        "fx-0-hp_below": "28.0",
        "fx-0-kyphotic_deformity": "no",
        "fx-0-progression": "no",
        "fx-0-pain_correlates": "yes",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def expected_assessment(age):
    """The same input, given straight to the clinical core."""
    return c.assess(
        c.AssessmentInput(
            as_of=TODAY,
            age=age,
            signs=frozenset({c.Sign.MIDLINE_BACK_PAIN, c.Sign.PAIN_WITH_MOVEMENT}),
            pain_nrs=7,
            symptom_course=c.SymptomCourse.STABLE,
            hospitalized_for_pain=False,
            nsm_tried=True,
            rmdq=18,
            cancer=c.CancerStatus.NONE,
            trauma=c.Trauma.LOW_ENERGY,
            fractures=(
                c.FractureInput(
                    level=c.Level.L1,
                    onset=TODAY - datetime.timedelta(days=32),
                    imaging=c.ImagingResult(
                        c.ImagingModality.MRI, True, TODAY - datetime.timedelta(days=24)
                    ),
                    morphometry=c.Morphometry(18.0, 21.0, 26.0, 27.0, 28.0),
                    kyphotic_deformity=False,
                    progression=False,
                    pain_correlates=True,
                ),
            ),
        )
    )


def test_assessment_result_is_the_clinical_core_result(as_clinician_a, clinician_a, patient_a):
    response = as_clinician_a.post(
        reverse("assessment_new", args=[patient_a.pk]), assessment_post()
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.version == 1 and assessment.rules_version == c.RULES_VERSION
    expected = expected_assessment(patient_a.age_on(TODAY))
    assert assessment.result == to_data(expected)
    assert expected.recommendation == c.Recommendation.APPROPRIATE
    page = as_clinician_a.get(response["Location"]).content.decode()
    assert 'data-testid="recommendation">appropriate<' in page
    assert "height loss 30.8 %" in page and "Genant grade 2" in page
    assert 'Rules version <span data-testid="rules-version">2026.1</span>' in page
    for line in expected.fractures[0].reasons:
        assert line.replace("'", "&#x27;") in page
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="pathway.assessment")
    assert (event.actor, event.patient) == (clinician_a, patient_a)


def test_reassessment_keeps_earlier_versions(as_clinician_a, patient_a):
    url = reverse("assessment_new", args=[patient_a.pk])
    as_clinician_a.post(url, assessment_post())
    form = as_clinician_a.get(url)
    assert form.context["form"].initial["pain_nrs"] == 7  # starts from the last version
    as_clinician_a.post(url, assessment_post(pain_nrs="3"))
    versions = list(Assessment.objects.order_by("version"))
    assert [a.version for a in versions] == [1, 2]
    assert versions[0].result["recommendation"] == "appropriate"
    assert versions[1].result["recommendation"] == "not_indicated"
    timeline = as_clinician_a.get(reverse("patient_detail", args=[patient_a.pk])).content
    assert b"Version 1" in timeline and b"Version 2" in timeline


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"fx-0-hp": ""}, "hp", "Enter all three heights"),
        ({"fx-0-ha": "75"}, "ha", "less than 60 mm"),
        ({"fx-0-ha": "0"}, "ha", "more than 0"),
        ({"fx-0-level": "C5"}, "level", "Choose a level from T1 to L5"),
        ({"fx-0-onset": "20/10/2026"}, "onset", "YYYY-MM-DD"),
        (
            {"fx-0-imaging_modality": "", "fx-0-imaging_date": ""},
            "imaging_modality",
            "Say which imaging",
        ),
    ],
)
def test_bad_fracture_input_is_refused_on_the_field(
    as_clinician_a, patient_a, overrides, field, message
):
    response = as_clinician_a.post(
        reverse("assessment_new", args=[patient_a.pk]), assessment_post(**overrides)
    )
    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert message in " ".join(errors[field])
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "where", "message"),
    [
        ({"pain_nrs": "11"}, "pain_nrs", "0 to 10"),
        ({"rmdq": "25"}, "rmdq", "RMDQ is 0 to 24"),
        ({"assessed_on": "2999-01-01"}, "assessed_on", "cannot be in the future"),
        ({"cancer": "maybe"}, "cancer", "Select a valid choice"),
        ({"signs": ["not_a_sign"]}, "signs", "Select a valid choice"),
    ],
)
def test_bad_assessment_input_is_refused(as_clinician_a, patient_a, overrides, where, message):
    response = as_clinician_a.post(
        reverse("assessment_new", args=[patient_a.pk]), assessment_post(**overrides)
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[where])
    assert not Assessment.objects.exists()


def test_fracture_rules_across_the_formset(as_clinician_a, patient_a):
    url = reverse("assessment_new", args=[patient_a.pk])
    none = as_clinician_a.post(url, assessment_post(**{"fx-0-level": ""}))
    assert "at least one fracture" in str(none.context["formset"].non_form_errors())
    twice = assessment_post(**{"fx-1-level": "L1"})
    dup = as_clinician_a.post(url, twice)
    assert "only once" in str(dup.context["formset"].non_form_errors())
    assert not Assessment.objects.exists()


def test_live_morphometry_preview(as_clinician_a):
    url = reverse("morphometry_preview")
    data = {
        "prefix": "fx-0",
        "fx-0-ha": "18",
        "fx-0-hm": "21",
        "fx-0-hp": "26",
        "fx-0-hp_above": "27",
        "fx-0-hp_below": "28",
    }
    body = as_clinician_a.post(url, data).content.decode()
    assert "Height loss 30.8 %" in body and "Genant grade 2" in body
    partial = as_clinician_a.post(url, {"prefix": "fx-0", "fx-0-ha": "18"}).content.decode()
    assert "Enter ha, hm and hp" in partial
    bad = as_clinician_a.post(url, {"prefix": "fx-0", "fx-0-ha": "99"}).content.decode()
    assert "less than 60 mm" in bad


def test_decision_that_differs_asks_for_a_reason(as_clinician_a, patient_a, pathway_a):
    url = reverse("decision_new", args=[patient_a.pk])
    before = Decision.objects.count()
    response = as_clinician_a.post(
        url,
        {
            "choice": "non_surgical",
            "decided_on": TODAY.isoformat(),
            "reassessment_due": (TODAY + datetime.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "please give the reason" in response.context["form"].errors["reason"][0]
    assert Decision.objects.count() == before
    ok = as_clinician_a.post(
        url,
        {
            "choice": "non_surgical",
            "decided_on": TODAY.isoformat(),
            "reassessment_due": (TODAY + datetime.timedelta(days=14)).isoformat(),
            "reason": "Patient prefers to wait",
        },
    )
    assert ok.status_code == 302
    decision = Decision.objects.first()
    assert decision.differs and decision.recommendation == "appropriate"
    assert decision.reason == "Patient prefers to wait"


@pytest.mark.parametrize("days", [13, 29])
def test_non_surgical_reassessment_must_be_two_to_four_weeks_out(
    as_clinician_a, patient_a, pathway_a, days
):
    response = as_clinician_a.post(
        reverse("decision_new", args=[patient_a.pk]),
        {
            "choice": "non_surgical",
            "decided_on": TODAY.isoformat(),
            "reason": "wait",
            "reassessment_due": (TODAY + datetime.timedelta(days=days)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "2 to 4 weeks" in response.context["form"].errors["reassessment_due"][0]


def test_due_reassessment_shows_on_staff_home_until_reassessed(
    as_clinician_a, patient_a, pathway_a
):
    as_clinician_a.post(
        reverse("decision_new", args=[patient_a.pk]),
        {
            "choice": "non_surgical",
            "decided_on": (TODAY - datetime.timedelta(days=20)).isoformat(),
            "reason": "wait",
            "reassessment_due": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    home = as_clinician_a.get(reverse("staff_home")).content.decode()
    assert patient_a.full_name in home and "overdue" in home
    as_clinician_a.post(reverse("assessment_new", args=[patient_a.pk]), assessment_post())
    home = as_clinician_a.get(reverse("staff_home")).content.decode()
    assert patient_a.full_name not in home


def test_checklist_copy_and_ticks_record_who_and_when(
    as_clinician_a, as_coordinator_a, coordinator_a, patient_a2
):
    url = reverse("checklist", args=[patient_a2.pk])
    assert as_coordinator_a.post(url).status_code == 302
    items = list(ChecklistItem.objects.filter(patient=patient_a2))
    assert len(items) == 8 and items[0].text.startswith("Bring your recent spine images")
    as_coordinator_a.post(url)  # starting twice copies nothing more
    assert ChecklistItem.objects.filter(patient=patient_a2).count() == 8
    tick = reverse("checklist_tick", args=[patient_a2.pk, items[0].pk])
    as_coordinator_a.post(tick, {"done": "1"})
    items[0].refresh_from_db()
    assert items[0].done_by == coordinator_a and items[0].done_at is not None
    as_coordinator_a.post(tick, {"done": "0"})
    items[0].refresh_from_db()
    assert items[0].done_at is None
    events = AuditEvent.objects.filter(
        object_type="pathway.checklistitem", action=AuditAction.UPDATE
    )
    assert [e.detail["done"] for e in events.order_by("id")] == [True, False]


def test_patient_ticks_only_their_own_patient_items(patient_a, pathway_a, clinic_a):
    from kyphocare.accounts.access import Actor
    from kyphocare.pathway import services
    from kyphocare.patients.services import ServiceError

    me = Actor(user=patient_a.account, clinic=clinic_a, role=None, patient_id=patient_a.pk)
    own = next(i for i in pathway_a.checklist if i.patient_can_tick)
    team = next(i for i in pathway_a.checklist if not i.patient_can_tick)
    assert services.checklist_tick(actor=me, item=own, done=True).done_by == patient_a.account
    with pytest.raises(ServiceError):
        services.checklist_tick(actor=me, item=team, done=True)


def test_clinic_edits_its_checklist_template(as_admin_a, as_clinician_a, patient_a2):
    url = reverse("checklist_template")
    page = as_admin_a.get(url)
    total = page.context["formset"].total_form_count()
    data = {
        "item-TOTAL_FORMS": str(total),
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "30",
        "item-0-text": "Bring your glasses",
        "item-0-patient_can_tick": "on",
        "item-1-text": "Stop aspirin as agreed",
    }
    assert as_admin_a.post(url, data).status_code == 302
    as_clinician_a.post(reverse("checklist", args=[patient_a2.pk]))
    texts = list(
        ChecklistItem.objects.filter(patient=patient_a2).values_list("text", "patient_can_tick")
    )
    assert texts == [("Bring your glasses", True), ("Stop aspirin as agreed", False)]
    empty = {**data, "item-0-text": "", "item-1-text": ""}
    assert as_admin_a.post(url, empty).status_code == 400


def procedure_post(levels=("L1",), **overrides):
    data = {
        "performed_on": TODAY.isoformat(),
        "anaesthesia": "local_sedation",
        "duration_min": "50",
        "discharge": "same_day",
        "complications": "",
        "levels": list(levels),
        "osteoporosis_treatment": "no",
        "depression": "no",
        "major_comorbidity": "",
    }
    for level in levels:
        data.update(
            {
                f"lv-{level}-approach": "bipedicular",
                f"lv-{level}-cement_ml": "4.5",
                f"lv-{level}-leakage": "none",
            }
        )
    data.update(overrides)
    return data


def test_procedure_makes_the_plan_from_the_clinical_core(as_clinician_a, patient_a):
    as_clinician_a.post(reverse("assessment_new", args=[patient_a.pk]), assessment_post())
    response = as_clinician_a.post(
        reverse("procedure_new", args=[patient_a.pk]), procedure_post(levels=("T12", "L1"))
    )
    assert response.status_code == 302
    procedure = Procedure.objects.get()
    assert list(procedure.levels.values_list("level", flat=True)) == ["T12", "L1"]
    plan = RecoveryPlan.objects.get()
    expected = c.recovery_plan(
        c.PlanInput(
            procedure_date=TODAY,
            levels=(c.Level.T12, c.Level.L1),
            age=patient_a.age_on(TODAY),
            asa_class=None,
            genant_grade=c.GenantGrade.MODERATE,
            fracture_age_days=32,
            osteoporosis_treatment=False,
            depression=False,
            baseline_pain_nrs=7,
        )
    )
    assert plan.result == to_data(expected)
    assert set(expected.factors) == {
        c.RecoveryFactor.AGE_80_PLUS,
        c.RecoveryFactor.MULTIPLE_LEVELS,
        c.RecoveryFactor.NO_OSTEOPOROSIS_TREATMENT,
    }
    page = as_clinician_a.get(reverse("plan_detail", args=[patient_a.pk])).content.decode()
    fu = expected.follow_up_visit
    assert f"{fu.start:%-d %b %Y} – {fu.end:%-d %b %Y}" in page
    assert "This plan is an estimate" in page
    for factor in expected.factors:
        assert c.FACTOR_LABELS[factor].clinician in page
    codes = as_clinician_a.post(reverse("cpt_preview"), {"levels": ["T12", "L1"]}).content
    assert b"22513" in codes and b"22515" in codes and b"22514" not in codes


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"lv-L1-cement_ml": "16"}, "cement_ml", "0 to 15 mL"),
        ({"lv-L1-leakage": "asymptomatic"}, "leakage_site", "Say where the cement leaked"),
        ({"lv-L1-post_ha": "20"}, "post_ha", "all three heights"),
    ],
)
def test_bad_level_details_refused(as_clinician_a, patient_a, pathway_a, overrides, field, message):
    before = Procedure.objects.count()
    response = as_clinician_a.post(
        reverse("procedure_new", args=[patient_a.pk]), procedure_post(**overrides)
    )
    assert response.status_code == 400
    level_form = {lv: f for lv, f, _ in response.context["level_forms"]}["L1"]
    assert message in " ".join(level_form.errors[field])
    assert Procedure.objects.count() == before


def test_procedure_needs_a_level_and_known_fields(as_clinician_a, patient_a, pathway_a):
    url = reverse("procedure_new", args=[patient_a.pk])
    none = as_clinician_a.post(url, procedure_post(levels=()))
    assert "at least one treated level" in none.context["form"].errors["levels"][0]
    bad = as_clinician_a.post(url, procedure_post(levels=("C5",)))
    assert "levels" in bad.context["form"].errors
    assert as_clinician_a.post(url, procedure_post(duration_min="0")).status_code == 400
    assert Procedure.objects.count() == 1


def test_plan_adjustment_is_kept_with_who_and_when(
    as_clinician_a, clinician_a, patient_a, pathway_a
):
    url = reverse("plan_adjust", args=[patient_a.pk])
    start = pathway_a.procedure.performed_on + datetime.timedelta(days=20)
    end = start + datetime.timedelta(days=5)
    response = as_clinician_a.post(
        url, {"kind": "follow_up_visit", "start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 302
    adj = PlanAdjustment.objects.get()
    assert adj.made_by == clinician_a and (adj.start, adj.end) == (start, end)
    page = as_clinician_a.get(reverse("plan_detail", args=[patient_a.pk])).content.decode()
    assert f"{start:%-d %b %Y} – {end:%-d %b %Y}" in page and "changed by Clara Clinician" in page
    as_clinician_a.post(url, {"kind": "instruction", "text": "Walk twice a day"})
    printed = as_clinician_a.get(reverse("plan_print", args=[patient_a.pk])).content.decode()
    assert "Walk twice a day" in printed and "Call 911 now" in printed


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "instruction", "text": ""}, "text"),
        ({"kind": "follow_up_visit", "start": "2000-01-01", "end": "2000-01-02"}, "start"),
        ({"kind": "follow_up_visit", "start": "2999-01-05", "end": "2999-01-01"}, "end"),
        ({"kind": "holiday"}, "kind"),
    ],
)
def test_bad_plan_adjustment_changes_nothing(as_clinician_a, patient_a, pathway_a, data, field):
    response = as_clinician_a.post(reverse("plan_adjust", args=[patient_a.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PlanAdjustment.objects.exists()


def test_every_pathway_change_is_audited(clinician_a, patient_a, pathway_a, as_clinician_a):
    created = set(
        AuditEvent.objects.filter(
            patient=patient_a, action=AuditAction.CREATE, actor=clinician_a
        ).values_list("object_type", flat=True)
    )
    assert created == {
        "pathway.assessment",
        "pathway.decision",
        "pathway.checklistitem",
        "pathway.procedure",
        "pathway.recoveryplan",
    }
    as_clinician_a.post(
        reverse("plan_adjust", args=[patient_a.pk]), {"kind": "instruction", "text": "Walk daily"}
    )
    adjusted = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="pathway.recoveryplan")
    assert adjusted.detail == {"adjusted": "instruction"} and adjusted.patient == patient_a


def test_timeline_shows_codes_and_height_restoration(as_clinician_a, patient_a):
    as_clinician_a.post(reverse("assessment_new", args=[patient_a.pk]), assessment_post())
    as_clinician_a.post(
        reverse("procedure_new", args=[patient_a.pk]),
        procedure_post(**{"lv-L1-post_ha": "22", "lv-L1-post_hm": "23", "lv-L1-post_hp": "26.5"}),
    )
    expected = c.height_restoration(
        c.Morphometry(18.0, 21.0, 26.0, 27.0, 28.0), c.Morphometry(22.0, 23.0, 26.5)
    )
    page = as_clinician_a.get(reverse("patient_detail", args=[patient_a.pk])).content.decode()
    assert "<strong>22514</strong> (L1)" in page
    ha = expected.dimensions[0]
    assert f"ha +4 mm ({ha.regained_pct} % of lost height)" in page
    assert f"height loss {expected.height_loss_before_pct} % → " in page


@pytest.mark.parametrize("name", ["checklist_template", "morphometry_preview", "cpt_preview"])
def test_clinic_pages_are_staff_only(name, client, as_patient_a, as_coordinator_a):
    assert client.get(reverse(name))["Location"].startswith(reverse("login"))
    assert as_patient_a.post(reverse(name)).status_code == 404
    if name == "checklist_template":
        assert as_coordinator_a.get(reverse(name)).status_code == 403
