"""Probability of a vertebral compression fracture and advanced-imaging advice (§2, §3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .labels import Label
from .validation import check_int, parse_key
from .version import RULES_VERSION


class Sign(StrEnum):
    """The ten CCP signs and symptoms of a VCF (clinical-rules §2)."""

    SEVERE_ADL_LIMITATION = "severe_adl_limitation"
    PAIN_RELIEVED_BY_REST = "pain_relieved_by_rest"
    RECENT_LOW_ENERGY_TRAUMA = "recent_low_energy_trauma"
    PAIN_WITH_MOVEMENT = "pain_with_movement"
    OSTEOPOROSIS_OR_OSTEOPENIA = "osteoporosis_or_osteopenia"
    PREVIOUS_VCF = "previous_vcf"
    CHRONIC_CORTICOSTEROIDS = "chronic_corticosteroids"
    SPINOUS_PROCESS_TENDERNESS = "spinous_process_tenderness"
    PAIN_ON_POSITION_CHANGE = "pain_on_position_change"
    MIDLINE_BACK_PAIN = "midline_back_pain"


SIGN_LABELS: dict[Sign, Label] = {
    Sign.SEVERE_ADL_LIMITATION: Label(
        "Back pain makes it very hard to move about or manage daily tasks",
        "Severe limitation of mobility or activities of daily living due to pain",
    ),
    Sign.PAIN_RELIEVED_BY_REST: Label(
        "The pain gets better when you rest",
        "Pain eases or resolves with rest",
    ),
    Sign.RECENT_LOW_ENERGY_TRAUMA: Label(
        "A recent minor fall or bump, such as falling from standing",
        "Recent minimal or low-velocity trauma (e.g. fall from standing height)",
    ),
    Sign.PAIN_WITH_MOVEMENT: Label(
        "The pain comes with moving or being active",
        "Pain related to activity or movement",
    ),
    Sign.OSTEOPOROSIS_OR_OSTEOPENIA: Label(
        "You have been told you have thin or weak bones",
        "Known osteoporosis or osteopenia",
    ),
    Sign.PREVIOUS_VCF: Label(
        "You have broken a bone in your spine before",
        "Previous vertebral compression fracture",
    ),
    Sign.CHRONIC_CORTICOSTEROIDS: Label(
        "You take steroid medicine (such as prednisone) for a long time",
        "Chronic corticosteroid use",
    ),
    Sign.SPINOUS_PROCESS_TENDERNESS: Label(
        "It hurts when the middle of your back is pressed or tapped",
        "Tenderness to palpation or percussion over the spinous process(es)",
    ),
    Sign.PAIN_ON_POSITION_CHANGE: Label(
        "The pain is worse when you change position, so you avoid moving",
        "Pain worse on change of position; reluctance to move",
    ),
    Sign.MIDLINE_BACK_PAIN: Label(
        "Pain in the middle of your back, over the spine",
        "Midline back pain",
    ),
}


class VcfProbability(StrEnum):
    """Pre-imaging probability that a VCF explains the symptoms (§2)."""

    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"


class ImagingAdvice(StrEnum):
    """Advice on advanced imaging (§3)."""

    NOT_NEEDED = "not_needed"
    MRI_INDICATED = "mri_indicated"
    DONE = "done"


def parse_sign(key: object, field: str = "sign") -> Sign:
    """The :class:`Sign` for ``key``, or a :class:`ClinicalInputError` listing the keys."""
    return parse_key(Sign, key, field, "sign")


@dataclass(frozen=True)
class ProbabilityResult:
    """The VCF probability with the signs counted and why."""

    probability: VcfProbability
    signs_count: int
    signs_present: tuple[Sign, ...]
    signs_absent: tuple[Sign, ...]
    reasons: tuple[str, ...]
    rules_version: str = RULES_VERSION


def probability_from_count(count: int) -> VcfProbability:
    """Probability band for a number of signs present.

    Source: Hirsch JA, Beall DP et al., Spine J 2018;18:2152 (CCP), via clinical-rules §2 —
    "Count present → probability: 0–3 low, 4–6 intermediate, 7–10 high."
    """
    check_int("signs_count", count, 0, len(Sign))
    # SPEC-NOTE: the CCP names 1–3 signs "low" and says nothing of 0; clinical-rules §2 reports
    # 0 as low too, and so do we (no sign present cannot be more than low).
    if count <= 3:
        return VcfProbability.LOW
    if count <= 6:
        return VcfProbability.INTERMEDIATE
    return VcfProbability.HIGH


def vcf_probability(signs: Iterable[Sign]) -> ProbabilityResult:
    """Probability of a VCF from the ten CCP signs (clinical-rules §2).

    Source: Hirsch JA, Beall DP et al., Spine J 2018;18(11):2152–2161 (the CCP). Rule: "Count
    present → probability: 0–3 low, 4–6 intermediate, 7–10 high." A sign not listed counts as
    absent; a sign listed twice counts once.
    """
    present = frozenset(parse_sign(s) for s in signs)
    ordered = tuple(s for s in Sign if s in present)
    absent = tuple(s for s in Sign if s not in present)
    probability = probability_from_count(len(ordered))
    band = {
        VcfProbability.LOW: "0–3 signs",
        VcfProbability.INTERMEDIATE: "4–6 signs",
        VcfProbability.HIGH: "7–10 signs",
    }[probability]
    named = "; ".join(SIGN_LABELS[s].clinician for s in ordered) or "none"
    reasons = (
        f"{len(ordered)} of 10 CCP signs present ({named}): {probability} probability "
        f"of a vertebral compression fracture ({band}).",
    )
    return ProbabilityResult(probability, len(ordered), ordered, absent, reasons)


def severe_symptoms(pain_nrs: int | None, signs: Iterable[Sign]) -> bool:
    """Whether symptoms are "severe" for the imaging advice.

    [product rule] clinical-rules §3: "Severe symptoms: pain NRS ≥ 7, or severe_adl_limitation
    present." A missing pain score counts as not ≥ 7.
    """
    if pain_nrs is not None:
        check_int("pain_nrs", pain_nrs, 0, 10)
    return (pain_nrs is not None and pain_nrs >= 7) or Sign.SEVERE_ADL_LIMITATION in set(signs)


@dataclass(frozen=True)
class ImagingAdviceResult:
    """Advice on advanced imaging, why, and what to do next."""

    advice: ImagingAdvice
    severe_symptoms: bool
    reasons: tuple[str, ...]
    next_steps: tuple[str, ...]
    rules_version: str = RULES_VERSION


MRI_NEXT_STEP = (
    "Obtain MRI of the spine (STIR or T2 fat-saturated, to show marrow oedema and so the age "
    "of the fracture); if MRI cannot be done, CT or a nuclear bone scan (SPECT)."
)


def imaging_advice(
    probability: VcfProbability,
    *,
    pain_nrs: int | None,
    signs: Iterable[Sign],
    imaging_done_for_all: bool,
) -> ImagingAdviceResult:
    """Advice on advanced imaging (clinical-rules §3, from the CCP).

    Rules: "not_needed: probability low and symptoms not severe. mri_indicated: severe symptoms,
    or probability intermediate/high. MRI is preferred (marrow oedema on STIR/T2 fat-saturated
    shows acuity); CT or nuclear bone scan (SPECT) when MRI cannot be done. done: an advanced
    imaging result is already recorded for every fracture." Severe symptoms are a
    [product rule] (see :func:`severe_symptoms`).
    """
    signs = frozenset(signs)
    severe = severe_symptoms(pain_nrs, signs)
    reasons: list[str] = []
    if severe:
        why = []
        if pain_nrs is not None and pain_nrs >= 7:
            why.append(f"pain NRS {pain_nrs} (7 or more)")
        if Sign.SEVERE_ADL_LIMITATION in signs:
            why.append("severe limitation of daily activities")
        reasons.append("Symptoms are severe: " + " and ".join(why) + ".")
    elif pain_nrs is None:
        reasons.append(
            "Symptoms are not known to be severe: no pain score is recorded (record one to "
            "judge severity) and there is no severe limitation of daily activities."
        )
    else:
        reasons.append(
            f"Symptoms are not severe: pain NRS {pain_nrs} (below 7) and no severe limitation "
            "of daily activities."
        )
    # SPEC-NOTE: §3 lists "done" without saying how it ranks against severity. A recorded
    # advanced-imaging result for every fracture answers the imaging question whatever the
    # severity, so "done" takes precedence over "mri_indicated" and "not_needed".
    if imaging_done_for_all:
        reasons.append(
            "An advanced imaging result (MRI, CT or bone scan) is recorded for every fracture."
        )
        return ImagingAdviceResult(ImagingAdvice.DONE, severe, tuple(reasons), ())
    if severe or probability is not VcfProbability.LOW:
        reasons.append(
            f"Probability is {probability}"
            + (" and symptoms are severe" if severe else "")
            + ": advanced imaging is indicated."
        )
        return ImagingAdviceResult(
            ImagingAdvice.MRI_INDICATED, severe, tuple(reasons), (MRI_NEXT_STEP,)
        )
    reasons.append(
        "Probability is low and symptoms are not severe: advanced imaging is not needed now."
    )
    return ImagingAdviceResult(
        ImagingAdvice.NOT_NEEDED,
        severe,
        tuple(reasons),
        ("Reassess if pain worsens or new signs appear.",),
    )
