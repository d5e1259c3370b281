"""Check-in triage (§10): level, every reason with its level, and a plain patient message."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import ClinicalInputError
from .labels import Label
from .plan import Phase, phase_for_day
from .questionnaires import check_nrs, check_rmdq
from .rounding import to_decimal
from .trajectory import nrs_meaningful_improvement
from .validation import check_int, check_number, check_optional_bool, parse_key
from .version import RULES_VERSION


class TriageLevel(StrEnum):
    """Triage levels, lowest first."""

    NONE = "none"
    REVIEW = "review"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """0 for none … 3 for emergency."""
        return _LEVEL_ORDER.index(self)


_LEVEL_ORDER: tuple[TriageLevel, ...] = tuple(TriageLevel)


class Symptom(StrEnum):
    """Symptoms a patient can report at a check-in (§10)."""

    # emergency
    CHEST_PAIN = "chest_pain"
    SHORTNESS_OF_BREATH = "shortness_of_breath"
    COUGHING_BLOOD = "coughing_blood"
    FAINTING = "fainting"
    BLADDER_BOWEL_LOSS = "bladder_bowel_loss"
    LEG_PARALYSIS = "leg_paralysis"
    SEVERE_LIMB_NUMBNESS = "severe_limb_numbness"
    # urgent
    FEVER_CHILLS = "fever_chills"
    NEW_NUMBNESS_TINGLING = "new_numbness_tingling"
    NEW_WEAKNESS = "new_weakness"
    NEW_BACK_PAIN = "new_back_pain"
    FALL = "fall"
    POSITIONAL_HEADACHE = "positional_headache"


class WoundSign(StrEnum):
    """Signs at the wound (§10; all urgent)."""

    REDNESS = "redness"
    SWELLING = "swelling"
    WARMTH = "warmth"
    DRAINAGE = "drainage"
    RED_STREAKS = "red_streaks"
    BLEEDING = "bleeding"


class ReasonCode(StrEnum):
    """Reason codes: every symptom and wound key, and the derived reasons."""

    CHEST_PAIN = "chest_pain"
    SHORTNESS_OF_BREATH = "shortness_of_breath"
    COUGHING_BLOOD = "coughing_blood"
    FAINTING = "fainting"
    BLADDER_BOWEL_LOSS = "bladder_bowel_loss"
    LEG_PARALYSIS = "leg_paralysis"
    SEVERE_LIMB_NUMBNESS = "severe_limb_numbness"
    FEVER_CHILLS = "fever_chills"
    NEW_NUMBNESS_TINGLING = "new_numbness_tingling"
    NEW_WEAKNESS = "new_weakness"
    NEW_BACK_PAIN = "new_back_pain"
    FALL = "fall"
    POSITIONAL_HEADACHE = "positional_headache"
    REDNESS = "redness"
    SWELLING = "swelling"
    WARMTH = "warmth"
    DRAINAGE = "drainage"
    RED_STREAKS = "red_streaks"
    BLEEDING = "bleeding"
    FEVER = "fever"
    PAIN_SPIKE = "pain_spike"
    NO_MEANINGFUL_IMPROVEMENT = "no_meaningful_improvement"
    OPIOID_AFTER_DAY_14 = "opioid_after_day_14"
    NOT_WALKING = "not_walking"
    RMDQ_WORSE = "rmdq_worse"
    MISSED_CHECKINS = "missed_checkins"


#: The level of each symptom (§10).
SYMPTOM_LEVELS: dict[Symptom, TriageLevel] = {
    Symptom.CHEST_PAIN: TriageLevel.EMERGENCY,
    Symptom.SHORTNESS_OF_BREATH: TriageLevel.EMERGENCY,
    Symptom.COUGHING_BLOOD: TriageLevel.EMERGENCY,
    Symptom.FAINTING: TriageLevel.EMERGENCY,
    Symptom.BLADDER_BOWEL_LOSS: TriageLevel.EMERGENCY,
    Symptom.LEG_PARALYSIS: TriageLevel.EMERGENCY,
    Symptom.SEVERE_LIMB_NUMBNESS: TriageLevel.EMERGENCY,
    Symptom.FEVER_CHILLS: TriageLevel.URGENT,
    Symptom.NEW_NUMBNESS_TINGLING: TriageLevel.URGENT,
    Symptom.NEW_WEAKNESS: TriageLevel.URGENT,
    Symptom.NEW_BACK_PAIN: TriageLevel.URGENT,
    Symptom.FALL: TriageLevel.URGENT,
    Symptom.POSITIONAL_HEADACHE: TriageLevel.URGENT,
}

#: The level of each derived reason (§10).
DERIVED_LEVELS: dict[ReasonCode, TriageLevel] = {
    ReasonCode.FEVER: TriageLevel.URGENT,
    ReasonCode.PAIN_SPIKE: TriageLevel.URGENT,
    ReasonCode.NO_MEANINGFUL_IMPROVEMENT: TriageLevel.REVIEW,
    ReasonCode.OPIOID_AFTER_DAY_14: TriageLevel.REVIEW,
    ReasonCode.NOT_WALKING: TriageLevel.REVIEW,
    ReasonCode.RMDQ_WORSE: TriageLevel.REVIEW,
    ReasonCode.MISSED_CHECKINS: TriageLevel.REVIEW,
}

SYMPTOM_LABELS: dict[Symptom, Label] = {
    Symptom.CHEST_PAIN: Label("Pain in your chest", "Chest pain (possible cement embolism)"),
    Symptom.SHORTNESS_OF_BREATH: Label(
        "Sudden or bad trouble breathing",
        "Sudden or severe shortness of breath (possible cement embolism)",
    ),
    Symptom.COUGHING_BLOOD: Label("Coughing up blood", "Haemoptysis"),
    Symptom.FAINTING: Label("Fainting or passing out", "Syncope"),
    Symptom.BLADDER_BOWEL_LOSS: Label(
        "You cannot control your bladder or bowels",
        "New loss of bladder or bowel control (possible cord or cauda equina compression)",
    ),
    Symptom.LEG_PARALYSIS: Label(
        "You cannot move a leg",
        "Inability to move a leg (possible cord or nerve compression)",
    ),
    Symptom.SEVERE_LIMB_NUMBNESS: Label(
        "An arm or leg is badly numb",
        "Severe limb numbness (possible cord or nerve compression)",
    ),
    Symptom.FEVER_CHILLS: Label("Fever or shivering chills", "Fever or chills"),
    Symptom.NEW_NUMBNESS_TINGLING: Label(
        "New numbness or tingling in your legs, belly or buttocks",
        "New numbness or tingling (legs, abdomen, buttocks), not sudden or severe",
    ),
    Symptom.NEW_WEAKNESS: Label(
        "New weakness in your legs",
        "New weakness (legs, abdomen, buttocks), not sudden or severe",
    ),
    Symptom.NEW_BACK_PAIN: Label(
        "Sudden new pain in a different part of your back",
        "Sudden new back pain at another site (possible new fracture)",
    ),
    Symptom.FALL: Label("You fell and now have new pain", "Fall with new pain"),
    Symptom.POSITIONAL_HEADACHE: Label(
        "A headache that gets worse when you stand up",
        "Positional headache, worse on standing (possible CSF leak)",
    ),
}

WOUND_LABELS: dict[WoundSign, Label] = {
    WoundSign.REDNESS: Label("The skin around it is red", "Wound redness"),
    WoundSign.SWELLING: Label("It is swollen", "Wound swelling"),
    WoundSign.WARMTH: Label("It feels hot", "Wound warmth"),
    WoundSign.DRAINAGE: Label("Fluid or pus is coming out", "Wound drainage"),
    WoundSign.RED_STREAKS: Label("Red lines spread from it", "Red streaks from the wound"),
    WoundSign.BLEEDING: Label("It is bleeding", "Wound bleeding"),
}

DERIVED_LABELS: dict[ReasonCode, Label] = {
    ReasonCode.FEVER: Label("Your temperature is high", "Temperature 38.0 °C or higher"),
    ReasonCode.PAIN_SPIKE: Label(
        "Your pain jumped up since last time",
        "Pain rise of 3 or more points over the previous check-in (possible new fracture)",
    ),
    ReasonCode.NO_MEANINGFUL_IMPROVEMENT: Label(
        "Your pain has not eased as much as expected",
        "No meaningful pain improvement by day 7 or later (drop < 2 points and < 30 %)",
    ),
    ReasonCode.OPIOID_AFTER_DAY_14: Label(
        "You still need strong pain medicine",
        "Opioid use still reported after day 14",
    ),
    ReasonCode.NOT_WALKING: Label(
        "You are not walking yet", "Not walking at all on or after day 3"
    ),
    ReasonCode.RMDQ_WORSE: Label(
        "Daily activities are harder than before the procedure",
        "RMDQ worse than baseline by 5 points or more",
    ),
    ReasonCode.MISSED_CHECKINS: Label(
        "We have not heard from you for a few days",
        "3 or more consecutive missed daily check-ins in the first 14 days",
    ),
}

#: Fever threshold, °C, inclusive (§10: "temperature ≥ 38.0 °C (100.4 °F)").
FEVER_C = Decimal("38.0")
#: Accepted body temperatures, °C.
TEMPERATURE_RANGE_C = (30.0, 45.0)


def fahrenheit_to_celsius(temperature_f: float) -> float:
    """°F to °C, rounded to two decimals half up (100.4 °F → 38.0 °C exactly)."""
    f = to_decimal(check_number("temperature_f", temperature_f, 86.0, 113.0))
    return float(((f - 32) * 5 / 9).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def parse_symptom(key: object, field: str = "symptom") -> Symptom:
    """The :class:`Symptom` for ``key``, or an error listing the keys."""
    return parse_key(Symptom, key, field, "symptom")


def parse_wound_sign(key: object, field: str = "wound") -> WoundSign:
    """The :class:`WoundSign` for ``key``, or an error listing the keys."""
    return parse_key(WoundSign, key, field, "wound sign")


@dataclass(frozen=True)
class CheckIn:
    """One check-in, ``day`` days after the procedure. ``None`` means not answered."""

    day: int
    pain_nrs: int | None = None
    baseline_pain_nrs: int | None = None
    previous_pain_nrs: int | None = None
    temperature_c: float | None = None
    symptoms: frozenset[Symptom] = frozenset()
    wound: frozenset[WoundSign] = frozenset()
    walking: bool | None = None
    opioid_use: bool | None = None
    rmdq: int | None = None
    baseline_rmdq: int | None = None

    def __post_init__(self) -> None:
        check_int("day", self.day, 0)
        for name in ("pain_nrs", "baseline_pain_nrs", "previous_pain_nrs"):
            value = getattr(self, name)
            if value is not None:
                check_nrs(value, name)
        if self.temperature_c is not None:
            check_number("temperature_c", self.temperature_c, *TEMPERATURE_RANGE_C)
        object.__setattr__(self, "symptoms", frozenset(self.symptoms))
        object.__setattr__(self, "wound", frozenset(self.wound))
        for s in self.symptoms:
            parse_symptom(s, "symptoms")
        for w in self.wound:
            parse_wound_sign(w, "wound")
        check_optional_bool("walking", self.walking)
        check_optional_bool("opioid_use", self.opioid_use)
        for name in ("rmdq", "baseline_rmdq"):
            value = getattr(self, name)
            if value is not None:
                check_rmdq(value, name)


@dataclass(frozen=True)
class TriageReason:
    """One reason, its level, and what it means in words for clinicians and patients."""

    code: ReasonCode
    level: TriageLevel
    label: Label
    detail: str


@dataclass(frozen=True)
class TriageResult:
    """The triage of one check-in: the highest level wins; every reason is listed."""

    level: TriageLevel
    reasons: tuple[TriageReason, ...]
    patient_message: str
    phase: Phase
    rules_version: str = RULES_VERSION


def _reasons(c: CheckIn) -> list[TriageReason]:
    out: list[TriageReason] = []
    for s in Symptom:
        if s in c.symptoms:
            out.append(
                TriageReason(
                    ReasonCode(s.value),
                    SYMPTOM_LEVELS[s],
                    SYMPTOM_LABELS[s],
                    f"Reported: {SYMPTOM_LABELS[s].clinician}.",
                )
            )
    for w in WoundSign:
        if w in c.wound:
            out.append(
                TriageReason(
                    ReasonCode(w.value),
                    TriageLevel.URGENT,
                    WOUND_LABELS[w],
                    f"Wound: {WOUND_LABELS[w].clinician}.",
                )
            )

    def derived(code: ReasonCode, detail: str) -> None:
        out.append(TriageReason(code, DERIVED_LEVELS[code], DERIVED_LABELS[code], detail))

    # SPEC-NOTE: the fever threshold 38.0 °C is inclusive and compared on the value as entered
    # (no binary rounding): 38.0 is fever, 37.9 is not. °F input is converted with
    # fahrenheit_to_celsius (100.4 °F → 38.0 °C).
    if c.temperature_c is not None and to_decimal(c.temperature_c) >= FEVER_C:
        derived(ReasonCode.FEVER, f"Temperature {c.temperature_c:g} °C (38.0 °C or higher).")
    # [product rule] a pain rise of ≥ 3 points over the previous check-in.
    # SPEC-NOTE: checked only when both today's and the previous pain score are known; the
    # symptom key "fall" stands for "a fall with new pain" (its label says so).
    if c.pain_nrs is not None and c.previous_pain_nrs is not None:
        rise = c.pain_nrs - c.previous_pain_nrs
        if rise >= 3:
            derived(
                ReasonCode.PAIN_SPIKE,
                f"Pain {c.previous_pain_nrs} → {c.pain_nrs} (+{rise}) since the previous check-in.",
            )
    # SPEC-NOTE: "no meaningful improvement by day 7 or later" is checked only from day 7 on and
    # only when both the baseline and today's pain are known; "meaningful" is the §9 rule
    # (a drop of 2 points or 30 %).
    if c.day >= 7 and c.pain_nrs is not None and c.baseline_pain_nrs is not None:
        change = nrs_meaningful_improvement(c.baseline_pain_nrs, c.pain_nrs)
        if not change.meaningful_improvement:
            derived(ReasonCode.NO_MEANINGFUL_IMPROVEMENT, f"Day {c.day}: {change.explanation}")
    # SPEC-NOTE: "after day 14" is strictly after: day 15 onward.
    if c.day > 14 and c.opioid_use is True:
        derived(ReasonCode.OPIOID_AFTER_DAY_14, f"Opioid use reported on day {c.day}.")
    # SPEC-NOTE: "not walking at all on or after day 3" needs an explicit "not walking"
    # (walking false); an unanswered question raises nothing.
    if c.day >= 3 and c.walking is False:
        derived(ReasonCode.NOT_WALKING, f"Not walking on day {c.day}.")
    if c.rmdq is not None and c.baseline_rmdq is not None and c.rmdq - c.baseline_rmdq >= 5:
        derived(
            ReasonCode.RMDQ_WORSE,
            f"RMDQ {c.baseline_rmdq} → {c.rmdq} (+{c.rmdq - c.baseline_rmdq}).",
        )
    return out


def _check_number_text(emergency_number: str) -> str:
    if not isinstance(emergency_number, str) or not emergency_number.strip():
        raise ClinicalInputError("emergency_number", "must be a non-empty phone number")
    return emergency_number.strip()


def patient_message(level: TriageLevel, day: int, *, emergency_number: str = "911") -> str:
    """Short plain words for the patient at each triage level (our own wording).

    Emergency starts by telling the patient to call emergency services now; urgent asks them to
    contact the care team today; review says the team will look within one working day; none
    gives a short encouraging message for the recovery phase of that day.
    """
    number = _check_number_text(emergency_number)
    if level is TriageLevel.EMERGENCY:
        return (
            f"Call {number} now. Say you recently had a spine procedure called kyphoplasty. "
            "Do not drive yourself. Your care team has also been told."
        )
    if level is TriageLevel.URGENT:
        return (
            "Please call your care team today. Your answers need a quick check. "
            f"If you feel much worse before you reach them, call {number}."
        )
    if level is TriageLevel.REVIEW:
        return (
            "Thank you. Your care team will look at your answers within one working day. "
            "If anything gets worse, call your care team."
        )
    # SPEC-NOTE: "none" encourages with the message of the recovery phase containing that day.
    return "Thank you for checking in. " + phase_for_day(day).encouragement


def triage(checkin: CheckIn, *, emergency_number: str = "911") -> TriageResult:
    """Triage one check-in (clinical-rules §10).

    Sources: kyphoplasty and vertebroplasty discharge instructions (Krames/BayCare,
    CommonSpirit/Healthwise) for the emergency and urgent signs; the pain-spike rule and review
    rules are [product rule]s; meaningful improvement from Ostelo (Spine 2008). Rule: "Every
    check-in is triaged at once; the highest level wins and every reason is listed with its
    level." The emergency number is set per clinic (default 911).
    """
    reasons = _reasons(checkin)
    level = max((r.level for r in reasons), key=lambda lv: lv.rank, default=TriageLevel.NONE)
    reasons.sort(key=lambda r: -r.level.rank)
    return TriageResult(
        level=level,
        reasons=tuple(reasons),
        patient_message=patient_message(level, checkin.day, emergency_number=emergency_number),
        phase=phase_for_day(checkin.day).key,
    )


@dataclass(frozen=True)
class MissedCheckins:
    """The missed-check-in sweep over the first 14 days."""

    missed_days: tuple[int, ...]
    longest_run: int
    reason: TriageReason | None
    rules_version: str = RULES_VERSION

    @property
    def level(self) -> TriageLevel:
        """``review`` when the rule fires, else ``none``."""
        return self.reason.level if self.reason is not None else TriageLevel.NONE


def missed_checkins(submitted_days: Iterable[int], current_day: int) -> MissedCheckins:
    """The sweep for missed daily check-ins (clinical-rules §10, review level).

    Rule: "(sweep, not per check-in) 3 or more consecutive missed daily check-ins in the first
    14 days." ``submitted_days`` are the days (since the procedure) with a check-in;
    ``current_day`` is today's day number.
    """
    check_int("current_day", current_day, 0)
    submitted: Collection[int] = {check_int("submitted_days", d, 0) for d in submitted_days}
    # SPEC-NOTE: daily check-ins run D1–D14 (the NRS schedule); today is not counted as missed
    # until it is over, so the sweep looks at D1 … min(14, current_day − 1).
    last = min(14, current_day - 1)
    missed = tuple(d for d in range(1, last + 1) if d not in submitted)
    longest = run = 0
    previous = None
    for d in missed:
        run = run + 1 if previous is not None and d == previous + 1 else 1
        longest = max(longest, run)
        previous = d
    reason = None
    if longest >= 3:
        code = ReasonCode.MISSED_CHECKINS
        reason = TriageReason(
            code,
            DERIVED_LEVELS[code],
            DERIVED_LABELS[code],
            f"{longest} consecutive daily check-ins missed "
            f"(missed days: {', '.join(map(str, missed))}).",
        )
    return MissedCheckins(missed, longest, reason)
