"""§6 Appropriateness of kyphoplasty: per-fracture recommendation and patient summary."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from kyphocare.clinical import (
    ABSOLUTE_CONTRAINDICATIONS,
    CONTRAINDICATION_LABELS,
    RELATIVE_CONTRAINDICATIONS,
    AssessmentInput,
    CancerStatus,
    ClinicalInputError,
    Contraindication,
    Criterion,
    FractureInput,
    ImagingAdvice,
    ImagingModality,
    ImagingResult,
    Level,
    MissingFact,
    Morphometry,
    Recommendation,
    SymptomCourse,
    Trauma,
    UnfavorableCondition,
    assess,
)

AS_OF = date(2026, 11, 21)
R = Recommendation


def fracture(level="L1", **kw):
    base = {
        "onset": AS_OF - timedelta(days=30),
        "imaging": ImagingResult(ImagingModality.MRI, True, AS_OF - timedelta(days=20)),
        "height_loss_pct": 30.0,
        "kyphotic_deformity": False,
        "progression": False,
        "pain_correlates": True,
    }
    base.update(kw)
    return FractureInput(Level(level), **base)


def patient(*fractures, **kw):
    base = {
        "age": 78,
        "pain_nrs": 7,
        "hospitalized_for_pain": False,
        "nsm_tried": True,
        "symptom_course": SymptomCourse.STABLE,
        "rmdq": 18,
        "cancer": CancerStatus.NONE,
        "trauma": Trauma.LOW_ENERGY,
    }
    base.update(kw)
    return AssessmentInput(as_of=AS_OF, fractures=fractures or (fracture(),), **base)


def one(inp):
    result = assess(inp)
    assert len(result.fractures) == 1
    return result, result.fractures[0]


# --- appropriate -----------------------------------------------------------------------------


def test_documented_example_is_appropriate():
    """clinical-cli.md assess example: appropriate, 30.8 %, grade 2, 32 days,
    unfavourable conditions height_loss_over_25 and rmdq_over_17."""
    inp = AssessmentInput(
        as_of=AS_OF,
        age=78,
        signs=frozenset(),
        pain_nrs=7,
        hospitalized_for_pain=False,
        nsm_tried=True,
        symptom_course=SymptomCourse.STABLE,
        rmdq=18,
        cancer=CancerStatus.NONE,
        trauma=Trauma.LOW_ENERGY,
        fractures=(
            FractureInput(
                Level.L1,
                onset=date(2026, 10, 20),
                imaging=ImagingResult(ImagingModality.MRI, True, date(2026, 10, 28)),
                morphometry=Morphometry(18.0, 21.0, 26.0, 27.0, 28.0),
                kyphotic_deformity=False,
                progression=False,
                pain_correlates=True,
            ),
        ),
    )
    result, f = one(inp)
    assert result.recommendation is R.APPROPRIATE
    assert result.levels == (Level.L1,)
    assert (f.age_days, f.height_loss_pct, int(f.genant_grade)) == (32, 30.8, 2)
    assert f.unfavorable_conditions == (
        UnfavorableCondition.HEIGHT_LOSS_OVER_25,
        UnfavorableCondition.RMDQ_OVER_17,
    )
    assert all(f.criteria[c] is True for c in Criterion)
    assert f.missing == () and result.missing == ()
    assert result.imaging_advice is ImagingAdvice.DONE


def test_d2_worsening_needs_no_unfavourable_condition():
    """D2: "pain NRS ≥ 5 despite optimal non-surgical management, and either the pain is
    worsening, or ..."."""
    _, f = one(
        patient(fracture(height_loss_pct=10.0), rmdq=5, symptom_course=SymptomCourse.WORSENING)
    )
    assert f.recommendation is R.APPROPRIATE
    assert f.unfavorable_conditions == ()


@pytest.mark.parametrize(("nrs", "expected"), [(7, R.NOT_INDICATED), (8, R.APPROPRIATE)])
def test_d1_hospitalised_needs_nrs_8(nrs, expected):
    """D1: "hospitalised because of the fracture pain, with pain NRS ≥ 8"."""
    inp = patient(
        fracture(height_loss_pct=10.0),
        rmdq=5,
        pain_nrs=nrs,
        hospitalized_for_pain=True,
        nsm_tried=False,
        symptom_course=SymptomCourse.IMPROVING,
    )
    _, f = one(inp)
    assert f.recommendation is expected
    assert f.criteria[Criterion.D_SEVERITY] is (expected is R.APPROPRIATE)


@pytest.mark.parametrize(("nrs", "expected"), [(4, R.NOT_INDICATED), (5, R.APPROPRIATE)])
def test_d2_needs_nrs_5(nrs, expected):
    """D2: "pain NRS ≥ 5 despite optimal non-surgical management"; §6.4 reason "NRS < 5"."""
    _, f = one(patient(pain_nrs=nrs, symptom_course=SymptomCourse.WORSENING))
    assert f.recommendation is expected
    if expected is R.NOT_INDICATED:
        assert "Pain NRS below 5." in f.reasons


@pytest.mark.parametrize(("rmdq", "over"), [(17, False), (18, True)])
def test_rmdq_over_17(rmdq, over):
    """Unfavourable condition "RMDQ > 17"."""
    _, f = one(patient(rmdq=rmdq))
    assert (UnfavorableCondition.RMDQ_OVER_17 in f.unfavorable_conditions) is over
    assert f.recommendation is (R.APPROPRIATE if over else R.UNCERTAIN)


@pytest.mark.parametrize(("loss", "over"), [(25.0, False), (25.04, False), (25.1, True)])
def test_height_loss_over_25(loss, over):
    """Unfavourable condition "height loss > 25 %" (on the value rounded to one decimal)."""
    _, f = one(patient(fracture(height_loss_pct=loss)))
    assert (UnfavorableCondition.HEIGHT_LOSS_OVER_25 in f.unfavorable_conditions) is over


@pytest.mark.parametrize(
    ("days", "expected"), [(41, R.APPROPRIATE), (84, R.APPROPRIATE), (85, R.UNCERTAIN)]
)
def test_criterion_a_acute_or_subacute(days, expected):
    """A: "the fracture is acute or subacute (≤ 84 days)"; a chronic fracture with NRS ≥ 7 and
    oedema is uncertain (§6.4 4b)."""
    _, f = one(patient(fracture(onset=AS_OF - timedelta(days=days))))
    assert f.recommendation is expected
    assert f.criteria[Criterion.A_FRACTURE_AGE] is (days <= 84)


# --- uncertain -------------------------------------------------------------------------------


def test_uncertain_a_one_unfavourable_condition_while_stable():
    """4(a): "B and C met, NRS ≥ 5, and ... exactly one unfavourable condition while
    stable/improving"."""
    _, f = one(patient(rmdq=10, symptom_course=SymptomCourse.IMPROVING, pain_nrs=5))
    assert f.recommendation is R.UNCERTAIN
    assert f.unfavorable_conditions == (UnfavorableCondition.HEIGHT_LOSS_OVER_25,)
    assert any("only one unfavourable condition" in r for r in f.reasons)


def test_uncertain_b_chronic_with_nrs_7_and_oedema():
    """4(b): "chronic fracture with NRS ≥ 7 and imaging still showing oedema"."""
    _, f = one(patient(fracture(onset=AS_OF - timedelta(days=120)), pain_nrs=7))
    assert f.recommendation is R.UNCERTAIN
    assert f.criteria[Criterion.A_FRACTURE_AGE] is False
    assert any("chronic fracture" in r for r in f.reasons)


# --- not indicated ---------------------------------------------------------------------------


@pytest.mark.parametrize("unfavourable_rmdq", [5, 20])
def test_chronic_with_nrs_6_or_less_is_not_indicated(unfavourable_rmdq):
    """§6.4 5: "chronic fracture with NRS ≤ 6 (NASS)" — even with one unfavourable condition
    (SPEC-NOTE: uncertain (a) needs criterion A)."""
    inp = patient(
        fracture(onset=AS_OF - timedelta(days=100), height_loss_pct=10.0),
        pain_nrs=6,
        rmdq=unfavourable_rmdq,
    )
    _, f = one(inp)
    assert f.recommendation is R.NOT_INDICATED
    assert any("NASS" in r for r in f.reasons)


def test_imaging_negative_for_acuity_is_not_indicated():
    """§6.4 5: "imaging negative for acuity"."""
    _, f = one(patient(fracture(imaging=ImagingResult(ImagingModality.MRI, False))))
    assert f.recommendation is R.NOT_INDICATED
    assert f.criteria[Criterion.B_IMAGING] is False
    assert any("does not show an acute fracture" in r for r in f.reasons)


def test_nsm_not_tried_and_not_hospitalised_is_not_indicated():
    """§6.4 5: "non-surgical management not yet tried and not hospitalised"."""
    _, f = one(patient(nsm_tried=False, symptom_course=SymptomCourse.WORSENING))
    assert f.recommendation is R.NOT_INDICATED
    assert any("Non-surgical management not yet tried" in r for r in f.reasons)


def test_hospitalisation_counts_as_non_surgical_management():
    """SPEC-NOTE: the NSM premise of D2 is met when hospitalised for the pain."""
    _, f = one(
        patient(
            nsm_tried=False,
            hospitalized_for_pain=True,
            pain_nrs=6,
            symptom_course=SymptomCourse.WORSENING,
        )
    )
    assert f.recommendation is R.APPROPRIATE


def test_stable_with_no_unfavourable_condition_is_not_indicated():
    """§6.4 5: "stable/improving with no unfavourable condition"."""
    _, f = one(patient(fracture(height_loss_pct=10.0), rmdq=5))
    assert f.recommendation is R.NOT_INDICATED
    assert "Pain stable or improving with no unfavourable condition." in f.reasons


def test_pain_not_matching_the_level_is_not_indicated():
    """C: "the clinician confirms the pain matches that level"."""
    _, f = one(patient(fracture(pain_correlates=False)))
    assert f.recommendation is R.NOT_INDICATED
    assert f.criteria[Criterion.C_CORRELATION] is False


def test_not_indicated_patient_gets_the_non_surgical_branch_and_a_reassessment_window():
    """§6.5: "Follow-up at 2–4 weeks ...; re-run the assessment then"."""
    result, _ = one(patient(pain_nrs=3))
    assert result.recommendation is R.NOT_INDICATED
    assert result.reassessment is not None
    assert result.reassessment.start == AS_OF + timedelta(days=14)
    assert result.reassessment.end == AS_OF + timedelta(days=28)
    assert any("physical therapy" in s for s in result.next_steps)


# --- incomplete ------------------------------------------------------------------------------


def test_no_imaging_is_incomplete_with_obtain_mri():
    """§6.4 2: "incomplete: a fact needed to decide is missing (no imaging result ...); list
    each under missing with the next step (e.g. 'obtain MRI')"."""
    result, f = one(patient(fracture(imaging=None)))
    assert f.recommendation is R.INCOMPLETE
    assert f.missing_facts == (MissingFact.IMAGING,)
    assert "obtain MRI" in f.missing[0] and f.missing[0].startswith("L1 imaging")
    assert result.recommendation is R.INCOMPLETE
    assert result.missing == f.missing
    assert f.criteria[Criterion.B_IMAGING] is None
    assert result.imaging_advice is ImagingAdvice.MRI_INDICATED  # NRS 7 is severe


def test_xray_cannot_confirm_acuity():
    """B: only MRI, CT or bone scan confirm acuity; an X-ray leaves B unknown."""
    _, f = one(patient(fracture(imaging=ImagingResult(ImagingModality.XRAY, True))))
    assert f.recommendation is R.INCOMPLETE
    assert "only an X-ray" in f.missing[0]


@pytest.mark.parametrize("modality", [ImagingModality.CT, ImagingModality.BONE_SCAN])
def test_ct_and_bone_scan_confirm_acuity(modality):
    _, f = one(patient(fracture(imaging=ImagingResult(modality, True))))
    assert f.recommendation is R.APPROPRIATE


def test_pending_result_is_missing():
    _, f = one(patient(fracture(imaging=ImagingResult(ImagingModality.MRI, None))))
    assert f.recommendation is R.INCOMPLETE
    assert "result is not recorded" in f.missing[0]


@pytest.mark.parametrize(
    ("change", "fact"),
    [
        ({"onset": None}, MissingFact.ONSET),
        ({"pain_correlates": None}, MissingFact.PAIN_CORRELATES),
    ],
)
def test_missing_fracture_facts(change, fact):
    _, f = one(patient(fracture(**change)))
    assert f.recommendation is R.INCOMPLETE
    assert f.missing_facts == (fact,)


def test_missing_pain_score():
    _, f = one(patient(pain_nrs=None))
    assert f.recommendation is R.INCOMPLETE
    assert MissingFact.PAIN_NRS in f.missing_facts


def test_a_missing_fact_that_cannot_change_the_result_is_not_needed():
    """SPEC-NOTE: not_indicated wins over incomplete when a recorded fact already rules
    kyphoplasty out (NRS 3: no missing fact could make it appropriate or uncertain)."""
    _, f = one(patient(fracture(imaging=None, onset=None), pain_nrs=3))
    assert f.recommendation is R.NOT_INDICATED
    assert f.missing == ()
    assert "Pain NRS below 5." in f.reasons
    assert any(r.startswith("Not recorded, but not needed") for r in f.reasons)


def test_course_missing_with_two_unfavourable_conditions_still_meets_d2():
    """SPEC-NOTE: with ≥ 2 unfavourable conditions D2 holds whatever the course."""
    _, f = one(patient(symptom_course=None))
    assert f.recommendation is R.APPROPRIATE
    assert f.criteria[Criterion.D_SEVERITY] is True


def test_course_missing_with_fewer_conditions_is_incomplete():
    _, f = one(patient(symptom_course=None, rmdq=5))
    assert f.recommendation is R.INCOMPLETE
    assert f.missing_facts == (MissingFact.SYMPTOM_COURSE,)
    assert f.possible == (R.APPROPRIATE, R.UNCERTAIN)


def test_unneeded_hospital_stay_is_not_missing():
    _, f = one(patient(hospitalized_for_pain=None))
    assert f.recommendation is R.APPROPRIATE


@pytest.mark.parametrize("field", ["age", "trauma", "cancer"])
def test_scope_facts_missing_make_it_incomplete(field):
    result, f = one(patient(**{field: None}))
    assert result.recommendation is R.INCOMPLETE
    assert f.missing_facts == (MissingFact(field),)


def test_no_fracture_recorded_is_incomplete():
    result = assess(AssessmentInput(as_of=AS_OF, age=70, pain_nrs=8))
    assert result.recommendation is R.INCOMPLETE
    assert result.missing_facts[0] is MissingFact.FRACTURES
    assert result.levels == ()
    assert result.imaging_advice is ImagingAdvice.MRI_INDICATED


# --- scope and contraindications --------------------------------------------------------------


@pytest.mark.parametrize(("age", "expected"), [(17, R.OUT_OF_SCOPE), (18, R.APPROPRIATE)])
def test_under_18_is_out_of_scope(age, expected):
    """§6.1: "age < 18 → out_of_scope"."""
    result, f = one(patient(age=age))
    assert result.recommendation is expected
    assert f.recommendation is expected


def test_high_energy_trauma_is_out_of_scope():
    """§6.1: "high-energy trauma → out_of_scope (refer to spine surgery)"."""
    result, _ = one(patient(trauma=Trauma.HIGH_ENERGY))
    assert result.recommendation is R.OUT_OF_SCOPE
    assert "Refer to spine surgery." in result.next_steps


@pytest.mark.parametrize("cancer", [CancerStatus.SUSPECTED, CancerStatus.KNOWN])
def test_malignancy_needs_specialist_review(cancer):
    """§6.1: "known or suspected malignancy → specialist_review"."""
    result, _ = one(patient(cancer=cancer))
    assert result.recommendation is R.SPECIALIST_REVIEW


@pytest.mark.parametrize("item", sorted(ABSOLUTE_CONTRAINDICATIONS))
def test_each_absolute_contraindication(item):
    """§6.2: "Absolute → contraindicated"."""
    result, f = one(patient(contraindications=frozenset({item})))
    assert result.recommendation is R.CONTRAINDICATED
    assert f.recommendation is R.CONTRAINDICATED
    assert result.contraindications.absolute == (item,)
    assert CONTRAINDICATION_LABELS[item].clinician in " ".join(result.reasons)


@pytest.mark.parametrize("item", sorted(RELATIVE_CONTRAINDICATIONS))
def test_each_relative_contraindication_keeps_the_result_but_requires_review(item):
    """§6.2: "Relative → the recommendation stands, but it carries requires_review: true and
    lists them"."""
    result, _ = one(patient(contraindications=frozenset({item})))
    assert result.recommendation is R.APPROPRIATE
    assert result.requires_review
    assert result.contraindications.relative == (item,)


def test_stop_precedence_out_of_scope_then_specialist_then_contraindicated():
    """§6.1 scope is "checked first" (SPEC-NOTE on the order)."""
    every = {"contraindications": frozenset({Contraindication.PREGNANCY})}
    assert one(patient(age=16, cancer=CancerStatus.KNOWN, **every))[0].recommendation is (
        R.OUT_OF_SCOPE
    )
    result, _ = one(patient(cancer=CancerStatus.KNOWN, **every))
    assert result.recommendation is R.SPECIALIST_REVIEW
    assert result.contraindications.absolute == (Contraindication.PREGNANCY,)
    assert any("Absolute contraindication" in r for r in result.reasons)


@pytest.mark.parametrize(("count", "flagged"), [(3, False), (4, True)])
def test_more_than_three_levels_is_derived(count, flagged):
    """§6.2: "more than 3 levels in one procedure (more_than_three_levels, derived)"."""
    levels = ["T11", "T12", "L1", "L2"][:count]
    result = assess(patient(*(fracture(lv) for lv in levels)))
    assert result.recommendation is R.APPROPRIATE
    assert (Contraindication.MORE_THAN_THREE_LEVELS in result.contraindications.relative) is (
        flagged
    )
    assert result.requires_review is flagged


# --- patient summary -------------------------------------------------------------------------

NOT_INDICATED = {"pain_correlates": False}
INCOMPLETE = {"imaging": None}
UNCERTAIN = {"onset": AS_OF - timedelta(days=120)}


@pytest.mark.parametrize(
    ("kinds", "summary", "levels"),
    [
        # "the most favourable per-fracture result in the order appropriate > uncertain >
        # incomplete > not_indicated ... the levels that qualify are listed."
        ([{}, UNCERTAIN], R.APPROPRIATE, ["T12"]),
        ([UNCERTAIN, INCOMPLETE], R.UNCERTAIN, ["T12"]),
        ([NOT_INDICATED, INCOMPLETE], R.INCOMPLETE, ["L1"]),
        ([NOT_INDICATED, NOT_INDICATED], R.NOT_INDICATED, ["T12", "L1"]),
        ([{}, {}], R.APPROPRIATE, ["T12", "L1"]),
    ],
)
def test_summary_takes_the_most_favourable_result(kinds, summary, levels):
    fractures = [fracture(lv, **k) for lv, k in zip(["T12", "L1"], kinds, strict=True)]
    result = assess(patient(*fractures))
    assert result.recommendation is summary
    assert [str(lv) for lv in result.levels] == levels


def test_patient_level_stop_overrides_an_appropriate_fracture():
    """ "unless a patient-level result (6.1, 6.2 absolute) overrides it"."""
    result = assess(
        patient(
            fracture("T12"),
            fracture("L1", **NOT_INDICATED),
            contraindications=frozenset({Contraindication.SYSTEMIC_INFECTION}),
        )
    )
    assert result.recommendation is R.CONTRAINDICATED
    assert [f.recommendation for f in result.fractures] == [R.CONTRAINDICATED] * 2
    assert result.levels == (Level.T12, Level.L1)


# --- input checks ----------------------------------------------------------------------------


def test_duplicate_level_is_rejected():
    with pytest.raises(ClinicalInputError, match=r"fractures\[1\].level: 'L1' is listed twice"):
        patient(fracture("L1"), fracture("L1"))


def test_onset_after_as_of_is_rejected_with_its_path():
    with pytest.raises(ClinicalInputError, match=r"fractures\[0\].onset: must be on or before"):
        patient(fracture(onset=AS_OF + timedelta(days=1)))


@pytest.mark.parametrize(
    ("field", "value"),
    [("age", 131), ("pain_nrs", 11), ("rmdq", 25), ("pain_nrs", True), ("age", 70.0)],
)
def test_out_of_range_and_wrong_types_are_rejected(field, value):
    with pytest.raises(ClinicalInputError) as exc:
        patient(**{field: value})
    assert exc.value.field == field


def test_morphometry_wins_over_a_given_height_loss():
    _, f = one(
        patient(
            fracture(height_loss_pct=10.0, morphometry=Morphometry(18.0, 21.0, 26.0, 27.0, 28.0))
        )
    )
    assert f.height_loss_pct == 30.8
    assert any("morphometry value is used" in r for r in f.reasons)


def test_every_result_lists_each_criterion_in_words():
    result, f = one(patient())
    text = " ".join(f.reasons)
    for prefix in (
        "A fracture age: met",
        "B imaging: met",
        "C correlation: met",
        "D severity: met",
    ):
        assert prefix in text
    assert result.rules_version == f.rules_version == "2026.1"
    assert replace(result).rules_version == "2026.1"


def test_onset_not_needed_when_both_uncertain_routes_apply():
    """NRS 7, one unfavourable condition, stable: (a) if acute/subacute, (b) if chronic —
    uncertain either way, so the missing onset is not needed."""
    _, f = one(patient(fracture(onset=None), rmdq=5))
    assert f.recommendation is R.UNCERTAIN
    assert f.possible == (R.UNCERTAIN,)
    assert f.criteria[Criterion.A_FRACTURE_AGE] is None
    assert "Not recorded, but not needed for this result: onset." in f.reasons
