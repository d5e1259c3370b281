"""§8 recovery plan, §11 schedule."""

from datetime import date, timedelta

import pytest

from kyphocare.clinical import (
    FACTOR_LABELS,
    RECOVERY_PHASES,
    ClinicalInputError,
    GenantGrade,
    Instrument,
    Level,
    Phase,
    PlanInput,
    RecoveryFactor,
    phase_for_day,
    questionnaire_schedule,
    recovery_plan,
)

D0 = date(2026, 11, 20)
F = RecoveryFactor


def day(n):
    return D0 + timedelta(days=n)


def plan(**kw):
    base = {
        "procedure_date": D0,
        "levels": (Level.L1,),
        "age": 70,
        "asa_class": 2,
        "genant_grade": GenantGrade.MODERATE,
        "kyphosis_deg": 10.0,
        "fracture_age_days": 20,
        "osteoporosis_treatment": True,
        "depression": False,
    }
    base.update(kw)
    return recovery_plan(PlanInput(**base))


def test_no_factor_gives_the_typical_window_d7_d14():
    """[product rule] "Expected return to normal activities: typical window D7–D14"."""
    p = plan()
    assert p.factors == ()
    normal = p.return_to_normal_activities
    assert (normal.start_day, normal.end_day, normal.longer_recovery_likely) == (7, 14, False)
    assert (normal.window.start, normal.window.end) == (day(7), day(14))


@pytest.mark.parametrize(
    ("change", "factor"),
    [
        ({"age": 80}, F.AGE_80_PLUS),
        ({"asa_class": 3}, F.ASA_3_PLUS),
        ({"asa_class": None, "major_comorbidity": True}, F.ASA_3_PLUS),
        ({"genant_grade": GenantGrade.SEVERE}, F.SEVERE_COLLAPSE),
        ({"kyphosis_deg": 20}, F.SEVERE_COLLAPSE),
        ({"levels": (Level.T12, Level.L1)}, F.MULTIPLE_LEVELS),
        ({"fracture_age_days": 42}, F.FRACTURE_OLDER_THAN_6_WEEKS),
        ({"osteoporosis_treatment": False}, F.NO_OSTEOPOROSIS_TREATMENT),
        ({"depression": True}, F.DEPRESSION),
    ],
)
def test_each_factor_adds_seven_days(change, factor):
    """ "each factor below adds 7 days to both ends"."""
    p = plan(**change)
    assert p.factors == (factor,)
    normal = p.return_to_normal_activities
    assert (normal.start_day, normal.end_day) == (14, 21)
    assert FACTOR_LABELS[factor].patient.lower() in " ".join(p.patient_notes).lower()


@pytest.mark.parametrize(
    "change",
    [
        {"age": 79},
        {"asa_class": 2},
        {"kyphosis_deg": 19.9},
        {"genant_grade": GenantGrade.MODERATE},
        {"fracture_age_days": 41},
        {"osteoporosis_treatment": True},
    ],
)
def test_just_below_each_threshold_is_not_a_factor(change):
    assert plan(**change).factors == ()


def test_unrecorded_facts_are_not_counted_but_reported():
    p = plan(age=None, osteoporosis_treatment=None, depression=None)
    assert p.factors == ()
    assert set(p.not_recorded) >= {"age", "osteoporosis treatment", "depression"}


FOUR = {"age": 85, "asa_class": 3, "depression": True, "osteoporosis_treatment": False}


def test_four_factors_reach_d42_without_a_longer_recovery_flag():
    """ "capped at D42. If the uncapped end would pass D42, the plan says a longer recovery is
    likely" — D35–D42 does not pass D42 (SPEC-NOTE)."""
    normal = plan(**FOUR).return_to_normal_activities
    assert (normal.start_day, normal.end_day, normal.longer_recovery_likely) == (35, 42, False)


def test_five_factors_are_capped_at_d42_and_flag_a_longer_recovery():
    p = plan(**FOUR, fracture_age_days=60)
    normal = p.return_to_normal_activities
    assert len(p.factors) == 5
    assert (normal.start_day, normal.end_day, normal.longer_recovery_likely) == (42, 42, True)
    assert normal.window.end == day(42)
    assert any("talk about it with your care team" in n for n in p.patient_notes)


def test_all_seven_factors_stay_capped():
    p = plan(**FOUR, fracture_age_days=60, levels=(Level.L1, Level.L2), kyphosis_deg=25)
    assert len(p.factors) == 7
    assert p.return_to_normal_activities.end_day == 42


def test_documented_plan_example():
    """clinical-cli.md plan example: 82, T12+L1, ASA 2, Genant 3, 20 days, treated."""
    p = recovery_plan(
        PlanInput(
            procedure_date=D0,
            age=82,
            levels=(Level.T12, Level.L1),
            asa_class=2,
            genant_grade=GenantGrade.SEVERE,
            kyphosis_deg=None,
            fracture_age_days=20,
            osteoporosis_treatment=True,
            depression=False,
            baseline_pain_nrs=8,
        )
    )
    assert p.factors == (F.AGE_80_PLUS, F.SEVERE_COLLAPSE, F.MULTIPLE_LEVELS)
    assert (p.return_to_normal_activities.start_day, p.return_to_normal_activities.end_day) == (
        28,
        35,
    )
    assert p.expected_pain is not None
    assert [pt.day for pt in p.expected_pain.points] == [0, 2, 7, 14, 30, 60, 90, 180, 365]
    assert p.expected_pain.points[0].value == 8.0


def test_phases_have_dates_and_plain_advice():
    """Phases (§8): D0, D1–D2, D3–D7, D8–D42, D43–D90, D91+."""
    p = plan()
    got = [(str(ph.phase.key), ph.start, ph.end) for ph in p.phases]
    assert got == [
        ("procedure_day", day(0), day(0)),
        ("first_48_hours", day(1), day(2)),
        ("first_week", day(3), day(7)),
        ("return_to_activity", day(8), day(42)),
        ("strengthening", day(43), day(90)),
        ("long_term", day(91), None),
    ]
    for info in RECOVERY_PHASES:
        assert info.do and info.avoid and info.title.patient and info.encouragement


def test_milestones_follow_up_and_bone_health():
    """ "Follow-up at 2–4 weeks (CCP)"; "bone-health evaluation by D90"."""
    p = plan()
    assert (p.follow_up_visit.start, p.follow_up_visit.end) == (day(14), day(28))
    assert p.bone_health_by == day(90)
    assert [m.key for m in p.milestones] == [
        "light_activity",
        "follow_up_visit",
        "normal_activities",
        "bone_health",
    ]
    assert p.expected_pain is None


@pytest.mark.parametrize(
    ("n", "phase"),
    [
        (0, Phase.PROCEDURE_DAY),
        (1, Phase.FIRST_48_HOURS),
        (2, Phase.FIRST_48_HOURS),
        (3, Phase.FIRST_WEEK),
        (7, Phase.FIRST_WEEK),
        (8, Phase.RETURN_TO_ACTIVITY),
        (42, Phase.RETURN_TO_ACTIVITY),
        (43, Phase.STRENGTHENING),
        (90, Phase.STRENGTHENING),
        (91, Phase.LONG_TERM),
        (5000, Phase.LONG_TERM),
    ],
)
def test_phase_for_day(n, phase):
    assert phase_for_day(n).key is phase


def test_schedule():
    """[product rule] "NRS daily D1–D14, then weekly to D90; RMDQ at baseline (before the
    procedure), at the follow-up visit window (D14–D28), D90 and D365"."""
    items = questionnaire_schedule(D0)
    nrs = [q.day for q in items if q.instrument is Instrument.NRS]
    assert nrs == list(range(1, 15)) + [21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 90]
    rmdq = [q for q in items if q.instrument is Instrument.RMDQ]
    assert [q.day for q in rmdq] == [0, 14, 90, 365]
    assert rmdq[0].due == D0
    assert rmdq[1].window_end == day(28)
    assert [q.due for q in items] == sorted(q.due for q in items)
    assert [
        q.day
        for q in questionnaire_schedule(D0, include_baseline_rmdq=False)
        if q.instrument is Instrument.RMDQ
    ] == [14, 90, 365]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"levels": ()}, "levels"),
        ({"levels": ("S1",)}, "levels[0]"),
        ({"asa_class": 6}, "asa_class"),
        ({"genant_grade": 4}, "genant_grade"),
        ({"kyphosis_deg": -1}, "kyphosis_deg"),
        ({"baseline_pain_nrs": 11}, "baseline_pain_nrs"),
        ({"fracture_age_days": -1}, "fracture_age_days"),
        ({"depression": "no"}, "depression"),
    ],
)
def test_plan_input_checks(change, field):
    with pytest.raises(ClinicalInputError) as exc:
        plan(**change)
    assert exc.value.field == field
