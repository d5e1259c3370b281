"""Appropriateness of vertebral augmentation (kyphoplasty), per fracture and per patient (§6).

Sources: Hirsch JA, Beall DP et al., Spine J 2018;18(11):2152–2161 (the CCP); its operational form
in the Medicare LCDs for percutaneous vertebral augmentation (L38201 and related); NASS
Appropriate Use Criteria for osteoporotic VCF (Spine J 2025).

The result is decision support for a clinician, never a decision: every per-fracture result shows
the four criteria (met / not met / not known), the reasons, and what is missing.

How missing facts are handled: the per-fracture rules (§6.4 steps 3–5) are applied to every way
the missing facts could turn out. When all give the same result, that is the result (the missing
facts were not needed). When they differ, the result is ``incomplete`` and ``missing`` lists
exactly the facts that could change it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import product
from typing import Any, cast

from .dates import DateWindow, window
from .errors import ClinicalInputError
from .fracture import (
    AgeCategory,
    GenantGrade,
    Morphometry,
    fracture_age,
    genant_grade,
    grade_morphometry,
)
from .labels import Label
from .levels import Level, parse_level
from .probability import (
    ImagingAdvice,
    ImagingAdviceResult,
    ProbabilityResult,
    Sign,
    VcfProbability,
    imaging_advice,
    vcf_probability,
)
from .rounding import round_half_up
from .validation import (
    check_date,
    check_int,
    check_number,
    check_optional_bool,
    parse_key,
    show,
)
from .version import RULES_VERSION

# ---------------------------------------------------------------------------------------------
# Enumerations and labels


class CancerStatus(StrEnum):
    """Known or suspected malignancy (§6.1)."""

    NONE = "none"
    SUSPECTED = "suspected"
    KNOWN = "known"


class Trauma(StrEnum):
    """Mechanism of injury (§6.1)."""

    NONE = "none"
    LOW_ENERGY = "low_energy"
    HIGH_ENERGY = "high_energy"


class SymptomCourse(StrEnum):
    """Course of the pain under non-surgical care (§6.3 D2)."""

    WORSENING = "worsening"
    STABLE = "stable"
    IMPROVING = "improving"


class ImagingModality(StrEnum):
    """Imaging modality; only MRI, CT and bone scan can confirm acuity (§6.3 B)."""

    MRI = "mri"
    CT = "ct"
    BONE_SCAN = "bone_scan"
    XRAY = "xray"


#: Modalities that can show whether a fracture is recent (§6.3 B).
ADVANCED_MODALITIES = frozenset(
    {ImagingModality.MRI, ImagingModality.CT, ImagingModality.BONE_SCAN}
)

_MODALITY_NAMES = {
    ImagingModality.MRI: "MRI",
    ImagingModality.CT: "CT",
    ImagingModality.BONE_SCAN: "bone scan",
    ImagingModality.XRAY: "X-ray",
}


class Contraindication(StrEnum):
    """Contraindications to vertebral augmentation (§6.2)."""

    # absolute
    ACTIVE_SURGICAL_SITE_INFECTION = "active_surgical_site_infection"
    SYSTEMIC_INFECTION = "systemic_infection"
    PREGNANCY = "pregnancy"
    PAIN_NOT_FROM_FRACTURE = "pain_not_from_fracture"
    # relative
    CEMENT_OR_CONTRAST_ALLERGY = "cement_or_contrast_allergy"
    UNCORRECTED_COAGULOPATHY = "uncorrected_coagulopathy"
    SPINAL_INSTABILITY = "spinal_instability"
    NEUROLOGICAL_DEFICIT = "neurological_deficit"
    RETROPULSION_OR_CANAL_COMPROMISE = "retropulsion_or_canal_compromise"
    MORE_THAN_THREE_LEVELS = "more_than_three_levels"


ABSOLUTE_CONTRAINDICATIONS: frozenset[Contraindication] = frozenset(
    {
        Contraindication.ACTIVE_SURGICAL_SITE_INFECTION,
        Contraindication.SYSTEMIC_INFECTION,
        Contraindication.PREGNANCY,
        Contraindication.PAIN_NOT_FROM_FRACTURE,
    }
)
RELATIVE_CONTRAINDICATIONS: frozenset[Contraindication] = frozenset(
    set(Contraindication) - ABSOLUTE_CONTRAINDICATIONS
)

CONTRAINDICATION_LABELS: dict[Contraindication, Label] = {
    Contraindication.ACTIVE_SURGICAL_SITE_INFECTION: Label(
        "An infection where the needle would go in",
        "Active infection at the surgical site",
    ),
    Contraindication.SYSTEMIC_INFECTION: Label(
        "An infection in the blood, bone or spine that is not yet treated",
        "Untreated systemic infection (bacteraemia, osteomyelitis, discitis)",
    ),
    Contraindication.PREGNANCY: Label("Pregnancy", "Pregnancy"),
    Contraindication.PAIN_NOT_FROM_FRACTURE: Label(
        "The pain comes from something other than the broken bone",
        "Pain not attributable to the fracture",
    ),
    Contraindication.CEMENT_OR_CONTRAST_ALLERGY: Label(
        "Allergy to bone cement or X-ray dye",
        "Allergy to bone cement or contrast medium",
    ),
    Contraindication.UNCORRECTED_COAGULOPATHY: Label(
        "A bleeding problem that is not yet under control",
        "Uncorrected coagulopathy",
    ),
    Contraindication.SPINAL_INSTABILITY: Label(
        "The spine is not stable",
        "Spinal instability",
    ),
    Contraindication.NEUROLOGICAL_DEFICIT: Label(
        "Weakness, numbness or other nerve problems from the spine",
        "Neurological deficit (myelopathy, neural impingement)",
    ),
    Contraindication.RETROPULSION_OR_CANAL_COMPROMISE: Label(
        "Bone pressing into the space around the spinal cord",
        "Retropulsed fragment or spinal canal compromise",
    ),
    Contraindication.MORE_THAN_THREE_LEVELS: Label(
        "More than three bones would be treated at once",
        "More than three levels in one procedure",
    ),
}


class UnfavorableCondition(StrEnum):
    """Unfavourable conditions of §6.3 D2."""

    PROGRESSION = "progression"
    HEIGHT_LOSS_OVER_25 = "height_loss_over_25"
    KYPHOTIC_DEFORMITY = "kyphotic_deformity"
    RMDQ_OVER_17 = "rmdq_over_17"


UNFAVORABLE_LABELS: dict[UnfavorableCondition, Label] = {
    UnfavorableCondition.PROGRESSION: Label(
        "The broken bone has collapsed further on later scans",
        "Progression of height loss on follow-up imaging",
    ),
    UnfavorableCondition.HEIGHT_LOSS_OVER_25: Label(
        "The bone has lost more than a quarter of its height",
        "Vertebral height loss over 25 %",
    ),
    UnfavorableCondition.KYPHOTIC_DEFORMITY: Label(
        "The spine has become more bent forward",
        "Kyphotic deformity",
    ),
    UnfavorableCondition.RMDQ_OVER_17: Label(
        "Back pain makes most daily activities hard",
        "RMDQ over 17",
    ),
}


class Recommendation(StrEnum):
    """Result of the appropriateness rules (§6.4)."""

    APPROPRIATE = "appropriate"
    UNCERTAIN = "uncertain"
    NOT_INDICATED = "not_indicated"
    INCOMPLETE = "incomplete"
    CONTRAINDICATED = "contraindicated"
    SPECIALIST_REVIEW = "specialist_review"
    OUT_OF_SCOPE = "out_of_scope"


#: Per-fracture results ranked for the patient summary, most favourable first (§6.4).
SUMMARY_ORDER: tuple[Recommendation, ...] = (
    Recommendation.APPROPRIATE,
    Recommendation.UNCERTAIN,
    Recommendation.INCOMPLETE,
    Recommendation.NOT_INDICATED,
)

#: Patient-level results that override the per-fracture rules, in the order checked (§6.1, §6.2).
STOP_ORDER: tuple[Recommendation, ...] = (
    Recommendation.OUT_OF_SCOPE,
    Recommendation.SPECIALIST_REVIEW,
    Recommendation.CONTRAINDICATED,
)


class Criterion(StrEnum):
    """The four criteria of §6.3; the values are the keys used in outputs."""

    A_FRACTURE_AGE = "A_fracture_age"
    B_IMAGING = "B_imaging"
    C_CORRELATION = "C_correlation"
    D_SEVERITY = "D_severity"


class MissingFact(StrEnum):
    """A fact the rules may need; the values are the input field names."""

    FRACTURES = "fractures"
    AGE = "age"
    TRAUMA = "trauma"
    CANCER = "cancer"
    PAIN_NRS = "pain_nrs"
    HOSPITALIZED_FOR_PAIN = "hospitalized_for_pain"
    NSM_TRIED = "nsm_tried"
    SYMPTOM_COURSE = "symptom_course"
    RMDQ = "rmdq"
    ONSET = "onset"
    IMAGING = "imaging"
    PAIN_CORRELATES = "pain_correlates"
    HEIGHT_LOSS = "height_loss_pct"
    KYPHOTIC_DEFORMITY = "kyphotic_deformity"
    PROGRESSION = "progression"


#: Facts that belong to one fracture (the others belong to the patient).
FRACTURE_FACTS = frozenset(
    {
        MissingFact.ONSET,
        MissingFact.IMAGING,
        MissingFact.PAIN_CORRELATES,
        MissingFact.HEIGHT_LOSS,
        MissingFact.KYPHOTIC_DEFORMITY,
        MissingFact.PROGRESSION,
    }
)

_MISSING_TEXT: dict[MissingFact, str] = {
    MissingFact.FRACTURES: "fracture: none recorded yet — record the level once imaging shows it",
    MissingFact.AGE: "patient age: not recorded — record it (this pathway is for adults)",
    MissingFact.TRAUMA: (
        "mechanism of injury: not recorded — record whether there was trauma "
        "(none, low-energy or high-energy)"
    ),
    MissingFact.CANCER: (
        "cancer status: not recorded — record whether cancer is known, suspected or ruled out"
    ),
    MissingFact.PAIN_NRS: "pain score: not recorded — ask for the current pain score (NRS 0–10)",
    MissingFact.HOSPITALIZED_FOR_PAIN: (
        "hospital stay: not recorded — record whether the patient was hospitalised for this pain"
    ),
    MissingFact.NSM_TRIED: (
        "non-surgical management: not recorded — record whether optimal non-surgical care "
        "has been tried"
    ),
    MissingFact.SYMPTOM_COURSE: (
        "course of the pain: not recorded — record whether it is worsening, stable or improving"
    ),
    MissingFact.RMDQ: "RMDQ: not recorded — score the Roland–Morris questionnaire",
    MissingFact.ONSET: "onset: not recorded — record when the pain began (best estimate)",
    MissingFact.IMAGING: (
        "imaging: no advanced imaging result — obtain MRI (CT or bone scan if MRI is not "
        "possible) to show whether the fracture is recent"
    ),
    MissingFact.PAIN_CORRELATES: (
        "correlation: not recorded — examine and record whether the pain matches this level"
    ),
    MissingFact.HEIGHT_LOSS: (
        "height loss: not recorded — measure the vertebral heights (morphometry) or record "
        "the height loss"
    ),
    MissingFact.KYPHOTIC_DEFORMITY: (
        "kyphotic deformity: not recorded — record whether there is a kyphotic deformity"
    ),
    MissingFact.PROGRESSION: (
        "progression: not recorded — compare with earlier or follow-up imaging for further "
        "loss of height"
    ),
}

# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class ImagingResult:
    """The latest imaging of one fracture; ``acute`` is ``None`` while the result is pending."""

    modality: ImagingModality
    acute: bool | None = None
    date: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.modality, ImagingModality):
            raise ClinicalInputError(
                "modality", f"must be an imaging modality, got {show(self.modality)}"
            )
        check_optional_bool("acute", self.acute)
        if self.date is not None:
            check_date("date", self.date)

    @property
    def advanced(self) -> bool:
        """True for MRI, CT and bone scan: the modalities that can show acuity."""
        return self.modality in ADVANCED_MODALITIES

    @property
    def confirms_acuity(self) -> bool | None:
        """Criterion B from this result: ``None`` when it cannot tell (X-ray, pending)."""
        # SPEC-NOTE: "only mri, ct, bone_scan can confirm acuity": an X-ray (whatever its
        # "acute" says) leaves B unknown, as does an advanced study whose result is not yet
        # recorded (acute null). Both count as "no imaging result" (§6.4 step 2: obtain MRI).
        return self.acute if self.advanced else None


@dataclass(frozen=True)
class FractureInput:
    """What is known about one fractured level."""

    level: Level
    onset: date | None = None
    imaging: ImagingResult | None = None
    morphometry: Morphometry | None = None
    height_loss_pct: float | None = None
    kyphotic_deformity: bool | None = None
    progression: bool | None = None
    pain_correlates: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", parse_level(self.level))
        if self.onset is not None:
            check_date("onset", self.onset)
        if self.imaging is not None and not isinstance(self.imaging, ImagingResult):
            raise ClinicalInputError("imaging", "must be an imaging result or null")
        if self.morphometry is not None and not isinstance(self.morphometry, Morphometry):
            raise ClinicalInputError("morphometry", "must be a morphometry record or null")
        if self.height_loss_pct is not None:
            check_number("height_loss_pct", self.height_loss_pct, 0, 100)
        check_optional_bool("kyphotic_deformity", self.kyphotic_deformity)
        check_optional_bool("progression", self.progression)
        check_optional_bool("pain_correlates", self.pain_correlates)


@dataclass(frozen=True)
class AssessmentInput:
    """A patient's facts for the appropriateness assessment, as of ``as_of``.

    ``None`` means "not recorded". Signs and contraindications not listed are absent.
    """

    as_of: date
    fractures: tuple[FractureInput, ...] = ()
    age: int | None = None
    signs: frozenset[Sign] = frozenset()
    pain_nrs: int | None = None
    hospitalized_for_pain: bool | None = None
    nsm_tried: bool | None = None
    symptom_course: SymptomCourse | None = None
    rmdq: int | None = None
    cancer: CancerStatus | None = None
    trauma: Trauma | None = None
    contraindications: frozenset[Contraindication] = frozenset()

    def __post_init__(self) -> None:
        check_date("as_of", self.as_of)
        object.__setattr__(self, "fractures", tuple(self.fractures))
        object.__setattr__(self, "signs", frozenset(self.signs))
        object.__setattr__(self, "contraindications", frozenset(self.contraindications))
        if self.age is not None:
            check_int("age", self.age, 0, 130)
        if self.pain_nrs is not None:
            check_int("pain_nrs", self.pain_nrs, 0, 10)
        if self.rmdq is not None:
            check_int("rmdq", self.rmdq, 0, 24)
        check_optional_bool("hospitalized_for_pain", self.hospitalized_for_pain)
        check_optional_bool("nsm_tried", self.nsm_tried)
        for name, kind in (
            ("symptom_course", SymptomCourse),
            ("cancer", CancerStatus),
            ("trauma", Trauma),
        ):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                raise ClinicalInputError(
                    name, f"must be one of {_choices(kind)}, got {show(value)}"
                )
        for i, sign in enumerate(sorted(self.signs)):
            if not isinstance(sign, Sign):
                raise ClinicalInputError(f"signs[{i}]", f"unknown sign {show(sign)}")
        for i, item in enumerate(sorted(self.contraindications)):
            if not isinstance(item, Contraindication):
                raise ClinicalInputError(
                    f"contraindications[{i}]", f"unknown contraindication {show(item)}"
                )
        seen: set[Level] = set()
        for i, fx in enumerate(self.fractures):
            where = f"fractures[{i}]"
            if not isinstance(fx, FractureInput):
                raise ClinicalInputError(where, "must be a fracture record")
            if fx.level in seen:
                raise ClinicalInputError(
                    f"{where}.level", f"'{fx.level}' is listed twice; list each level once"
                )
            seen.add(fx.level)
            if fx.onset is not None and fx.onset > self.as_of:
                raise ClinicalInputError(
                    f"{where}.onset",
                    f"must be on or before as_of {self.as_of.isoformat()}, "
                    f"got '{fx.onset.isoformat()}'",
                )
            if (
                fx.imaging is not None
                and fx.imaging.date is not None
                and fx.imaging.date > self.as_of
            ):
                raise ClinicalInputError(
                    f"{where}.imaging.date",
                    f"must be on or before as_of {self.as_of.isoformat()}, "
                    f"got '{fx.imaging.date.isoformat()}'",
                )


def _choices(kind: type[StrEnum]) -> str:
    return ", ".join(member.value for member in kind)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ContraindicationSummary:
    """Contraindications present, split as in §6.2."""

    absolute: tuple[Contraindication, ...]
    relative: tuple[Contraindication, ...]


@dataclass(frozen=True)
class FractureAssessment:
    """The result for one fractured level, with every criterion and the reasons.

    ``criteria`` maps each of A–D to met (True), not met (False) or not known (None).
    ``possible`` lists what the criteria alone (§6.4 steps 3–5) could still give once the
    missing facts are known: one entry when they are decided.
    """

    level: Level
    age_days: int | None
    age_category: AgeCategory | None
    height_loss_pct: float | None
    genant_grade: GenantGrade | None
    criteria: dict[Criterion, bool | None]
    unfavorable_conditions: tuple[UnfavorableCondition, ...]
    recommendation: Recommendation
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    missing_facts: tuple[MissingFact, ...]
    next_steps: tuple[str, ...]
    possible: tuple[Recommendation, ...] = ()
    rules_version: str = RULES_VERSION


@dataclass(frozen=True)
class Assessment:
    """The patient-level result of §2–§6 with the per-fracture results."""

    recommendation: Recommendation
    requires_review: bool
    levels: tuple[Level, ...]
    contraindications: ContraindicationSummary
    fractures: tuple[FractureAssessment, ...]
    probability: ProbabilityResult
    imaging: ImagingAdviceResult
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    next_steps: tuple[str, ...]
    reassessment: DateWindow | None = None
    rules_version: str = RULES_VERSION
    missing_facts: tuple[MissingFact, ...] = field(default=())

    @property
    def vcf_probability(self) -> VcfProbability:
        """The §2 probability band."""
        return self.probability.probability

    @property
    def signs_count(self) -> int:
        """How many of the ten §2 signs are present."""
        return self.probability.signs_count

    @property
    def imaging_advice(self) -> ImagingAdvice:
        """The §3 imaging advice."""
        return self.imaging.advice


# ---------------------------------------------------------------------------------------------
# The per-fracture rules on complete facts


@dataclass(frozen=True)
class _Known:
    """Every fact the per-fracture rules use, all known. Field order = ``_FACTS`` order."""

    nrs: int
    hospitalized: bool
    nsm_tried: bool
    course: SymptomCourse
    rmdq_over_17: bool
    category: AgeCategory
    imaging_acute: bool
    correlates: bool
    height_loss_over_25: bool
    kyphotic: bool
    progression: bool


# Fact name, how it is missing, and its possible values. Pain is represented by one value per
# band the rules distinguish (< 5, 5–6, 7, ≥ 8): the rules compare NRS only with 5, 7 and 8.
_FACTS: tuple[tuple[str, MissingFact, tuple[object, ...]], ...] = (
    ("nrs", MissingFact.PAIN_NRS, (0, 5, 7, 8)),
    ("hospitalized", MissingFact.HOSPITALIZED_FOR_PAIN, (False, True)),
    ("nsm_tried", MissingFact.NSM_TRIED, (False, True)),
    ("course", MissingFact.SYMPTOM_COURSE, tuple(SymptomCourse)),
    ("rmdq_over_17", MissingFact.RMDQ, (False, True)),
    ("category", MissingFact.ONSET, tuple(AgeCategory)),
    ("imaging_acute", MissingFact.IMAGING, (False, True)),
    ("correlates", MissingFact.PAIN_CORRELATES, (False, True)),
    ("height_loss_over_25", MissingFact.HEIGHT_LOSS, (False, True)),
    ("kyphotic", MissingFact.KYPHOTIC_DEFORMITY, (False, True)),
    ("progression", MissingFact.PROGRESSION, (False, True)),
)


@dataclass(frozen=True)
class _Decision:
    recommendation: Recommendation
    criteria: tuple[bool, bool, bool, bool]


def _unfavourable_count(k: _Known) -> int:
    return sum((k.progression, k.height_loss_over_25, k.kyphotic, k.rmdq_over_17))


def _nsm_premise(k: _Known) -> bool:
    # SPEC-NOTE: D2 says "despite optimal non-surgical management" and §6.4 lists "non-surgical
    # management not yet tried and not hospitalised" as a reason for not_indicated. So the NSM
    # premise is met when NSM was tried OR the patient was hospitalised for the pain (in-hospital
    # analgesia is non-surgical management).
    return k.nsm_tried or k.hospitalized


def _decide(k: _Known) -> _Decision:
    """§6.3 criteria and §6.4 steps 3–5 on complete facts (scope and contraindications aside).

    A: "the fracture is acute or subacute (≤ 84 days)". B: "advanced imaging confirms acuity at
    that level". C: "the clinician confirms the pain matches that level". D: "D1: hospitalised
    because of the fracture pain, with pain NRS ≥ 8; or D2: pain NRS ≥ 5 despite optimal
    non-surgical management, and either the pain is worsening, or (stable or improving, still ≥ 5)
    at least 2 of these unfavourable conditions". Then "appropriate: A–D all met"; "uncertain:
    B and C met, NRS ≥ 5, and either (a) exactly one unfavourable condition while
    stable/improving, or (b) chronic fracture with NRS ≥ 7 and imaging still showing oedema";
    otherwise "not_indicated".
    """
    a = k.category is not AgeCategory.CHRONIC
    b = k.imaging_acute
    c = k.correlates
    unfavourable = _unfavourable_count(k)
    stable = k.course in (SymptomCourse.STABLE, SymptomCourse.IMPROVING)
    d1 = k.hospitalized and k.nrs >= 8
    d2 = (
        k.nrs >= 5
        and _nsm_premise(k)
        and (k.course is SymptomCourse.WORSENING or (stable and unfavourable >= 2))
    )
    d = d1 or d2
    criteria = (a, b, c, d)
    if a and b and c and d:
        return _Decision(Recommendation.APPROPRIATE, criteria)
    # SPEC-NOTE: uncertain (a) is read as the near miss of D2 for a fracture that meets A: it
    # needs A and the NSM premise of D2. Without A, a chronic fracture with NRS 5–6 would be
    # "uncertain" although NASS rated every chronic fracture with pain ≤ 6 rarely appropriate
    # (the first not_indicated reason of §6.4). Chronic fractures reach "uncertain" only by (b).
    uncertain_a = a and _nsm_premise(k) and stable and unfavourable == 1
    uncertain_b = k.category is AgeCategory.CHRONIC and k.nrs >= 7
    if b and c and k.nrs >= 5 and (uncertain_a or uncertain_b):
        return _Decision(Recommendation.UNCERTAIN, criteria)
    return _Decision(Recommendation.NOT_INDICATED, criteria)


@dataclass(frozen=True)
class _Evaluation:
    recommendations: frozenset[Recommendation]
    criteria: tuple[bool | None, bool | None, bool | None, bool | None]
    relevant_missing: tuple[MissingFact, ...]
    irrelevant_missing: tuple[MissingFact, ...]
    known: _Known | None


def _evaluate(partial: dict[str, object]) -> _Evaluation:
    """Apply :func:`_decide` to every completion of the missing (``None``) facts."""
    # SPEC-NOTE: §6.4 puts "incomplete: a fact needed to decide is missing" before the other
    # results. A missing fact is read as "needed" only when some value of it would change the
    # result: e.g. NRS 3 gives not_indicated whatever the imaging shows, so a missing MRI does
    # not make it incomplete (the reason names what is not recorded). Likewise D2 is met with a
    # missing symptom course when ≥ 2 unfavourable conditions are present (every course then
    # satisfies D2), and a missing hospital stay does not matter once D2 is met.
    return _evaluate_values(tuple(partial[name] for name, _, _ in _FACTS))


@lru_cache(maxsize=1024)
def _evaluate_values(values: tuple[object, ...]) -> _Evaluation:
    choices = [
        (value,) if value is not None else options
        for value, (_, _, options) in zip(values, _FACTS, strict=True)
    ]
    outcomes: dict[tuple[object, ...], _Decision] = {}
    for combo in product(*choices):
        outcomes[combo] = _decide(_Known(*cast(tuple[Any, ...], combo)))
    recommendations = frozenset(d.recommendation for d in outcomes.values())
    criteria: list[bool | None] = []
    for i in range(4):
        seen = {d.criteria[i] for d in outcomes.values()}
        criteria.append(seen.pop() if len(seen) == 1 else None)
    relevant: list[MissingFact] = []
    irrelevant: list[MissingFact] = []
    for index, (_, fact, _) in enumerate(_FACTS):
        if values[index] is not None:
            continue
        groups: dict[tuple[object, ...], set[Recommendation]] = defaultdict(set)
        for combo, decision in outcomes.items():
            groups[combo[:index] + combo[index + 1 :]].add(decision.recommendation)
        if any(len(g) > 1 for g in groups.values()):
            relevant.append(fact)
        else:
            irrelevant.append(fact)
    known = _Known(*cast(tuple[Any, ...], next(iter(outcomes)))) if len(outcomes) == 1 else None
    return _Evaluation(
        recommendations,
        (criteria[0], criteria[1], criteria[2], criteria[3]),
        tuple(relevant),
        tuple(irrelevant),
        known,
    )


# ---------------------------------------------------------------------------------------------
# Assessment


@dataclass(frozen=True)
class _FractureFacts:
    age_days: int | None
    category: AgeCategory | None
    height_loss_pct: float | None
    grade: GenantGrade | None
    notes: tuple[str, ...]


def _fracture_facts(fx: FractureInput, as_of: date) -> _FractureFacts:
    notes: list[str] = []
    age_days: int | None = None
    category: AgeCategory | None = None
    if fx.onset is not None:
        age = fracture_age(fx.onset, as_of)
        age_days, category = age.days, age.category
    loss: float | None = None
    grade: GenantGrade | None = None
    if fx.morphometry is not None:
        graded = grade_morphometry(fx.morphometry)
        loss, grade = graded.height_loss_pct, graded.genant_grade
        notes.extend(graded.reasons)
        # SPEC-NOTE: when both morphometry and height_loss_pct are given, the value computed
        # from the morphometry is used (the contract: "when morphometry is given it is computed
        # from it"); a different given value is reported, not used.
        if fx.height_loss_pct is not None and round_half_up(fx.height_loss_pct, 1) != loss:
            notes.append(
                f"The height loss entered ({round_half_up(fx.height_loss_pct, 1)} %) differs "
                f"from the morphometry ({loss} %); the morphometry value is used."
            )
    elif fx.height_loss_pct is not None:
        loss = round_half_up(fx.height_loss_pct, 1)
        grade = genant_grade(loss)
        notes.append(f"Height loss {loss} % as entered: Genant grade {int(grade)}.")
    return _FractureFacts(age_days, category, loss, grade, tuple(notes))


def _partial_facts(
    inp: AssessmentInput, fx: FractureInput, ff: _FractureFacts
) -> dict[str, object]:
    rmdq_over_17 = None if inp.rmdq is None else inp.rmdq > 17
    # SPEC-NOTE: "height loss > 25 %" is tested on the height loss rounded to one decimal (the
    # value shown), strictly greater: 25.0 is not over 25, 25.1 is.
    over_25 = None if ff.height_loss_pct is None else ff.height_loss_pct > 25
    return {
        "nrs": inp.pain_nrs,
        "hospitalized": inp.hospitalized_for_pain,
        "nsm_tried": inp.nsm_tried,
        "course": inp.symptom_course,
        "rmdq_over_17": rmdq_over_17,
        "category": ff.category,
        "imaging_acute": fx.imaging.confirms_acuity if fx.imaging is not None else None,
        "correlates": fx.pain_correlates,
        "height_loss_over_25": over_25,
        "kyphotic": fx.kyphotic_deformity,
        "progression": fx.progression,
    }


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Kyphotic deformity" → "kyphotic deformity" (not "RMDQ")."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _yes(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def _criterion_lines(
    inp: AssessmentInput,
    fx: FractureInput,
    ff: _FractureFacts,
    criteria: tuple[bool | None, bool | None, bool | None, bool | None],
    unfavourable: tuple[UnfavorableCondition, ...],
) -> list[str]:
    def state(value: bool | None) -> str:
        return "not known" if value is None else ("met" if value else "not met")

    a, b, c, d = criteria
    lines: list[str] = []
    if ff.age_days is None:
        lines.append(f"A fracture age: {state(a)} — onset not recorded.")
    else:
        lines.append(
            f"A fracture age: {state(a)} — {ff.age_days} days since onset ({ff.category}; "
            "acute or subacute means 84 days or less)."
        )
    img = fx.imaging
    if img is None:
        lines.append(f"B imaging: {state(b)} — no imaging recorded for {fx.level}.")
    else:
        name = _MODALITY_NAMES[img.modality]
        when = f" on {img.date.isoformat()}" if img.date is not None else ""
        if not img.advanced:
            lines.append(
                f"B imaging: {state(b)} — only an {name} is recorded{when}; an X-ray cannot "
                "show whether a fracture is recent."
            )
        elif img.acute is None:
            lines.append(f"B imaging: {state(b)} — {name}{when}: result not recorded yet.")
        elif img.acute:
            lines.append(
                f"B imaging: {state(b)} — {name}{when} shows an acute fracture at {fx.level}."
            )
        else:
            lines.append(
                f"B imaging: {state(b)} — {name}{when} does not show an acute "
                f"fracture at {fx.level}."
            )
    if fx.pain_correlates is None:
        lines.append(
            f"C correlation: {state(c)} — not recorded whether the pain matches {fx.level}."
        )
    elif fx.pain_correlates:
        lines.append(
            f"C correlation: {state(c)} — the clinician confirmed the pain matches {fx.level}."
        )
    else:
        lines.append(f"C correlation: {state(c)} — the pain does not match {fx.level}.")
    nrs = "not recorded" if inp.pain_nrs is None else str(inp.pain_nrs)
    course = "not recorded" if inp.symptom_course is None else str(inp.symptom_course)
    named = ", ".join(_in_sentence(UNFAVORABLE_LABELS[u].clinician) for u in unfavourable)
    named = named or "none"
    lines.append(
        f"D severity: {state(d)} — pain NRS {nrs}; hospitalised for the pain: "
        f"{_yes(inp.hospitalized_for_pain)}; non-surgical management tried: "
        f"{_yes(inp.nsm_tried)}; course: {course}; unfavourable conditions present: {named} "
        "(D1 needs hospitalisation with NRS 8 or more; D2 needs NRS 5 or more despite "
        "non-surgical care and a worsening course or at least 2 unfavourable conditions)."
    )
    return lines


def _not_indicated_reasons(k: _Known) -> list[str]:
    reasons: list[str] = []
    if k.category is AgeCategory.CHRONIC and k.nrs <= 6:
        reasons.append(
            "Chronic fracture (over 12 weeks) with pain NRS 6 or less: rated rarely "
            "appropriate (NASS appropriate use criteria, 2025)."
        )
    if not k.imaging_acute:
        reasons.append("Advanced imaging does not show an acute fracture at this level.")
    if not k.correlates:
        reasons.append("The pain does not match this level.")
    if k.nrs < 5:
        reasons.append("Pain NRS below 5.")
    if not k.nsm_tried and not k.hospitalized:
        reasons.append("Non-surgical management not yet tried and not hospitalised for the pain.")
    if k.course in (SymptomCourse.STABLE, SymptomCourse.IMPROVING) and _unfavourable_count(k) == 0:
        reasons.append("Pain stable or improving with no unfavourable condition.")
    if not reasons:  # pragma: no cover - every not_indicated path names a reason above
        reasons.append("The criteria for appropriate or uncertain are not met.")
    return reasons


@dataclass(frozen=True)
class _Stop:
    recommendation: Recommendation
    reason: str
    next_step: str


def _stops(inp: AssessmentInput) -> list[_Stop]:
    """Patient-level results of §6.1 and §6.2 (absolute), in the order they are checked."""
    stops: list[_Stop] = []
    if inp.age is not None and inp.age < 18:
        stops.append(
            _Stop(
                Recommendation.OUT_OF_SCOPE,
                f"Age {inp.age}: under 18, outside this pathway.",
                "Refer to paediatric spine care; this pathway is for adults.",
            )
        )
    if inp.trauma is Trauma.HIGH_ENERGY:
        stops.append(
            _Stop(
                Recommendation.OUT_OF_SCOPE,
                "High-energy trauma: outside this pathway.",
                "Refer to spine surgery.",
            )
        )
    if inp.cancer in (CancerStatus.SUSPECTED, CancerStatus.KNOWN):
        stops.append(
            _Stop(
                Recommendation.SPECIALIST_REVIEW,
                f"Malignancy {inp.cancer}: neoplastic fractures follow other criteria.",
                "Refer for specialist (oncology and spine) review before any decision on "
                "augmentation.",
            )
        )
    absolute = [
        c
        for c in Contraindication
        if c in inp.contraindications and c in ABSOLUTE_CONTRAINDICATIONS
    ]
    if absolute:
        named = "; ".join(CONTRAINDICATION_LABELS[c].clinician for c in absolute)
        stops.append(
            _Stop(
                Recommendation.CONTRAINDICATED,
                f"Absolute contraindication: {named}.",
                "Do not proceed while the absolute contraindication stands; treat or resolve "
                "it, then reassess.",
            )
        )
    # SPEC-NOTE: §6.1 says scope is "checked first", so out_of_scope, then specialist_review,
    # then contraindicated (§6.4 step 1 lists them in that order). Every stop that applies is
    # still listed in the reasons and next steps, and absolute contraindications always appear
    # in the output.
    return stops


def _scope_missing(inp: AssessmentInput) -> list[MissingFact]:
    # SPEC-NOTE: age, trauma and cancer status decide §6.1 scope. While any is missing and no
    # patient-level stop is known, every fracture is incomplete (the scope cannot be confirmed);
    # a stop that is known (e.g. an absolute contraindication) is reported even if another scope
    # fact is missing, since every stop means "do not proceed on this pathway now".
    missing = []
    if inp.age is None:
        missing.append(MissingFact.AGE)
    if inp.trauma is None:
        missing.append(MissingFact.TRAUMA)
    if inp.cancer is None:
        missing.append(MissingFact.CANCER)
    return missing


def _missing_text(fact: MissingFact, fx: FractureInput | None) -> str:
    text = _MISSING_TEXT[fact]
    if fact is MissingFact.IMAGING and fx is not None and fx.imaging is not None:
        name = _MODALITY_NAMES[fx.imaging.modality]
        if not fx.imaging.advanced:
            text = (
                f"imaging: only an {name} is recorded, which cannot show whether the fracture "
                "is recent — obtain MRI (CT or bone scan if MRI is not possible)"
            )
        else:
            text = (
                f"imaging: the {name} result is not recorded — record whether it shows an "
                "acute fracture"
            )
    if fx is not None and fact in FRACTURE_FACTS:
        return f"{fx.level} {text}"
    return text


_NSM_STEP = (
    "Non-surgical management: analgesia, a brace if it helps, physical therapy, activity "
    "advice and a bone-health work-up."
)


def _assess_fracture(
    inp: AssessmentInput,
    fx: FractureInput,
    stops: list[_Stop],
    scope_missing: list[MissingFact],
) -> FractureAssessment:
    ff = _fracture_facts(fx, inp.as_of)
    partial = _partial_facts(inp, fx, ff)
    ev = _evaluate(partial)
    unfavourable = tuple(
        u
        for u, present in (
            (UnfavorableCondition.PROGRESSION, partial["progression"]),
            (UnfavorableCondition.HEIGHT_LOSS_OVER_25, partial["height_loss_over_25"]),
            (UnfavorableCondition.KYPHOTIC_DEFORMITY, partial["kyphotic"]),
            (UnfavorableCondition.RMDQ_OVER_17, partial["rmdq_over_17"]),
        )
        if present is True
    )
    criteria = dict(zip(Criterion, ev.criteria, strict=True))
    reasons = _criterion_lines(inp, fx, ff, ev.criteria, unfavourable)
    reasons.extend(ff.notes)
    missing_facts: list[MissingFact] = []
    next_steps: list[str] = []
    level = fx.level
    clinical = next(iter(ev.recommendations)) if len(ev.recommendations) == 1 else None

    if stops:
        recommendation = stops[0].recommendation
        reasons = [s.reason for s in stops] + reasons
        next_steps.extend(s.next_step for s in stops)
    elif scope_missing or clinical is None:
        recommendation = Recommendation.INCOMPLETE
        missing_facts = list(scope_missing) + list(ev.relevant_missing)
        if clinical is not None:
            reasons.append(
                f"On the criteria alone the result would be {clinical}; the pathway "
                "cannot be applied until age, trauma and cancer status are known."
            )
        else:
            could_be = ", ".join(r for r in SUMMARY_ORDER if r in ev.recommendations)
            reasons.append(
                f"Incomplete: depending on the missing facts the result could be {could_be}."
            )
        next_steps.extend(_missing_text(f, fx) for f in missing_facts)
    else:
        recommendation = clinical
        known = ev.known
        if recommendation is Recommendation.APPROPRIATE:
            reasons.append("Appropriate: criteria A, B, C and D are all met.")
            next_steps.append(
                f"Discuss kyphoplasty at {level} with the patient: benefits, "
                "risks and alternatives."
            )
        elif recommendation is Recommendation.UNCERTAIN:
            reasons.append(_uncertain_reason(partial))
            next_steps.append(
                f"Clinician judgement at {level}: weigh kyphoplasty against "
                "continued non-surgical care with the patient."
            )
        else:
            reasons.extend(_known_not_indicated_reasons(partial, known))
            next_steps.append(_NSM_STEP)
        if ev.irrelevant_missing:
            named = ", ".join(_MISSING_TEXT[f].split(":")[0] for f in ev.irrelevant_missing)
            reasons.append(f"Not recorded, but not needed for this result: {named}.")
    missing = tuple(_missing_text(f, fx) for f in missing_facts)
    # The results the per-fracture criteria (§6.4 steps 3–5) could still give once the missing
    # facts are known; a single entry when they are decided.
    possible = tuple(r for r in SUMMARY_ORDER if r in ev.recommendations)
    return FractureAssessment(
        level=level,
        age_days=ff.age_days,
        age_category=ff.category,
        height_loss_pct=ff.height_loss_pct,
        genant_grade=ff.grade,
        criteria=criteria,
        unfavorable_conditions=unfavourable,
        recommendation=recommendation,
        reasons=tuple(reasons),
        missing=missing,
        missing_facts=tuple(missing_facts),
        next_steps=tuple(next_steps),
        possible=possible,
    )


def _uncertain_reason(partial: dict[str, object]) -> str:
    if partial["category"] is None:
        return (
            "Uncertain whatever the fracture age: by (a) one unfavourable condition while "
            "stable or improving if acute or subacute, by (b) NRS 7 or more with imaging "
            "showing an acute fracture if chronic; the clinician decides."
        )
    if partial["category"] is AgeCategory.CHRONIC:
        return (
            "Uncertain: chronic fracture (over 12 weeks) with pain NRS 7 or more and imaging "
            "still showing an acute fracture; the clinician decides (the CCP rated 38 % of its "
            "scenarios uncertain)."
        )
    return (
        "Uncertain: imaging and examination fit and pain NRS is 5 or more, but with the pain "
        "stable or improving only one unfavourable condition is present (D2 needs 2); the "
        "clinician decides (the CCP rated 38 % of its scenarios uncertain)."
    )


def _known_not_indicated_reasons(partial: dict[str, object], known: _Known | None) -> list[str]:
    """The §6.4 step-5 reasons that hold on the recorded facts."""
    if known is not None:
        return _not_indicated_reasons(known)
    # Some facts are missing but none could change the result: keep the reasons that hold
    # for every completion.
    choices = [
        (partial[name],) if partial[name] is not None else values for name, _, values in _FACTS
    ]
    common: list[str] | None = None
    for combo in product(*choices):
        these = _not_indicated_reasons(_Known(*cast(tuple[Any, ...], combo)))
        common = these if common is None else [r for r in common if r in these]
    return common or [
        "The criteria for appropriate or uncertain cannot be met on the recorded facts."
    ]


def _rank(recommendation: Recommendation) -> int:
    return SUMMARY_ORDER.index(recommendation)


def assess(inp: AssessmentInput) -> Assessment:
    """Appropriateness of kyphoplasty for each fracture and for the patient (§2–§6).

    Sources: the CCP (Spine J 2018;18:2152), Medicare LCD L38201 family, NASS AUC (Spine J
    2025). §6.4: per fracture, the first that applies of "1. out_of_scope / specialist_review /
    contraindicated; 2. incomplete: a fact needed to decide is missing; 3. appropriate: A–D all
    met; 4. uncertain; 5. not_indicated". Patient summary: "the most favourable per-fracture
    result in the order appropriate > uncertain > incomplete > not_indicated, unless a
    patient-level result (6.1, 6.2 absolute) overrides it; the levels that qualify are listed."
    """
    probability = vcf_probability(inp.signs)
    # SPEC-NOTE: §3 "done" needs an advanced (MRI/CT/bone-scan) result with acuity recorded for
    # every fracture; an X-ray or a pending result does not count, and with no fracture recorded
    # imaging is not "done".
    done = bool(inp.fractures) and all(
        fx.imaging is not None and fx.imaging.confirms_acuity is not None for fx in inp.fractures
    )
    advice = imaging_advice(
        probability.probability,
        pain_nrs=inp.pain_nrs,
        signs=inp.signs,
        imaging_done_for_all=done,
    )
    stops = _stops(inp)
    scope_missing = [] if stops else _scope_missing(inp)
    fractures = tuple(_assess_fracture(inp, fx, stops, scope_missing) for fx in inp.fractures)

    # §6.2 relative contraindications, with more_than_three_levels derived.
    relative = {c for c in inp.contraindications if c in RELATIVE_CONTRAINDICATIONS}
    # SPEC-NOTE: "more than 3 levels in one procedure" is derived from the levels that could be
    # treated on the current facts: those whose per-fracture result is appropriate or uncertain.
    candidates = [
        f
        for f in fractures
        if f.recommendation in (Recommendation.APPROPRIATE, Recommendation.UNCERTAIN)
    ]
    if len(candidates) > 3:
        relative.add(Contraindication.MORE_THAN_THREE_LEVELS)
    contraindications = ContraindicationSummary(
        absolute=tuple(
            c
            for c in Contraindication
            if c in inp.contraindications and c in ABSOLUTE_CONTRAINDICATIONS
        ),
        relative=tuple(c for c in Contraindication if c in relative),
    )
    # SPEC-NOTE: requires_review is set by relative contraindications only (§6.2), not by an
    # uncertain result (uncertain already says the clinician decides). more_than_three_levels
    # may also be given in the input (a plan for more levels than listed); it is then kept.
    requires_review = bool(contraindications.relative)

    reasons: list[str] = list(probability.reasons) + list(advice.reasons)
    next_steps: list[str] = []
    missing_facts: list[MissingFact] = []
    missing: list[str] = []
    reassessment: DateWindow | None = None

    if stops:
        recommendation = stops[0].recommendation
        reasons.extend(s.reason for s in stops)
    elif not fractures:
        # SPEC-NOTE: with no fracture recorded there is nothing to evaluate per fracture: the
        # summary is incomplete (missing: the fracture), after the probability and imaging advice.
        recommendation = Recommendation.INCOMPLETE
        missing_facts = [MissingFact.FRACTURES, *scope_missing]
        missing = [_missing_text(f, None) for f in missing_facts]
        reasons.append("No fracture is recorded yet, so appropriateness cannot be assessed.")
    else:
        recommendation = min((f.recommendation for f in fractures), key=_rank)
    levels = tuple(f.level for f in fractures if f.recommendation is recommendation)

    for f in fractures:
        if f.recommendation is Recommendation.INCOMPLETE:
            for fact, text in zip(f.missing_facts, f.missing, strict=True):
                if text not in missing:
                    missing.append(text)
                if fact not in missing_facts:
                    missing_facts.append(fact)
        reasons.append(f"{f.level}: {f.recommendation}.")

    if advice.advice is ImagingAdvice.MRI_INDICATED:
        next_steps.extend(advice.next_steps)
    if recommendation is Recommendation.APPROPRIATE:
        listed = ", ".join(levels)
        reasons.append(f"Appropriate at {listed}: criteria A–D are met.")
        next_steps.append(
            f"Discuss kyphoplasty at {listed} with the patient: benefits, risks "
            "and alternatives (non-surgical care, vertebroplasty)."
        )
        next_steps.append("After the procedure, a follow-up visit at 2–4 weeks.")
    elif recommendation is Recommendation.UNCERTAIN:
        listed = ", ".join(levels)
        reasons.append(f"Uncertain at {listed}: the clinician decides.")
        next_steps.append(
            f"Decide with the patient whether kyphoplasty at {listed} or "
            "continued non-surgical care is the better choice."
        )
        next_steps.append("After either treatment, a follow-up visit at 2–4 weeks.")
    elif recommendation is Recommendation.INCOMPLETE:
        reasons.append("Incomplete: facts needed to decide are missing.")
        next_steps.extend(missing)
    elif recommendation is Recommendation.NOT_INDICATED:
        reasons.append("Not indicated now: favour non-surgical management.")
        reassessment = window(inp.as_of, 14, 28)
        next_steps.append(_NSM_STEP)
        next_steps.append(
            f"Reassess at 2–4 weeks (between {reassessment.start.isoformat()} and "
            f"{reassessment.end.isoformat() if reassessment.end else ''}) and run this "
            "assessment again."
        )
    else:
        next_steps.extend(s.next_step for s in stops)
    if contraindications.relative:
        named = "; ".join(CONTRAINDICATION_LABELS[c].clinician for c in contraindications.relative)
        reasons.append(f"Relative contraindications (review needed): {named}.")
        next_steps.append(f"Review before proceeding: {named}.")
    if recommendation not in (Recommendation.OUT_OF_SCOPE, Recommendation.SPECIALIST_REVIEW):
        next_steps.append(
            "Bone health: DXA and osteoporosis treatment to lower the risk of the next fracture."
        )

    return Assessment(
        recommendation=recommendation,
        requires_review=requires_review,
        levels=levels,
        contraindications=contraindications,
        fractures=fractures,
        probability=probability,
        imaging=advice,
        reasons=tuple(reasons),
        missing=tuple(missing),
        next_steps=tuple(next_steps),
        reassessment=reassessment,
        missing_facts=tuple(missing_facts),
    )


def parse_contraindication(key: object, field: str = "contraindication") -> Contraindication:
    """The :class:`Contraindication` for ``key``, or an error listing the keys."""
    return parse_key(Contraindication, key, field, "contraindication")


def contraindication_kind(item: Contraindication) -> str:
    """``"absolute"`` or ``"relative"`` (§6.2)."""
    return "absolute" if item in ABSOLUTE_CONTRAINDICATIONS else "relative"


def missing_step(fact: MissingFact) -> str:
    """Plain words for a missing fact and the next step to obtain it."""
    return _MISSING_TEXT[fact]
