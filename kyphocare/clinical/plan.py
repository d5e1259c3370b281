"""Personalised recovery plan (§8), expected pain (§9) and questionnaire schedule (§11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .dates import DateWindow, day_offset, window
from .fracture import GenantGrade
from .labels import Label
from .levels import Level, parse_levels
from .questionnaires import check_nrs
from .trajectory import EXPECTED_PAIN_DAYS, ExpectedCourse, Instrument, expected_course
from .validation import check_date, check_int, check_number, check_optional_bool
from .version import RULES_VERSION

# ---------------------------------------------------------------------------------------------
# Phases


class Phase(StrEnum):
    """Recovery phases, relative to the procedure day D0 (§8, [product rule] boundaries)."""

    PROCEDURE_DAY = "procedure_day"
    FIRST_48_HOURS = "first_48_hours"
    FIRST_WEEK = "first_week"
    RETURN_TO_ACTIVITY = "return_to_activity"
    STRENGTHENING = "strengthening"
    LONG_TERM = "long_term"


@dataclass(frozen=True)
class PhaseInfo:
    """One recovery phase: its day range (``last_day`` ``None`` = open-ended), a title for
    patients and clinicians, and plain-words lists of what to do and what to avoid."""

    key: Phase
    first_day: int
    last_day: int | None
    title: Label
    do: tuple[str, ...]
    avoid: tuple[str, ...]
    encouragement: str

    def contains(self, day: int) -> bool:
        """True when ``day`` after the procedure falls in this phase."""
        return day >= self.first_day and (self.last_day is None or day <= self.last_day)


#: The six phases of §8 in order. [product rule] Boundaries from the seed facts: home the same
#: day, relief often within 24–48 hours, light activity in 1–2 days, light daily tasks within
#: about 2 weeks, normal activities within about six weeks for most.
RECOVERY_PHASES: tuple[PhaseInfo, ...] = (
    PhaseInfo(
        Phase.PROCEDURE_DAY,
        0,
        0,
        Label("The day of your procedure", "Procedure day (D0)"),
        do=(
            "Rest at home once the team says you can leave.",
            "Have someone drive you home and stay with you tonight.",
            "Keep the small bandage clean and dry.",
            "Take a few short, slow walks around your home.",
        ),
        avoid=(
            "Driving for 24 hours after sedation.",
            "Lifting, bending or twisting.",
            "Getting the bandage wet.",
        ),
        encouragement="Rest today. Your team is here if you need them.",
    ),
    PhaseInfo(
        Phase.FIRST_48_HOURS,
        1,
        2,
        Label("The first two days", "First 48 hours (D1–D2)"),
        do=(
            "Start light activity, like short walks, a few times a day.",
            "Take your medicines as your team told you.",
            "Notice how your back pain changes; for many people it eases now.",
        ),
        avoid=(
            "Heavy lifting, bending or twisting.",
            "Long periods in bed.",
        ),
        encouragement="Short walks help. Many people feel their pain ease in these first days.",
    ),
    PhaseInfo(
        Phase.FIRST_WEEK,
        3,
        7,
        Label("The rest of the first week", "First week (D3–D7)"),
        do=(
            "Walk a little every day, at an easy pace.",
            "Sit in a firm chair that supports your back.",
            "Stand and sit up straight.",
            "Change position often.",
        ),
        avoid=(
            "Lifting anything heavy.",
            "Bending forward or twisting your back.",
            "Sitting for a long time without a break.",
        ),
        encouragement="A short walk every day keeps you moving. Keep your back straight and "
        "lift nothing heavy.",
    ),
    PhaseInfo(
        Phase.RETURN_TO_ACTIVITY,
        8,
        42,
        Label("Getting back to your usual activities", "Return to activity (D8–D42)"),
        do=(
            "Add back your usual daily tasks, a little at a time.",
            "Go to your follow-up visit.",
            "Start physical therapy if your team suggests it.",
        ),
        avoid=(
            "Heavy lifting or twisting until your team says it is fine.",
            "Activities with jumps, jolts or a risk of falling.",
        ),
        encouragement="Step by step, you are getting back to your usual day. Build up slowly.",
    ),
    PhaseInfo(
        Phase.STRENGTHENING,
        43,
        90,
        Label("Building strength", "Strengthening (D43–D90)"),
        do=(
            "Do the exercises from your physical therapist.",
            "Strengthen your belly and back muscles gently.",
            "Choose gentle exercise such as walking, swimming or exercise in water.",
        ),
        avoid=(
            "High-impact exercise such as running or jumping.",
            "Lifting heavy things without your team's advice.",
        ),
        encouragement="Gentle exercise builds strength that protects your back. Keep it up.",
    ),
    PhaseInfo(
        Phase.LONG_TERM,
        91,
        None,
        Label("Keeping your spine healthy", "Long term (D91 onward)"),
        do=(
            "Keep taking your bone-strengthening treatment.",
            "Make your home safer to prevent falls.",
            "Keep your check-up appointments.",
            "Tell your team about any new back pain.",
        ),
        avoid=(
            "Stopping bone treatment without talking to your team.",
            "Ignoring new back pain.",
        ),
        encouragement="Well done. Strong bones and fewer falls help prevent another fracture.",
    ),
)

PHASES_BY_KEY: dict[Phase, PhaseInfo] = {p.key: p for p in RECOVERY_PHASES}


def phase_for_day(day: int) -> PhaseInfo:
    """The recovery phase that contains ``day`` (days since the procedure, 0 or more).

    [product rule] clinical-rules §8: D0 procedure_day; D1–D2 first_48_hours; D3–D7 first_week;
    D8–D42 return_to_activity; D43–D90 strengthening; D91+ long_term.
    """
    check_int("day", day, 0)
    for info in RECOVERY_PHASES:
        if info.contains(day):
            return info
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Factors


class RecoveryFactor(StrEnum):
    """Factors that lengthen the expected return to normal activities (§8, [product rule])."""

    AGE_80_PLUS = "age_80_plus"
    ASA_3_PLUS = "asa_3_plus"
    SEVERE_COLLAPSE = "severe_collapse"
    MULTIPLE_LEVELS = "multiple_levels"
    FRACTURE_OLDER_THAN_6_WEEKS = "fracture_older_than_6_weeks"
    NO_OSTEOPOROSIS_TREATMENT = "no_osteoporosis_treatment"
    DEPRESSION = "depression"


FACTOR_LABELS: dict[RecoveryFactor, Label] = {
    RecoveryFactor.AGE_80_PLUS: Label(
        "Being 80 or older: healing often takes a little longer",
        "Age 80 or over",
    ),
    RecoveryFactor.ASA_3_PLUS: Label(
        "Other health conditions that can slow healing",
        "ASA class 3 or higher, or major comorbidity",
    ),
    RecoveryFactor.SEVERE_COLLAPSE: Label(
        "The broken bone had collapsed a lot",
        "Severe collapse (Genant grade 3 or segmental kyphosis of 20° or more)",
    ),
    RecoveryFactor.MULTIPLE_LEVELS: Label(
        "More than one bone was treated",
        "Two or more levels treated",
    ),
    RecoveryFactor.FRACTURE_OLDER_THAN_6_WEEKS: Label(
        "The fracture was more than 6 weeks old",
        "Fracture 6 weeks or older at the procedure (42 days or more)",
    ),
    RecoveryFactor.NO_OSTEOPOROSIS_TREATMENT: Label(
        "No treatment for weak bones yet",
        "No anti-osteoporosis treatment",
    ),
    RecoveryFactor.DEPRESSION: Label(
        "Low mood or depression",
        "Depression",
    ),
}

#: Typical return to normal activities, days after the procedure ([product rule] §8).
NORMAL_ACTIVITIES_TYPICAL = (7, 14)
#: Each factor adds this many days to both ends.
DAYS_PER_FACTOR = 7
#: No end goes past this day.
NORMAL_ACTIVITIES_CAP = 42


@dataclass(frozen=True)
class PlanInput:
    """What the plan needs. ``None`` means not recorded (that factor is then not counted)."""

    procedure_date: date
    levels: tuple[Level, ...]
    age: int | None = None
    asa_class: int | None = None
    major_comorbidity: bool | None = None
    genant_grade: GenantGrade | None = None
    kyphosis_deg: float | None = None
    fracture_age_days: int | None = None
    osteoporosis_treatment: bool | None = None
    depression: bool | None = None
    baseline_pain_nrs: int | None = None

    def __post_init__(self) -> None:
        check_date("procedure_date", self.procedure_date)
        object.__setattr__(self, "levels", parse_levels(self.levels))
        if self.age is not None:
            check_int("age", self.age, 0, 130)
        if self.asa_class is not None:
            check_int("asa_class", self.asa_class, 1, 5)
        check_optional_bool("major_comorbidity", self.major_comorbidity)
        if self.genant_grade is not None:
            grade = check_int("genant_grade", self.genant_grade, 0, 3)
            object.__setattr__(self, "genant_grade", GenantGrade(grade))
        if self.kyphosis_deg is not None:
            check_number("kyphosis_deg", self.kyphosis_deg, 0, 90)
        if self.fracture_age_days is not None:
            check_int("fracture_age_days", self.fracture_age_days, 0, 36500)
        check_optional_bool("osteoporosis_treatment", self.osteoporosis_treatment)
        check_optional_bool("depression", self.depression)
        if self.baseline_pain_nrs is not None:
            check_nrs(self.baseline_pain_nrs, "baseline_pain_nrs")


@dataclass(frozen=True)
class FactorResult:
    """The factors present, why, and the facts that could not be checked."""

    factors: tuple[RecoveryFactor, ...]
    reasons: tuple[str, ...]
    not_recorded: tuple[str, ...]


def recovery_factors(inp: PlanInput) -> FactorResult:
    """Factors that lengthen recovery ([product rule] clinical-rules §8).

    "age_80_plus; asa_3_plus (or major comorbidity); severe_collapse (Genant 3 or segmental
    kyphosis ≥ 20°); multiple_levels; fracture_older_than_6_weeks; no_osteoporosis_treatment;
    depression." Support: seeds on age/health/severity; residual pain after kyphoplasty with
    kyphosis ≥ 20°, depression, no anti-osteoporosis treatment (Front Surg 2022/2023); less benefit
    for fractures older than 6–7 weeks (Papanastassiou 2012, Palmowski 2020).
    """
    factors: list[RecoveryFactor] = []
    reasons: list[str] = []
    unknown: list[str] = []
    if inp.age is None:
        unknown.append("age")
    elif inp.age >= 80:
        factors.append(RecoveryFactor.AGE_80_PLUS)
        reasons.append(f"Age {inp.age} (80 or over).")
    if (inp.asa_class is not None and inp.asa_class >= 3) or inp.major_comorbidity:
        factors.append(RecoveryFactor.ASA_3_PLUS)
        reasons.append(
            f"ASA class {inp.asa_class} (3 or higher)."
            if inp.asa_class is not None and inp.asa_class >= 3
            else "Major comorbidity recorded."
        )
    elif inp.asa_class is None and inp.major_comorbidity is None:
        unknown.append("ASA class")
    # SPEC-NOTE: severe_collapse is Genant grade 3 OR segmental kyphosis ≥ 20° (either is
    # enough; 20° itself counts).
    collapse = []
    if inp.genant_grade is not None and inp.genant_grade == GenantGrade.SEVERE:
        collapse.append("Genant grade 3")
    if inp.kyphosis_deg is not None and inp.kyphosis_deg >= 20:
        collapse.append(f"segmental kyphosis {inp.kyphosis_deg:g}° (20° or more)")
    if collapse:
        factors.append(RecoveryFactor.SEVERE_COLLAPSE)
        reasons.append("Severe collapse: " + " and ".join(collapse) + ".")
    elif inp.genant_grade is None and inp.kyphosis_deg is None:
        unknown.append("Genant grade or kyphosis")
    # SPEC-NOTE: multiple_levels means 2 or more levels treated in the procedure.
    if len(inp.levels) >= 2:
        factors.append(RecoveryFactor.MULTIPLE_LEVELS)
        reasons.append(f"{len(inp.levels)} levels treated ({', '.join(inp.levels)}).")
    # SPEC-NOTE: "older than 6 weeks" is read as 42 days or more, i.e. no longer acute under §4
    # (acute < 42 days), so the factor and the fracture-age category agree. With several
    # fractures the caller passes the age of the oldest treated one.
    if inp.fracture_age_days is None:
        unknown.append("fracture age")
    elif inp.fracture_age_days >= 42:
        factors.append(RecoveryFactor.FRACTURE_OLDER_THAN_6_WEEKS)
        reasons.append(
            f"Fracture {inp.fracture_age_days} days old at the procedure (6 weeks or more)."
        )
    if inp.osteoporosis_treatment is None:
        unknown.append("osteoporosis treatment")
    elif not inp.osteoporosis_treatment:
        factors.append(RecoveryFactor.NO_OSTEOPOROSIS_TREATMENT)
        reasons.append("No anti-osteoporosis treatment.")
    if inp.depression is None:
        unknown.append("depression")
    elif inp.depression:
        factors.append(RecoveryFactor.DEPRESSION)
        reasons.append("Depression.")
    ordered = tuple(f for f in RecoveryFactor if f in factors)
    return FactorResult(ordered, tuple(reasons), tuple(unknown))


@dataclass(frozen=True)
class NormalActivities:
    """Expected return to normal activities."""

    start_day: int
    end_day: int
    window: DateWindow
    longer_recovery_likely: bool
    explanation: str


def normal_activities(procedure_date: date, factor_count: int) -> NormalActivities:
    """Expected return to normal activities ([product rule] clinical-rules §8).

    "typical window D7–D14; each factor below adds 7 days to both ends, capped at D42. If the
    uncapped end would pass D42, the plan says a longer recovery is likely and asks the patient
    to discuss it with the care team."
    """
    check_int("factor_count", factor_count, 0, len(RecoveryFactor))
    start, end = (d + DAYS_PER_FACTOR * factor_count for d in NORMAL_ACTIVITIES_TYPICAL)
    # SPEC-NOTE: "pass D42" means strictly after day 42: with 4 factors the window is D35–D42
    # and no longer recovery is flagged; with 5 or more the uncapped end (D49+) passes D42, both
    # ends are capped at D42 and longer_recovery_likely is true.
    longer = end > NORMAL_ACTIVITIES_CAP
    start, end = min(start, NORMAL_ACTIVITIES_CAP), min(end, NORMAL_ACTIVITIES_CAP)
    text = (
        f"Typical D7–D14, plus {DAYS_PER_FACTOR} days for each of {factor_count} factor(s): "
        f"D{start}–D{end}."
    )
    if longer:
        text += " Capped at D42: a longer recovery is likely; discuss it with the care team."
    return NormalActivities(start, end, window(procedure_date, start, end), longer, text)


# ---------------------------------------------------------------------------------------------
# Questionnaire schedule


@dataclass(frozen=True)
class QuestionnaireDue:
    """One scheduled questionnaire."""

    instrument: Instrument
    day: int
    due: date
    purpose: str
    window_end: date | None = None


#: Follow-up visit window, days after the procedure (CCP: a visit at 2–4 weeks).
FOLLOW_UP_DAYS = (14, 28)
#: Bone-health evaluation by this day (CCP: BMD/DXA and osteoporosis treatment).
BONE_HEALTH_BY_DAY = 90


def nrs_schedule_days() -> tuple[int, ...]:
    """Days on which the pain NRS is due ([product rule] §11: "daily D1–D14, then weekly to
    D90")."""
    # SPEC-NOTE: "weekly to D90" from D14 gives D21 … D84; D90 is added so the series reaches
    # D90 itself (the 3-month time point used by the outcome benchmarks).
    days = list(range(1, 15))
    days.extend(range(21, 90, 7))
    days.append(90)
    return tuple(days)


def questionnaire_schedule(
    procedure_date: date, *, include_baseline_rmdq: bool = True
) -> tuple[QuestionnaireDue, ...]:
    """Due dates of the scheduled questionnaires ([product rule] clinical-rules §11).

    "NRS daily D1–D14, then weekly to D90; RMDQ at baseline (before the procedure), at the
    follow-up visit window (D14–D28), D90 and D365." Sorted by date, NRS before RMDQ on a day.
    Pass ``include_baseline_rmdq=False`` once the baseline RMDQ has been recorded.
    """
    check_date("procedure_date", procedure_date)
    items: list[QuestionnaireDue] = [
        QuestionnaireDue(
            Instrument.NRS,
            d,
            day_offset(procedure_date, d),
            "daily pain" if d <= 14 else "weekly pain",
        )
        for d in nrs_schedule_days()
    ]
    # SPEC-NOTE: the baseline RMDQ is "before the procedure": it is due on the procedure date
    # at the latest (day 0). The follow-up RMDQ is due at the start of the visit window (D14)
    # and stays open to its end (D28).
    if include_baseline_rmdq:
        items.append(
            QuestionnaireDue(Instrument.RMDQ, 0, procedure_date, "baseline, before the procedure")
        )
    follow_start, follow_end = FOLLOW_UP_DAYS
    items.append(
        QuestionnaireDue(
            Instrument.RMDQ,
            follow_start,
            day_offset(procedure_date, follow_start),
            "follow-up visit",
            day_offset(procedure_date, follow_end),
        )
    )
    items.append(QuestionnaireDue(Instrument.RMDQ, 90, day_offset(procedure_date, 90), "3 months"))
    items.append(
        QuestionnaireDue(Instrument.RMDQ, 365, day_offset(procedure_date, 365), "12 months")
    )
    order = {Instrument.NRS: 0, Instrument.RMDQ: 1, Instrument.ODI: 2}
    return tuple(sorted(items, key=lambda q: (q.day, order[q.instrument])))


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class PhaseDates:
    """A phase of this patient's plan with its dates (``end`` ``None`` for the last phase)."""

    phase: PhaseInfo
    start: date
    end: date | None


@dataclass(frozen=True)
class Milestone:
    """A dated milestone of the plan."""

    key: str
    label: Label
    window: DateWindow


@dataclass(frozen=True)
class RecoveryPlan:
    """The personalised recovery plan, with the reasons for every adjustment."""

    procedure_date: date
    phases: tuple[PhaseDates, ...]
    factors: tuple[RecoveryFactor, ...]
    return_to_normal_activities: NormalActivities
    follow_up_visit: DateWindow
    bone_health_by: date
    questionnaires: tuple[QuestionnaireDue, ...]
    expected_pain: ExpectedCourse | None
    milestones: tuple[Milestone, ...]
    reasons: tuple[str, ...]
    not_recorded: tuple[str, ...]
    patient_notes: tuple[str, ...]
    rules_version: str = RULES_VERSION


def recovery_plan(inp: PlanInput) -> RecoveryPlan:
    """A personalised recovery plan with dates (clinical-rules §8, §9, §11).

    Sources: seed facts (home the same day; relief often within 24–48 hours; light activity in
    1–2 days; light daily tasks within about 2 weeks; normal activities within about six weeks
    for most); CCP (follow-up at 2–4 weeks; bone-health evaluation and osteoporosis treatment).
    Phase boundaries, factors and the return-to-activity window are [product rule]s.
    """
    d0 = inp.procedure_date
    phases = tuple(
        PhaseDates(p, day_offset(d0, p.first_day), window(d0, p.first_day, p.last_day).end)
        for p in RECOVERY_PHASES
    )
    factor_result = recovery_factors(inp)
    normal = normal_activities(d0, len(factor_result.factors))
    follow_up = window(d0, *FOLLOW_UP_DAYS)
    bone_health_by = day_offset(d0, BONE_HEALTH_BY_DAY)
    milestones = (
        Milestone(
            "light_activity",
            Label("Light activity, such as short walks", "Light activity"),
            window(d0, 1, 2),
        ),
        Milestone(
            "follow_up_visit",
            Label("Follow-up visit with your care team", "Follow-up visit (2–4 weeks)"),
            follow_up,
        ),
        Milestone(
            "normal_activities",
            Label("Back to your usual activities", "Return to normal activities"),
            normal.window,
        ),
        Milestone(
            "bone_health",
            Label(
                "Bone health check (bone density scan) and treatment",
                "Bone-health evaluation (BMD/DXA) and osteoporosis treatment",
            ),
            DateWindow(d0, bone_health_by),
        ),
    )
    expected = (
        expected_course(Instrument.NRS, inp.baseline_pain_nrs, EXPECTED_PAIN_DAYS)
        if inp.baseline_pain_nrs is not None
        else None
    )
    reasons = list(factor_result.reasons)
    reasons.append(normal.explanation)
    notes: list[str] = []
    if normal.longer_recovery_likely:
        notes.append(
            "Your recovery may take longer than usual. Please talk about it with your care team."
        )
    for f in factor_result.factors:
        notes.append(f"This may add time to your recovery: {FACTOR_LABELS[f].patient.lower()}.")
    return RecoveryPlan(
        procedure_date=d0,
        phases=phases,
        factors=factor_result.factors,
        return_to_normal_activities=normal,
        follow_up_visit=follow_up,
        bone_health_by=bone_health_by,
        questionnaires=questionnaire_schedule(d0),
        expected_pain=expected,
        milestones=milestones,
        reasons=tuple(reasons),
        not_recorded=factor_result.not_recorded,
        patient_notes=tuple(notes),
    )
