"""Procedure record, CPT codes (§7) and the terminology codes of §12."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .errors import ClinicalInputError
from .fracture import Morphometry
from .levels import Level, Region, parse_level, parse_levels
from .validation import check_bool, check_date, check_int, check_number, show
from .version import RULES_VERSION

# ---------------------------------------------------------------------------------------------
# §7 Procedure record


class Approach(StrEnum):
    """Pedicle approach at one level."""

    UNIPEDICULAR = "unipedicular"
    BIPEDICULAR = "bipedicular"


class CementLeakage(StrEnum):
    """Cement leakage seen at one level."""

    NONE = "none"
    ASYMPTOMATIC = "asymptomatic"
    SYMPTOMATIC = "symptomatic"


class LeakageSite(StrEnum):
    """Where leaked cement was seen."""

    INTRADISCAL = "intradiscal"
    PARAVERTEBRAL = "paravertebral"
    EPIDURAL = "epidural"
    FORAMINAL = "foraminal"
    VENOUS = "venous"
    OTHER = "other"


class Anaesthesia(StrEnum):
    """Anaesthesia for the procedure."""

    LOCAL_SEDATION = "local_sedation"
    GENERAL = "general"


class Discharge(StrEnum):
    """How the patient left after the procedure."""

    SAME_DAY = "same_day"
    OVERNIGHT = "overnight"
    ADMITTED = "admitted"


#: Cement volume per level, mL (§7: "cement volume (mL, 0–15)").
CEMENT_MAX_ML = 15.0


@dataclass(frozen=True)
class ProcedureLevel:
    """One treated level (§7)."""

    level: Level
    approach: Approach
    cement_volume_ml: float
    leakage: CementLeakage = CementLeakage.NONE
    leakage_site: LeakageSite | None = None
    biopsy_taken: bool = False
    post_morphometry: Morphometry | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", parse_level(self.level))
        if not isinstance(self.approach, Approach):
            raise ClinicalInputError(
                "approach", f"must be unipedicular or bipedicular, got {show(self.approach)}"
            )
        check_number("cement_volume_ml", self.cement_volume_ml, 0, CEMENT_MAX_ML)
        if not isinstance(self.leakage, CementLeakage):
            raise ClinicalInputError(
                "leakage", f"must be none, asymptomatic or symptomatic, got {show(self.leakage)}"
            )
        # SPEC-NOTE: §7 says leakage is recorded "with site"; the site is required when there
        # is leakage and must be absent when there is none.
        if self.leakage is CementLeakage.NONE and self.leakage_site is not None:
            raise ClinicalInputError("leakage_site", "must be empty when leakage is none")
        if self.leakage is not CementLeakage.NONE and not isinstance(
            self.leakage_site, LeakageSite
        ):
            raise ClinicalInputError(
                "leakage_site",
                "is required when there is leakage; one of "
                + ", ".join(s.value for s in LeakageSite),
            )
        check_bool("biopsy_taken", self.biopsy_taken)


@dataclass(frozen=True)
class ProcedureRecord:
    """One kyphoplasty procedure (§7)."""

    date: date
    levels: tuple[ProcedureLevel, ...]
    anaesthesia: Anaesthesia
    duration_min: int
    discharge: Discharge
    complications: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_date("date", self.date)
        object.__setattr__(self, "levels", tuple(self.levels))
        object.__setattr__(self, "complications", tuple(self.complications))
        if not self.levels:
            raise ClinicalInputError("levels", "must list at least one treated level")
        parse_levels(row.level for row in self.levels)
        if not isinstance(self.anaesthesia, Anaesthesia):
            raise ClinicalInputError("anaesthesia", "must be local_sedation or general")
        check_int("duration_min", self.duration_min, 1, 600)
        if not isinstance(self.discharge, Discharge):
            raise ClinicalInputError("discharge", "must be same_day, overnight or admitted")
        for i, text in enumerate(self.complications):
            if not isinstance(text, str) or not text.strip():
                raise ClinicalInputError(f"complications[{i}]", "must be a non-empty text")


# ---------------------------------------------------------------------------------------------
# §7 CPT


class CptCode(StrEnum):
    """CPT codes for percutaneous vertebral augmentation (kyphoplasty)."""

    THORACIC_FIRST_LEVEL = "22513"
    LUMBAR_FIRST_LEVEL = "22514"
    EACH_ADDITIONAL_LEVEL = "22515"


CPT_DESCRIPTIONS: dict[CptCode, str] = {
    CptCode.THORACIC_FIRST_LEVEL: "Percutaneous vertebral augmentation, thoracic, first level",
    CptCode.LUMBAR_FIRST_LEVEL: "Percutaneous vertebral augmentation, lumbar, first level",
    CptCode.EACH_ADDITIONAL_LEVEL: (
        "Percutaneous vertebral augmentation, each additional thoracic or lumbar level (add-on)"
    ),
}


@dataclass(frozen=True)
class CodeLine:
    """One CPT code and the level it bills."""

    code: CptCode
    level: Level
    description: str


@dataclass(frozen=True)
class CodingResult:
    """The CPT codes for a procedure, with why."""

    codes: tuple[CodeLine, ...]
    reasons: tuple[str, ...]
    rules_version: str = RULES_VERSION


def cpt_codes(levels: Iterable[Level | str]) -> CodingResult:
    """CPT codes for kyphoplasty at ``levels``, in the order listed (clinical-rules §7).

    Source: CPT 2015+ vertebral augmentation codes, via §7 — "first level 22513 (thoracic) or
    22514 (lumbar); each additional level +22515 (these include imaging guidance and biopsy).
    When both regions are treated, the primary code is that of the first level listed."
    Vertebroplasty (22510/22511/+22512) is out of scope.
    """
    parsed = parse_levels(levels)
    first = parsed[0]
    primary = (
        CptCode.THORACIC_FIRST_LEVEL
        if first.region is Region.THORACIC
        else CptCode.LUMBAR_FIRST_LEVEL
    )
    lines = [CodeLine(primary, first, CPT_DESCRIPTIONS[primary])]
    lines.extend(
        CodeLine(CptCode.EACH_ADDITIONAL_LEVEL, lv, CPT_DESCRIPTIONS[CptCode.EACH_ADDITIONAL_LEVEL])
        for lv in parsed[1:]
    )
    reasons = [f"{first} is {first.region}: first level {primary}."]
    if len(parsed) > 1:
        reasons.append(f"{len(parsed) - 1} additional level(s): +22515 each.")
    if len({lv.region for lv in parsed}) > 1:
        reasons.append("Both regions treated: the primary code follows the first level listed.")
    reasons.append("Imaging guidance and biopsy are included in these codes.")
    return CodingResult(tuple(lines), tuple(reasons))


def procedure_codes(record: ProcedureRecord) -> CodingResult:
    """CPT codes for a :class:`ProcedureRecord` (its levels in the order recorded)."""
    return cpt_codes(row.level for row in record.levels)


# ---------------------------------------------------------------------------------------------
# §12 Codes

#: SNOMED CT: compression fracture of vertebral column.
SNOMED_VERTEBRAL_COMPRESSION_FRACTURE = "42942008"

#: ICD-10-CM codes and categories named in §12 ("-" marks a category needing more characters).
ICD10_CM: dict[str, str] = {
    "M80.08XA": "Age-related osteoporosis with current pathological fracture, vertebra(e), "
    "initial encounter",
    "M48.5-": "Collapsed vertebra, not elsewhere classified",
    "M84.58XA": "Pathological fracture in neoplastic disease, other specified site (vertebra), "
    "initial encounter; add the neoplasm code",
    "C79.51": "Secondary malignant neoplasm of bone",
    "C41.2": "Malignant neoplasm of vertebral column",
    "C90.0-": "Multiple myeloma",
    "S22.0-": "Fracture of thoracic vertebra (traumatic)",
    "S32.0-": "Fracture of lumbar vertebra (traumatic)",
}

#: LOINC: pain severity 0–10 numeric rating.
LOINC_PAIN_NRS = "72514-3"
#: LOINC: Oswestry Disability Index score.
LOINC_ODI_SCORE = "97909-6"
#: LOINC: Oswestry Disability Index panel.
LOINC_ODI_PANEL = "97908-8"

# SPEC-NOTE: §12 says no LOINC code exists for the RMDQ and to "use a local code system"
# without naming one; this URI is our placeholder, to be replaced by the deployment's own.
#: Local code system for codes without a standard one.
LOCAL_CODE_SYSTEM = "urn:kyphocare:codes"
#: Local code for the RMDQ total score.
LOCAL_CODE_RMDQ_SCORE = "rmdq-score"
