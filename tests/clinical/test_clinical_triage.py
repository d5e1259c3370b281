"""§10 check-in triage."""

import pytest

from kyphocare.clinical import (
    DERIVED_LABELS,
    SYMPTOM_LABELS,
    SYMPTOM_LEVELS,
    WOUND_LABELS,
    CheckIn,
    ClinicalInputError,
    ReasonCode,
    Symptom,
    TriageLevel,
    WoundSign,
    fahrenheit_to_celsius,
    missed_checkins,
    patient_message,
    triage,
)

L = TriageLevel

EMERGENCY = [
    Symptom.CHEST_PAIN,
    Symptom.SHORTNESS_OF_BREATH,
    Symptom.COUGHING_BLOOD,
    Symptom.FAINTING,
    Symptom.BLADDER_BOWEL_LOSS,
    Symptom.LEG_PARALYSIS,
    Symptom.SEVERE_LIMB_NUMBNESS,
]
URGENT = [
    Symptom.FEVER_CHILLS,
    Symptom.NEW_NUMBNESS_TINGLING,
    Symptom.NEW_WEAKNESS,
    Symptom.NEW_BACK_PAIN,
    Symptom.FALL,
    Symptom.POSITIONAL_HEADACHE,
]


def run(**kw):
    kw.setdefault("day", 5)
    return triage(CheckIn(**kw))


def codes(result):
    return [(str(r.code), str(r.level)) for r in result.reasons]


def test_every_key_has_words_for_patients_and_clinicians():
    assert set(SYMPTOM_LABELS) == set(Symptom) == set(SYMPTOM_LEVELS)
    assert set(WOUND_LABELS) == set(WoundSign)
    for label in [*SYMPTOM_LABELS.values(), *WOUND_LABELS.values(), *DERIVED_LABELS.values()]:
        assert label.patient and label.clinician


@pytest.mark.parametrize("symptom", EMERGENCY)
def test_emergency_symptoms(symptom):
    """ "emergency — call emergency services now: chest_pain, shortness_of_breath (sudden or
    severe), coughing_blood, fainting, bladder_bowel_loss, leg_paralysis,
    severe_limb_numbness"."""
    result = run(symptoms=frozenset({symptom}))
    assert result.level is L.EMERGENCY
    assert codes(result) == [(symptom.value, "emergency")]
    assert result.patient_message.startswith("Call 911 now.")


def test_emergency_number_is_configurable():
    result = triage(
        CheckIn(day=1, symptoms=frozenset({Symptom.CHEST_PAIN})), emergency_number="112"
    )
    assert result.patient_message.startswith("Call 112 now.")
    with pytest.raises(ClinicalInputError, match="emergency_number"):
        patient_message(L.EMERGENCY, 1, emergency_number=" ")


@pytest.mark.parametrize("symptom", URGENT)
def test_urgent_symptoms(symptom):
    """ "urgent — contact the care team today"."""
    result = run(symptoms=frozenset({symptom}))
    assert result.level is L.URGENT
    assert codes(result) == [(symptom.value, "urgent")]
    assert "call your care team today" in result.patient_message


@pytest.mark.parametrize("sign", list(WoundSign))
def test_wound_signs_are_urgent(sign):
    """ "wound redness, swelling, warmth, drainage, red_streaks, bleeding" → urgent."""
    result = run(wound=frozenset({sign}))
    assert result.level is L.URGENT
    assert codes(result) == [(sign.value, "urgent")]


@pytest.mark.parametrize(("temp", "fever"), [(37.9, False), (38.0, True), (39.5, True)])
def test_fever_at_38_0_inclusive(temp, fever):
    """ "temperature ≥ 38.0 °C (100.4 °F)"."""
    result = run(temperature_c=temp)
    assert (("fever", "urgent") in codes(result)) is fever


def test_fahrenheit_conversion():
    assert fahrenheit_to_celsius(100.4) == 38.0
    assert fahrenheit_to_celsius(100.3) == 37.94
    assert run(temperature_c=fahrenheit_to_celsius(100.4)).level is L.URGENT


@pytest.mark.parametrize(("previous", "spike"), [(5, False), (4, True)])
def test_pain_spike_of_3_points(previous, spike):
    """ "a pain rise of ≥ 3 points over the previous check-in" [product rule]."""
    result = run(pain_nrs=7, previous_pain_nrs=previous)
    assert (("pain_spike", "urgent") in codes(result)) is spike


@pytest.mark.parametrize(
    ("day", "baseline", "pain", "flag"),
    [
        (6, 8, 8, False),  # before day 7: not checked
        (7, 8, 7, True),  # 8 → 7: < 2 points and < 30 %
        (7, 8, 6, False),  # 8 → 6: 2 points
        (10, 8, 2, False),
        (30, 4, 3, True),  # 4 → 3: 1 point, 25 %
        (30, 3, 2, False),  # 3 → 2: 1 point but 33 %
    ],
)
def test_no_meaningful_improvement_from_day_7(day, baseline, pain, flag):
    """ "no meaningful improvement by day 7 or later: NRS drop from baseline < 2 points and
    < 30 %"."""
    result = run(day=day, pain_nrs=pain, baseline_pain_nrs=baseline)
    assert (("no_meaningful_improvement", "review") in codes(result)) is flag


def test_no_meaningful_improvement_needs_a_baseline():
    assert run(day=9, pain_nrs=8).level is L.NONE


@pytest.mark.parametrize(("day", "flag"), [(14, False), (15, True)])
def test_opioid_after_day_14(day, flag):
    """ "opioid use still reported after day 14"."""
    result = run(day=day, opioid_use=True)
    assert (("opioid_after_day_14", "review") in codes(result)) is flag


@pytest.mark.parametrize(("day", "flag"), [(2, False), (3, True)])
def test_not_walking_on_or_after_day_3(day, flag):
    """ "not walking at all on or after day 3"."""
    result = run(day=day, walking=False)
    assert (("not_walking", "review") in codes(result)) is flag
    assert run(day=day, walking=None).level is L.NONE


@pytest.mark.parametrize(("rmdq", "flag"), [(14, False), (15, True)])
def test_rmdq_worse_by_5(rmdq, flag):
    """ "RMDQ worse than baseline by ≥ 5 points"."""
    result = run(rmdq=rmdq, baseline_rmdq=10)
    assert (("rmdq_worse", "review") in codes(result)) is flag


def test_review_message():
    result = run(day=20, opioid_use=True)
    assert result.level is L.REVIEW
    assert "within one working day" in result.patient_message


@pytest.mark.parametrize(
    ("day", "words"), [(0, "Rest today"), (5, "short walk"), (60, "Gentle exercise")]
)
def test_none_gives_encouragement_for_the_phase(day, words):
    result = run(day=day, pain_nrs=2, baseline_pain_nrs=8, walking=True, opioid_use=False)
    assert result.level is L.NONE
    assert result.reasons == ()
    assert words in result.patient_message


def test_highest_level_wins_and_every_reason_is_listed():
    """ "the highest level wins and every reason is listed with its level"."""
    result = run(
        day=20,
        symptoms=frozenset({Symptom.FALL, Symptom.FAINTING}),
        wound=frozenset({WoundSign.REDNESS}),
        opioid_use=True,
    )
    assert result.level is L.EMERGENCY
    assert codes(result) == [
        ("fainting", "emergency"),
        ("fall", "urgent"),
        ("redness", "urgent"),
        ("opioid_after_day_14", "review"),
    ]


def test_every_reason_code_can_be_produced():
    produced = set()
    for s in Symptom:
        produced |= {r.code for r in run(symptoms=frozenset({s})).reasons}
    for w in WoundSign:
        produced |= {r.code for r in run(wound=frozenset({w})).reasons}
    produced |= {
        r.code
        for r in run(
            day=20,
            temperature_c=38.5,
            pain_nrs=9,
            previous_pain_nrs=5,
            baseline_pain_nrs=9,
            opioid_use=True,
            walking=False,
            rmdq=20,
            baseline_rmdq=10,
        ).reasons
    }
    produced |= {missed_checkins([1, 2], 10).reason.code}
    assert produced == set(ReasonCode)


def test_missed_checkins_sweep():
    """ "(sweep, not per check-in) 3 or more consecutive missed daily check-ins in the first
    14 days" (today not counted until it is over: SPEC-NOTE)."""
    assert missed_checkins([1, 2, 3], 6).level is L.NONE  # days 4, 5 missed
    swept = missed_checkins([1, 2, 3], 7)  # days 4, 5, 6 missed
    assert swept.level is L.REVIEW
    assert swept.longest_run == 3
    assert missed_checkins([1, 3, 5, 7, 9, 11, 13], 30).level is L.NONE
    assert missed_checkins([], 40).missed_days == tuple(range(1, 15))


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"day": -1}, "day"),
        ({"pain_nrs": 11}, "pain_nrs"),
        ({"temperature_c": 50}, "temperature_c"),
        ({"walking": "yes"}, "walking"),
        ({"rmdq": 30}, "rmdq"),
    ],
)
def test_checkin_checks(kw, field):
    with pytest.raises(ClinicalInputError) as exc:
        CheckIn(**{"day": 3, **kw})
    assert exc.value.field == field
