"""Expected course after kyphoplasty and meaningful-change tests (§9)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .rounding import round_half_up, to_decimal
from .validation import check_int, check_number
from .version import RULES_VERSION


class Instrument(StrEnum):
    """Outcome measures with an expected course."""

    NRS = "nrs"
    RMDQ = "rmdq"
    ODI = "odi"


#: Fraction of the baseline NRS remaining, median course (EVOLVE from day 7; Evans day 2).
PAIN_FRACTION_KNOTS: tuple[tuple[int, float], ...] = (
    (0, 1.00),
    (2, 0.55),
    (7, 0.40),
    (30, 0.38),
    (90, 0.31),
    (180, 0.29),
    (365, 0.28),
)
#: Fraction of the baseline RMDQ remaining (Evans 2016: 17.3 → 11.8 → 8.6 → 7.9 → 7.5).
RMDQ_FRACTION_KNOTS: tuple[tuple[int, float], ...] = (
    (0, 1.00),
    (3, 0.68),
    (30, 0.50),
    (180, 0.46),
    (365, 0.43),
)
#: Fraction of the baseline ODI remaining (EVOLVE: 63.4 → 32.9 → 27.1).
ODI_FRACTION_KNOTS: tuple[tuple[int, float], ...] = (
    (0, 1.00),
    (30, 0.52),
    (90, 0.43),
    (365, 0.43),
)

_KNOTS = {
    Instrument.NRS: PAIN_FRACTION_KNOTS,
    Instrument.RMDQ: RMDQ_FRACTION_KNOTS,
    Instrument.ODI: ODI_FRACTION_KNOTS,
}
_MAX = {Instrument.NRS: 10.0, Instrument.RMDQ: 24.0, Instrument.ODI: 100.0}

#: Days at which the plan shows the expected pain (clinical-cli.md, plan).
EXPECTED_PAIN_DAYS: tuple[int, ...] = (0, 2, 7, 14, 30, 60, 90, 180, 365)


def fraction_remaining(instrument: Instrument, day: float) -> float:
    """Fraction of the baseline expected to remain on ``day`` after the procedure.

    Source: clinical-rules §9 — pain: EVOLVE (Beall, Neurosurgery 2019;84:169) from day 7 and
    Evans (JNIS 2016;8:756) at day 2; RMDQ: Evans 2016; ODI: EVOLVE. "Interpolate linearly in
    log(1 + day)." Beyond the last point (day 365) the last fraction holds.
    """
    day = check_number("day", day, 0)
    knots = _KNOTS[Instrument(instrument)]
    # SPEC-NOTE: §9 gives no value after day 365; the day-365 fraction is held flat beyond it.
    if day >= knots[-1][0]:
        return knots[-1][1]
    x = math.log1p(day)
    for (d0, f0), (d1, f1) in zip(knots, knots[1:], strict=False):
        if d0 <= day <= d1:
            x0, x1 = math.log1p(d0), math.log1p(d1)
            return f0 + (f1 - f0) * (x - x0) / (x1 - x0)
    raise AssertionError("unreachable")  # pragma: no cover


def expected_value(instrument: Instrument, baseline: float, day: float) -> float:
    """Expected score on ``day`` for a ``baseline`` score (unrounded)."""
    instrument = Instrument(instrument)
    check_number("baseline", baseline, 0, _MAX[instrument])
    return baseline * fraction_remaining(instrument, day)


def expected_pain(baseline_nrs: float, day: float) -> float:
    """Expected pain NRS on ``day`` (§9, median course), unrounded."""
    return expected_value(Instrument.NRS, baseline_nrs, day)


def expected_rmdq(baseline_rmdq: float, day: float) -> float:
    """Expected RMDQ on ``day`` (§9, Evans 2016), unrounded."""
    return expected_value(Instrument.RMDQ, baseline_rmdq, day)


def expected_odi(baseline_odi: float, day: float) -> float:
    """Expected ODI % on ``day`` (§9, EVOLVE), unrounded."""
    return expected_value(Instrument.ODI, baseline_odi, day)


@dataclass(frozen=True)
class ExpectedPoint:
    """One point of an expected course: day after the procedure and value (one decimal)."""

    day: int
    value: float


@dataclass(frozen=True)
class ExpectedCourse:
    """The expected course of one measure from a baseline."""

    instrument: Instrument
    baseline: float
    points: tuple[ExpectedPoint, ...]
    source: str
    rules_version: str = RULES_VERSION


_SOURCES = {
    Instrument.NRS: "EVOLVE (Beall, Neurosurgery 2019;84:169) from day 7; Evans (JNIS "
    "2016;8:756) at day 2; median course, interpolated in log(1 + day)",
    Instrument.RMDQ: "Evans (JNIS 2016;8:756), interpolated in log(1 + day)",
    Instrument.ODI: "EVOLVE (Beall, Neurosurgery 2019;84:169), interpolated in log(1 + day)",
}


def expected_course(
    instrument: Instrument, baseline: float, days: Iterable[int] = EXPECTED_PAIN_DAYS
) -> ExpectedCourse:
    """Expected values at ``days`` (rounded to one decimal, half up) from ``baseline``."""
    instrument = Instrument(instrument)
    points = tuple(
        ExpectedPoint(
            check_int("day", d, 0), round_half_up(expected_value(instrument, baseline, d), 1)
        )
        for d in days
    )
    return ExpectedCourse(instrument, float(baseline), points, _SOURCES[instrument])


# ---------------------------------------------------------------------------------------------
# Meaningful improvement


@dataclass(frozen=True)
class ChangeResult:
    """Change from baseline and whether it is a meaningful improvement."""

    instrument: Instrument
    baseline: float
    current: float
    change: float
    change_pct: float | None
    meaningful_improvement: bool
    rule: str
    explanation: str
    rules_version: str = RULES_VERSION


def _change(
    instrument: Instrument,
    baseline: float,
    current: float,
    points: int,
    percent: int | None,
) -> ChangeResult:
    top = _MAX[instrument]
    check_number("baseline", baseline, 0, top)
    check_number("current", current, 0, top)
    b, c = to_decimal(baseline), to_decimal(current)
    drop = b - c
    pct: Decimal | None = drop / b * 100 if b > 0 else None
    by_points = drop >= points
    by_percent = percent is not None and pct is not None and pct >= percent
    meaningful = by_points or by_percent
    rule = f"a drop of {points} points" + (f" or {percent} %" if percent is not None else "")
    shown_pct = round_half_up(pct, 1) if pct is not None else None
    pct_text = f" ({shown_pct:g} % of baseline)" if shown_pct is not None else ""
    explanation = (
        f"{instrument.upper()} {float(b):g} → {float(c):g}: a drop of {float(drop):g} "
        f"points{pct_text}; meaningful improvement needs {rule}: "
        + ("met." if meaningful else "not met.")
    )
    return ChangeResult(
        instrument,
        float(b),
        float(c),
        float(c - b),
        0.0 - shown_pct if shown_pct is not None else None,
        meaningful,
        rule,
        explanation,
    )


def nrs_meaningful_improvement(baseline: int, current: int) -> ChangeResult:
    """Meaningful improvement of pain NRS.

    Source: Ostelo RW et al., Spine 2008;33:90 (clinical-rules §9) — "NRS −2 points or −30 %".
    """
    check_int("baseline", baseline, 0, 10)
    check_int("current", current, 0, 10)
    return _change(Instrument.NRS, baseline, current, 2, 30)


def rmdq_meaningful_improvement(baseline: int, current: int) -> ChangeResult:
    """Meaningful improvement of the RMDQ.

    Source: Ostelo RW et al., Spine 2008;33:90 (clinical-rules §9) — "RMDQ −5 points or −30 %".
    """
    check_int("baseline", baseline, 0, 24)
    check_int("current", current, 0, 24)
    return _change(Instrument.RMDQ, baseline, current, 5, 30)


def odi_meaningful_improvement(baseline: float, current: float) -> ChangeResult:
    """Meaningful improvement of the ODI.

    Source: Ostelo RW et al., Spine 2008;33:90 (clinical-rules §9) — "ODI −10 points".
    """
    return _change(Instrument.ODI, baseline, current, 10, None)


def meaningful_improvement_threshold(instrument: Instrument, baseline: float) -> float:
    """The highest score that still counts as a meaningful improvement from ``baseline``
    (for drawing the meaningful-change line on a chart); can be below 0 when unreachable."""
    instrument = Instrument(instrument)
    check_number("baseline", baseline, 0, _MAX[instrument])
    if instrument is Instrument.ODI:
        return baseline - 10
    points = 2 if instrument is Instrument.NRS else 5
    return max(baseline - points, baseline * 0.7)
