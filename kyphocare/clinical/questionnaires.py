"""Questionnaire scoring: pain NRS, RMDQ and ODI (§11)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import ClinicalInputError
from .rounding import round_half_up
from .validation import check_int, check_number, show
from .version import RULES_VERSION

# ---------------------------------------------------------------------------------------------
# Pain NRS

NRS_MIN = 0
NRS_MAX = 10


def check_nrs(value: object, field: str = "pain_nrs") -> int:
    """A pain score: an integer 0–10 (0 no pain, 10 worst imaginable). §11; LOINC 72514-3."""
    return check_int(field, value, NRS_MIN, NRS_MAX)


# ---------------------------------------------------------------------------------------------
# RMDQ

#: The 24 RMDQ statement numbers (the statements' wording is added separately).
RMDQ_ITEM_NUMBERS: tuple[int, ...] = tuple(range(1, 25))
RMDQ_MAX = 24


@dataclass(frozen=True)
class RmdqScore:
    """RMDQ score: the number of statements ticked."""

    score: int
    ticked: tuple[int, ...]
    max: int = RMDQ_MAX
    rules_version: str = RULES_VERSION


def score_rmdq(ticked: Iterable[int]) -> RmdqScore:
    """Score the Roland–Morris Disability Questionnaire.

    Source: Roland M, Morris R, Spine 1983;8:141, via clinical-rules §11 — "24 statements;
    score = number ticked (0–24); an unticked statement counts as no." Statement numbers are
    1–24 and may not repeat.
    """
    seen: list[int] = []
    for i, number in enumerate(ticked):
        field = f"ticked[{i}]"
        check_int(field, number, 1, RMDQ_MAX)
        if number in seen:
            raise ClinicalInputError(
                field, f"statement {number} is ticked twice; list each statement once"
            )
        seen.append(number)
    return RmdqScore(len(seen), tuple(sorted(seen)))


def check_rmdq(value: object, field: str = "rmdq") -> int:
    """An RMDQ score: an integer 0–24."""
    return check_int(field, value, 0, RMDQ_MAX)


# ---------------------------------------------------------------------------------------------
# ODI

ODI_SECTIONS = 10
ODI_MIN_ANSWERED = 8


class OdiBand(StrEnum):
    """ODI disability bands (Fairbank & Pynsent 2000)."""

    MINIMAL = "minimal"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRIPPLED = "crippled"
    BED_BOUND = "bed_bound"


ODI_BAND_LABELS: dict[OdiBand, str] = {
    OdiBand.MINIMAL: "minimal disability (0–20 %)",
    OdiBand.MODERATE: "moderate disability (21–40 %)",
    OdiBand.SEVERE: "severe disability (41–60 %)",
    OdiBand.CRIPPLED: "crippling back pain (61–80 %)",
    OdiBand.BED_BOUND: "bed-bound or exaggerating (81–100 %)",
}


@dataclass(frozen=True)
class OdiScore:
    """ODI score in percent (one decimal), sections answered, and band."""

    score_pct: float
    answered: int
    band: OdiBand
    rules_version: str = RULES_VERSION


def odi_band(score_pct: float) -> OdiBand:
    """Band for an ODI score.

    Source: Fairbank JC, Pynsent PB, Spine 2000;25:2940, via clinical-rules §11 — "0–20
    minimal, 21–40 moderate, 41–60 severe, 61–80 crippled, 81–100 bed-bound".
    """
    pct = check_number("score_pct", score_pct, 0, 100)
    # SPEC-NOTE: the bands are written on whole numbers (0–20, 21–40 …) but scores have one
    # decimal. Each band's upper bound is inclusive and the next starts just above it:
    # 20.0 is minimal, 20.1 is moderate; 40.0 moderate, 40.1 severe; and so on.
    if pct <= 20:
        return OdiBand.MINIMAL
    if pct <= 40:
        return OdiBand.MODERATE
    if pct <= 60:
        return OdiBand.SEVERE
    if pct <= 80:
        return OdiBand.CRIPPLED
    return OdiBand.BED_BOUND


def score_odi(sections: Sequence[int | None]) -> OdiScore:
    """Score the Oswestry Disability Index v2.1a from its ten section scores.

    Source: Fairbank JC, Pynsent PB, Spine 2000;25:2940, via clinical-rules §11 — "10 sections
    scored 0–5; score % = sum / (5 × sections answered) × 100, one decimal; computed only when
    ≥ 8 sections are answered." ``None`` marks an unanswered section. The ODI wording is
    licensed and is not part of this package.
    """
    if isinstance(sections, str | bytes) or not isinstance(sections, Sequence):
        raise ClinicalInputError(
            "sections", f"must be a list of {ODI_SECTIONS} entries, got {show(sections)}"
        )
    if len(sections) != ODI_SECTIONS:
        raise ClinicalInputError(
            "sections",
            f"must have exactly {ODI_SECTIONS} entries (0–5, or null when unanswered), "
            f"got {len(sections)}",
        )
    answered = [
        check_int(f"sections[{i}]", value, 0, 5)
        for i, value in enumerate(sections)
        if value is not None
    ]
    if len(answered) < ODI_MIN_ANSWERED:
        raise ClinicalInputError(
            "sections",
            f"only {len(answered)} of {ODI_SECTIONS} sections answered; the ODI is scored "
            f"only when at least {ODI_MIN_ANSWERED} are answered",
        )
    pct = round_half_up(Fraction(sum(answered) * 100, 5 * len(answered)), 1)
    return OdiScore(pct, len(answered), odi_band(pct))
