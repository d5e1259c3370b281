"""Fracture age (§4), vertebral morphometry and Genant grade, height restoration (§5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum

from .errors import ClinicalInputError
from .rounding import round_half_up, to_decimal
from .validation import check_date, check_int, check_number
from .version import RULES_VERSION

# ---------------------------------------------------------------------------------------------
# §4 Fracture age

#: First day (age in days) that is no longer acute: 6 weeks.
SUBACUTE_FROM_DAY = 42
#: Last day (age in days) that is still subacute: 12 weeks.
SUBACUTE_TO_DAY = 84


class AgeCategory(StrEnum):
    """Age of a fracture (§4)."""

    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


def age_category(age_days: int) -> AgeCategory:
    """Category for a fracture ``age_days`` old.

    Source: cut-offs of the Medicare LCDs for vertebral augmentation (L38201 family) and of the
    European RAND panel (Pain Physician 2013;16:E519), via clinical-rules §4 — "acute < 42 days
    (6 weeks); subacute 42–84 days (6–12 weeks); chronic > 84 days."
    Day 41 is acute, days 42 and 84 are subacute, day 85 is chronic.
    """
    check_int("age_days", age_days, 0)
    # SPEC-NOTE: both ends of "subacute 42–84 days" are inclusive (41 acute, 42 and 84
    # subacute, 85 chronic), matching "acute < 42" and "chronic > 84".
    if age_days < SUBACUTE_FROM_DAY:
        return AgeCategory.ACUTE
    if age_days <= SUBACUTE_TO_DAY:
        return AgeCategory.SUBACUTE
    return AgeCategory.CHRONIC


@dataclass(frozen=True)
class FractureAge:
    """Days from onset to the assessment date, the category, and a sentence saying so."""

    days: int
    category: AgeCategory
    explanation: str
    rules_version: str = RULES_VERSION


def fracture_age(onset: date, as_of: date) -> FractureAge:
    """Age of a fracture on ``as_of`` (clinical-rules §4).

    Source: Medicare LCDs (L38201 family); Pain Physician 2013;16:E519. Rule: "Days from onset
    (or best estimate) to the assessment date: acute < 42 days; subacute 42–84; chronic > 84."
    An onset after ``as_of`` is rejected.
    """
    check_date("onset", onset)
    check_date("as_of", as_of)
    if onset > as_of:
        raise ClinicalInputError(
            "onset",
            f"must be on or before the assessment date {as_of.isoformat()}, "
            f"got '{onset.isoformat()}'",
        )
    days = (as_of - onset).days
    category = age_category(days)
    band = {
        AgeCategory.ACUTE: "under 6 weeks",
        AgeCategory.SUBACUTE: "6 to 12 weeks",
        AgeCategory.CHRONIC: "over 12 weeks",
    }[category]
    return FractureAge(days, category, f"{days} days since onset: {category} ({band}).")


# ---------------------------------------------------------------------------------------------
# §5 Morphometry and Genant grade

#: Heights are in millimetres, strictly between these bounds.
HEIGHT_MIN_MM = 0.0
HEIGHT_MAX_MM = 60.0


class FractureType(StrEnum):
    """Shape of the deformity: the reduction that is largest (§5)."""

    WEDGE = "wedge"
    BICONCAVE = "biconcave"
    CRUSH = "crush"


class GenantGrade(IntEnum):
    """Genant semiquantitative grade (§5). An ``IntEnum`` because the grade is a number."""

    NORMAL = 0
    MILD = 1
    MODERATE = 2
    SEVERE = 3


def _height(field: str, value: object) -> float:
    return check_number(field, value, HEIGHT_MIN_MM, HEIGHT_MAX_MM, lo_open=True, hi_open=True)


@dataclass(frozen=True)
class Morphometry:
    """Heights of one vertebra in mm: anterior ``ha``, middle ``hm``, posterior ``hp``, and the
    optional posterior heights of the nearest vertebra above and below. All > 0 and < 60."""

    ha: float
    hm: float
    hp: float
    hp_above: float | None = None
    hp_below: float | None = None

    def __post_init__(self) -> None:
        _height("ha", self.ha)
        _height("hm", self.hm)
        _height("hp", self.hp)
        if self.hp_above is not None:
            _height("hp_above", self.hp_above)
        if self.hp_below is not None:
            _height("hp_below", self.hp_below)

    @property
    def reference_hp(self) -> float | None:
        """Mean of the given ``hp_above``/``hp_below``, or ``None`` when neither is given."""
        given = [h for h in (self.hp_above, self.hp_below) if h is not None]
        if not given:
            return None
        return float(sum((to_decimal(h) for h in given), Decimal(0)) / len(given))


@dataclass(frozen=True)
class MorphometryResult:
    """Reductions (percent, one decimal, unclamped), height loss, type and grade."""

    height_loss_pct: float
    type: FractureType
    genant_grade: GenantGrade
    wedge_pct: float
    biconcave_pct: float
    crush_pct: float | None
    reasons: tuple[str, ...]
    rules_version: str = RULES_VERSION


def genant_grade(height_loss_pct: float) -> GenantGrade:
    """Genant grade for a height loss in percent.

    Source: Genant HK et al., JBMR 1993;8:1137–48, via clinical-rules §5 — "< 20 % → 0
    (normal); 20 ≤ x < 25 → 1 (mild); 25 ≤ x < 40 → 2 (moderate); ≥ 40 → 3 (severe)."
    The value is first rounded to one decimal (half up), so the grade always follows the
    percentage that is shown: 19.95 → 20.0 → grade 1.
    """
    pct = check_number("height_loss_pct", height_loss_pct, 0, 100)
    # SPEC-NOTE: §5 reports height loss "rounded to one decimal" and grades "from height loss";
    # the grade is taken from the rounded value (half up on the decimal value), so the grade
    # shown never disagrees with the percentage shown (19.95 → 20.0 → grade 1).
    shown = to_decimal(round_half_up(pct, 1))
    if shown < 20:
        return GenantGrade.NORMAL
    if shown < 25:
        return GenantGrade.MILD
    if shown < 40:
        return GenantGrade.MODERATE
    return GenantGrade.SEVERE


def _reduction(height: float, reference: float | Decimal) -> Decimal:
    """1 − height/reference, exactly on the entered decimals."""
    return 1 - to_decimal(height) / to_decimal(reference)


def grade_morphometry(m: Morphometry) -> MorphometryResult:
    """Height loss, deformity type and Genant grade from six-point morphometry.

    Source: Genant HK et al., JBMR 1993;8:1137–48 (semiquantitative grading) and the usual
    six-point morphometry, via clinical-rules §5:
    "wedge reduction = 1 − ha/hp; biconcave reduction = 1 − hm/hp; crush reduction = 1 − hp/ref,
    where ref = mean of the given hp_above/hp_below (only when at least one is given);
    height loss = the largest of these, as a percentage rounded to one decimal; a negative value
    is 0; type = the reduction that is largest (wedge, biconcave, crush); ties favour that order."
    """
    wedge = _reduction(m.ha, m.hp)
    biconcave = _reduction(m.hm, m.hp)
    crush: Decimal | None = None
    given = [to_decimal(h) for h in (m.hp_above, m.hp_below) if h is not None]
    # SPEC-NOTE: the crush reduction needs a reference; with neither hp_above nor hp_below it is
    # not computed (reported as null) and cannot be the type.
    if given:
        ref = sum(given, Decimal(0)) / len(given)
        crush = 1 - to_decimal(m.hp) / ref
    candidates: list[tuple[FractureType, Decimal]] = [
        (FractureType.WEDGE, wedge),
        (FractureType.BICONCAVE, biconcave),
    ]
    if crush is not None:
        candidates.append((FractureType.CRUSH, crush))
    # max() keeps the first of equal values, so ties favour wedge, then biconcave, then crush.
    kind, largest = max(candidates, key=lambda c: c[1])
    loss = round_half_up(max(largest, Decimal(0)) * 100, 1)
    grade = genant_grade(loss)

    def pct(x: Decimal) -> float:
        return round_half_up(x * 100, 1)

    parts = [f"wedge {pct(wedge)} %", f"biconcave {pct(biconcave)} %"]
    parts.append(
        f"crush {pct(crush)} %"
        if crush is not None
        else "crush not computed (no adjacent posterior height)"
    )
    reasons = (
        "Reductions: " + ", ".join(parts) + ".",
        f"Height loss {loss} % ({kind} deformity): Genant grade {int(grade)} "
        f"({grade.name.lower()}).",
    )
    return MorphometryResult(
        height_loss_pct=loss,
        type=kind,
        genant_grade=grade,
        wedge_pct=pct(wedge),
        biconcave_pct=pct(biconcave),
        crush_pct=pct(crush) if crush is not None else None,
        reasons=reasons,
    )


# ---------------------------------------------------------------------------------------------
# §5 Height restoration


@dataclass(frozen=True)
class DimensionRestoration:
    """Restoration of one height (``ha``, ``hm`` or ``hp``)."""

    dimension: str
    before_mm: float
    after_mm: float
    change_mm: float
    lost_mm: float | None
    regained_pct: float | None


@dataclass(frozen=True)
class HeightRestoration:
    """Height restoration after the procedure, in mm and as percent of lost height regained."""

    dimensions: tuple[DimensionRestoration, ...]
    height_loss_before_pct: float
    height_loss_after_pct: float
    reasons: tuple[str, ...]
    rules_version: str = RULES_VERSION


def height_restoration(before: Morphometry, after: Morphometry) -> HeightRestoration:
    """Height restoration, reported both ways (clinical-rules §5; Spine 2003;28:2517).

    Rule: "absolute change in mm for ha/hm/hp, and percentage of the lost height regained."
    """
    # SPEC-NOTE: §5 does not say what height a vertebra "lost" from. The reference (expected)
    # height is the mean adjacent posterior height (hp_above/hp_below before the procedure) when
    # given, otherwise the pre-procedure posterior height hp (for ha and hm only). Lost height =
    # reference − before; regained % = (after − before) / lost × 100, one decimal; not computed
    # (null) when nothing was lost in that dimension.
    ref_adjacent = before.reference_hp
    rows: list[DimensionRestoration] = []
    reasons: list[str] = []
    for name in ("ha", "hm", "hp"):
        b = to_decimal(getattr(before, name))
        a = to_decimal(getattr(after, name))
        change = round_half_up(a - b, 1)
        reference: Decimal | None
        if ref_adjacent is not None:
            reference = to_decimal(ref_adjacent)
        elif name != "hp":
            reference = to_decimal(before.hp)
        else:
            reference = None
        lost: float | None = None
        regained: float | None = None
        if reference is not None and reference - b > 0:
            lost = round_half_up(reference - b, 1)
            regained = round_half_up((a - b) / (reference - b) * 100, 1)
        rows.append(DimensionRestoration(name, float(b), float(a), change, lost, regained))
        text = f"{name}: {float(b):g} → {float(a):g} mm ({change:+g} mm)"
        if regained is not None:
            text += f", {regained:g} % of the {lost:g} mm lost regained"
        reasons.append(text + ".")
    loss_before = grade_morphometry(before).height_loss_pct
    loss_after = grade_morphometry(after).height_loss_pct
    reasons.append(f"Height loss {loss_before} % before, {loss_after} % after.")
    return HeightRestoration(tuple(rows), loss_before, loss_after, tuple(reasons))
