"""§2 VCF probability and §3 imaging advice."""

import pytest

from kyphocare.clinical import (
    SIGN_LABELS,
    ImagingAdvice,
    Sign,
    VcfProbability,
    imaging_advice,
    vcf_probability,
)

SIGNS = list(Sign)


def test_ten_sign_keys_each_with_patient_and_clinician_words():
    assert len(SIGNS) == 10
    assert set(SIGN_LABELS) == set(Sign)
    for label in SIGN_LABELS.values():
        assert label.patient and label.clinician and label.patient != label.clinician


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        # "(The CCP names 1–3 low; 0 is also reported as low.)"
        (0, VcfProbability.LOW),
        # "Count present → probability: 0–3 low, 4–6 intermediate, 7–10 high."
        (3, VcfProbability.LOW),
        (4, VcfProbability.INTERMEDIATE),
        (6, VcfProbability.INTERMEDIATE),
        (7, VcfProbability.HIGH),
        (10, VcfProbability.HIGH),
    ],
)
def test_probability_bands(count, expected):
    result = vcf_probability(SIGNS[:count])
    assert result.probability is expected
    assert result.signs_count == count
    assert f"{count} of 10 CCP signs" in result.reasons[0]


def test_a_sign_listed_twice_counts_once():
    assert vcf_probability([Sign.PREVIOUS_VCF, Sign.PREVIOUS_VCF]).signs_count == 1


def advice(probability, pain=None, signs=(), done=False):
    return imaging_advice(probability, pain_nrs=pain, signs=signs, imaging_done_for_all=done)


def test_not_needed_when_low_and_not_severe():
    """§3 "not_needed: probability low and symptoms not severe"."""
    result = advice(VcfProbability.LOW, pain=6)
    assert result.advice is ImagingAdvice.NOT_NEEDED
    assert not result.severe_symptoms


@pytest.mark.parametrize("probability", [VcfProbability.INTERMEDIATE, VcfProbability.HIGH])
def test_mri_indicated_for_intermediate_or_high_probability(probability):
    """§3 "mri_indicated: severe symptoms, or probability intermediate/high"."""
    result = advice(probability, pain=2)
    assert result.advice is ImagingAdvice.MRI_INDICATED
    assert "MRI" in result.next_steps[0] and "CT" in result.next_steps[0]


@pytest.mark.parametrize(("pain", "severe"), [(6, False), (7, True)])
def test_severe_symptoms_start_at_nrs_7(pain, severe):
    """§3 [product rule] "Severe symptoms: pain NRS ≥ 7, or severe_adl_limitation present"."""
    result = advice(VcfProbability.LOW, pain=pain)
    assert result.severe_symptoms is severe
    assert result.advice is (ImagingAdvice.MRI_INDICATED if severe else ImagingAdvice.NOT_NEEDED)


def test_severe_adl_limitation_makes_symptoms_severe():
    result = advice(VcfProbability.LOW, pain=3, signs=[Sign.SEVERE_ADL_LIMITATION])
    assert result.severe_symptoms
    assert result.advice is ImagingAdvice.MRI_INDICATED


def test_missing_pain_is_not_severe_but_is_said():
    result = advice(VcfProbability.LOW)
    assert result.advice is ImagingAdvice.NOT_NEEDED
    assert "no pain score is recorded" in result.reasons[0]


def test_done_wins_over_severity_and_probability():
    """§3 "done: an advanced imaging result is already recorded for every fracture"
    (SPEC-NOTE: done takes precedence)."""
    result = advice(VcfProbability.HIGH, pain=9, done=True)
    assert result.advice is ImagingAdvice.DONE
    assert result.next_steps == ()
