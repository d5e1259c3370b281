"""Property tests: invariants that hold for every input."""

import dataclasses
import json
from datetime import date, timedelta
from io import StringIO

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyphocare import clinical
from kyphocare.clinical import (
    ABSOLUTE_CONTRAINDICATIONS,
    LEVELS,
    RULES_VERSION,
    SUMMARY_ORDER,
    AssessmentInput,
    CancerStatus,
    CheckIn,
    Contraindication,
    FractureInput,
    GenantGrade,
    ImagingModality,
    ImagingResult,
    Instrument,
    Level,
    Morphometry,
    OdiBand,
    PlanInput,
    Recommendation,
    Sign,
    Symptom,
    SymptomCourse,
    Trauma,
    WoundSign,
    assess,
    expected_course,
    genant_grade,
    grade_morphometry,
    odi_band,
    recovery_plan,
    score_odi,
    score_rmdq,
    triage,
)
from kyphocare.clinical_cli import main

# No example database: nothing is written into the working tree.
FAST = settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])

AS_OF = date(2026, 11, 21)


def maybe(strategy):
    return st.none() | strategy


imaging = maybe(
    st.builds(
        ImagingResult,
        st.sampled_from(ImagingModality),
        maybe(st.booleans()),
        st.none(),
    )
)


def fracture_for(level, *, complete=False):
    opt = (lambda s: s) if complete else maybe
    return st.builds(
        FractureInput,
        st.just(level),
        onset=opt(st.integers(0, 400).map(lambda d: AS_OF - timedelta(days=d))),
        imaging=(
            st.builds(
                ImagingResult, st.sampled_from(sorted(clinical.ADVANCED_MODALITIES)), st.booleans()
            )
            if complete
            else imaging
        ),
        height_loss_pct=opt(st.floats(0, 100)),
        kyphotic_deformity=opt(st.booleans()),
        progression=opt(st.booleans()),
        pain_correlates=opt(st.booleans()),
    )


def fractures(max_size=3, *, complete=False):
    return st.lists(
        st.sampled_from(LEVELS), unique=True, max_size=max_size, min_size=1 if complete else 0
    ).flatmap(lambda levels: st.tuples(*(fracture_for(lv, complete=complete) for lv in levels)))


def assessments(*, complete=False, contraindications=None, max_fractures=3):
    opt = (lambda s: s) if complete else maybe
    return st.builds(
        AssessmentInput,
        as_of=st.just(AS_OF),
        fractures=fractures(max_fractures, complete=complete),
        age=st.integers(18, 100) if complete else maybe(st.integers(0, 130)),
        signs=st.frozensets(st.sampled_from(Sign)),
        pain_nrs=opt(st.integers(0, 10)),
        hospitalized_for_pain=opt(st.booleans()),
        nsm_tried=opt(st.booleans()),
        symptom_course=opt(st.sampled_from(SymptomCourse)),
        rmdq=opt(st.integers(0, 24)),
        cancer=st.just(CancerStatus.NONE) if complete else maybe(st.sampled_from(CancerStatus)),
        trauma=(
            st.sampled_from([Trauma.NONE, Trauma.LOW_ENERGY])
            if complete
            else maybe(st.sampled_from(Trauma))
        ),
        contraindications=(
            contraindications
            if contraindications is not None
            else st.frozensets(st.sampled_from(Contraindication))
        ),
    )


def favour(recommendation):
    """Higher is more favourable: appropriate 3 … not_indicated 0."""
    return len(SUMMARY_ORDER) - 1 - SUMMARY_ORDER.index(recommendation)


# --- an absolute contraindication never yields appropriate ------------------------------------


@FAST
@given(
    assessments(
        contraindications=st.tuples(
            st.sampled_from(sorted(ABSOLUTE_CONTRAINDICATIONS)),
            st.frozensets(st.sampled_from(Contraindication)),
        ).map(lambda t: t[1] | {t[0]})
    )
)
def test_absolute_contraindication_never_yields_appropriate(inp):
    result = assess(inp)
    assert result.recommendation is not Recommendation.APPROPRIATE
    assert all(f.recommendation is not Recommendation.APPROPRIATE for f in result.fractures)
    assert result.contraindications.absolute


# --- adding an unfavourable condition never makes a recommendation less favourable -----------


def with_condition(inp, which):
    """The same input with one more unfavourable condition present at every fracture."""
    if which == "rmdq":
        return dataclasses.replace(inp, rmdq=max(inp.rmdq or 0, 18))
    changed = []
    for fx in inp.fractures:
        if which == "height":
            fx = dataclasses.replace(fx, height_loss_pct=max(fx.height_loss_pct or 0, 30.0))
        else:
            fx = dataclasses.replace(fx, **{which: True})
        changed.append(fx)
    return dataclasses.replace(inp, fractures=tuple(changed))


CONDITIONS = st.sampled_from(["rmdq", "height", "kyphotic_deformity", "progression"])


@FAST
@given(assessments(complete=True, contraindications=st.just(frozenset())), CONDITIONS)
def test_more_unfavourable_conditions_never_less_favourable_on_complete_facts(inp, which):
    before, after = assess(inp), assess(with_condition(inp, which))
    assert favour(after.recommendation) >= favour(before.recommendation)
    for b, a in zip(before.fractures, after.fractures, strict=True):
        assert b.recommendation is not Recommendation.INCOMPLETE
        assert favour(a.recommendation) >= favour(b.recommendation)


@FAST
@given(assessments(max_fractures=2), CONDITIONS)
def test_more_unfavourable_conditions_never_narrow_the_possible_results_downward(inp, which):
    """With facts missing, the best and the worst result still possible never get worse."""
    before, after = assess(inp), assess(with_condition(inp, which))
    for b, a in zip(before.fractures, after.fractures, strict=True):
        assert b.possible and a.possible
        assert max(map(favour, a.possible)) >= max(map(favour, b.possible))
        assert min(map(favour, a.possible)) >= min(map(favour, b.possible))
        if b.recommendation not in SUMMARY_ORDER:  # a patient-level stop stays the same
            assert a.recommendation is b.recommendation


# --- adding a symptom never lowers the triage level -------------------------------------------

checkins = st.builds(
    CheckIn,
    day=st.integers(0, 400),
    pain_nrs=maybe(st.integers(0, 10)),
    baseline_pain_nrs=maybe(st.integers(0, 10)),
    previous_pain_nrs=maybe(st.integers(0, 10)),
    temperature_c=maybe(st.floats(30, 45)),
    symptoms=st.frozensets(st.sampled_from(Symptom)),
    wound=st.frozensets(st.sampled_from(WoundSign)),
    walking=maybe(st.booleans()),
    opioid_use=maybe(st.booleans()),
    rmdq=maybe(st.integers(0, 24)),
    baseline_rmdq=maybe(st.integers(0, 24)),
)


@FAST
@given(checkins, st.sampled_from(Symptom) | st.sampled_from(WoundSign))
def test_adding_a_symptom_never_lowers_the_level(checkin, extra):
    before = triage(checkin)
    if isinstance(extra, Symptom):
        more = dataclasses.replace(checkin, symptoms=checkin.symptoms | {extra})
    else:
        more = dataclasses.replace(checkin, wound=checkin.wound | {extra})
    after = triage(more)
    assert after.level.rank >= before.level.rank
    assert {r.code for r in before.reasons} <= {r.code for r in after.reasons}
    assert after.level.rank == max((r.level.rank for r in after.reasons), default=0)
    assert after.patient_message


# --- scores and grades stay in range ---------------------------------------------------------

heights = st.floats(0.01, 59.99)


@FAST
@given(heights, heights, heights, maybe(heights), maybe(heights))
def test_morphometry_stays_in_range(ha, hm, hp, above, below):
    result = grade_morphometry(Morphometry(ha, hm, hp, above, below))
    assert 0 <= result.height_loss_pct <= 100
    assert result.genant_grade in set(GenantGrade)
    assert result.genant_grade == genant_grade(result.height_loss_pct)
    assert round(result.height_loss_pct, 1) == result.height_loss_pct


@FAST
@given(
    st.lists(st.integers(0, 5), min_size=10, max_size=10),
    st.sets(st.integers(0, 9), max_size=2),
)
def test_odi_stays_in_range(scores, unanswered):
    sections = [None if i in unanswered else v for i, v in enumerate(scores)]
    result = score_odi(sections)
    assert 0 <= result.score_pct <= 100
    assert 8 <= result.answered <= 10
    assert result.band is odi_band(result.score_pct)
    assert result.band in set(OdiBand)


@FAST
@given(st.sets(st.integers(1, 24)))
def test_rmdq_stays_in_range(ticked):
    result = score_rmdq(sorted(ticked))
    assert 0 <= result.score == len(ticked) <= 24


@FAST
@given(st.integers(0, 10), st.integers(0, 800))
def test_expected_pain_stays_between_zero_and_baseline(baseline, day):
    course = expected_course(Instrument.NRS, baseline, [day])
    assert 0 <= course.points[0].value <= baseline


# --- every output names rules_version ---------------------------------------------------------

RESULT_TYPES = [
    clinical.ProbabilityResult,
    clinical.ImagingAdviceResult,
    clinical.FractureAge,
    clinical.MorphometryResult,
    clinical.HeightRestoration,
    clinical.Assessment,
    clinical.FractureAssessment,
    clinical.CodingResult,
    clinical.RecoveryPlan,
    clinical.ExpectedCourse,
    clinical.ChangeResult,
    clinical.RmdqScore,
    clinical.OdiScore,
    clinical.TriageResult,
    clinical.MissedCheckins,
]


def test_every_core_result_type_names_rules_version():
    assert RULES_VERSION == "2026.1"
    for kind in RESULT_TYPES:
        field = {f.name: f for f in dataclasses.fields(kind)}["rules_version"]
        assert field.default == RULES_VERSION, kind.__name__
        assert kind.__dataclass_params__.frozen, kind.__name__


@FAST
@given(assessments(max_fractures=2))
def test_assessment_results_name_rules_version(inp):
    result = assess(inp)
    assert result.rules_version == RULES_VERSION
    assert result.probability.rules_version == result.imaging.rules_version == RULES_VERSION
    assert all(f.rules_version == RULES_VERSION for f in result.fractures)
    assert all(f.reasons for f in result.fractures)


@FAST
@given(
    st.lists(st.sampled_from(LEVELS), unique=True, min_size=1, max_size=5),
    maybe(st.integers(0, 130)),
    maybe(st.integers(0, 10)),
)
def test_plan_names_rules_version(levels, age, pain):
    p = recovery_plan(
        PlanInput(procedure_date=AS_OF, levels=tuple(levels), age=age, baseline_pain_nrs=pain)
    )
    assert p.rules_version == RULES_VERSION
    assert p.expected_pain is None or p.expected_pain.rules_version == RULES_VERSION


def run_cli(argv, payload):
    out, err = StringIO(), StringIO()
    code = main(argv, stdin=StringIO(json.dumps(payload)), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@FAST
@given(
    st.sampled_from(
        [
            (["grade", "-"], st.fixed_dictionaries({"ha": heights, "hm": heights, "hp": heights})),
            (
                ["score", "rmdq", "-"],
                st.fixed_dictionaries({"ticked": st.sets(st.integers(1, 24)).map(sorted)}),
            ),
            (
                ["codes", "-"],
                st.fixed_dictionaries(
                    {
                        "levels": st.lists(
                            st.sampled_from([str(lv) for lv in Level]),
                            unique=True,
                            min_size=1,
                            max_size=4,
                        )
                    }
                ),
            ),
            (
                ["triage", "-"],
                st.fixed_dictionaries(
                    {"day": st.integers(0, 400)},
                    optional={
                        "pain_nrs": st.integers(0, 10),
                        "symptoms": st.lists(
                            st.sampled_from([s.value for s in Symptom]), unique=True
                        ),
                        "temperature_c": st.floats(30, 45),
                    },
                ),
            ),
        ]
    ).flatmap(lambda pair: st.tuples(st.just(pair[0]), pair[1]))
)
def test_every_cli_output_names_rules_version(case):
    argv, payload = case
    code, out, err = run_cli(argv, payload)
    assert (code, err) == (0, "")
    assert json.loads(out)["rules_version"] == RULES_VERSION
