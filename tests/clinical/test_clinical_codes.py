"""§7 CPT codes and procedure record; §12 codes."""

from datetime import date

import pytest

from kyphocare.clinical import (
    ICD10_CM,
    LOINC_PAIN_NRS,
    SNOMED_VERTEBRAL_COMPRESSION_FRACTURE,
    Anaesthesia,
    Approach,
    CementLeakage,
    ClinicalInputError,
    CptCode,
    Discharge,
    LeakageSite,
    Level,
    ProcedureLevel,
    ProcedureRecord,
    cpt_codes,
    procedure_codes,
)


def codes(*levels):
    return [(str(line.code), str(line.level)) for line in cpt_codes(levels).codes]


def test_thoracic_first_level_is_22513():
    """§7: "first level 22513 (thoracic) or 22514 (lumbar); each additional level +22515"."""
    assert codes("T8") == [("22513", "T8")]
    assert codes("T8", "T9") == [("22513", "T8"), ("22515", "T9")]


def test_lumbar_first_level_is_22514():
    assert codes("L1", "L2") == [("22514", "L1"), ("22515", "L2")]


def test_mixed_regions_follow_the_first_level_listed():
    """§7: "When both regions are treated, the primary code is that of the first level
    listed"."""
    assert codes("T12", "L1") == [("22513", "T12"), ("22515", "L1")]
    assert codes("L1", "T12", "T11") == [("22514", "L1"), ("22515", "T12"), ("22515", "T11")]
    assert any("Both regions" in r for r in cpt_codes(["L1", "T12"]).reasons)


def test_vertebroplasty_codes_are_not_offered():
    """§7: "Vertebroplasty (22510/22511/+22512) is out of scope"."""
    assert {c.value for c in CptCode} == {"22513", "22514", "22515"}


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (["C7"], r"levels\[0\]: 'C7' is not a thoracic or lumbar level"),
        (["L1", "L1"], r"levels\[1\]: 'L1' is listed twice"),
        ([], "levels: must list at least one level"),
    ],
)
def test_bad_levels_are_rejected(levels, message):
    with pytest.raises(ClinicalInputError, match=message):
        cpt_codes(levels)


def level(name="L1", **kw):
    base = {"approach": Approach.BIPEDICULAR, "cement_volume_ml": 4.5}
    base.update(kw)
    return ProcedureLevel(Level(name), **base)


def record(*levels):
    return ProcedureRecord(
        date=date(2026, 11, 20),
        levels=levels or (level(),),
        anaesthesia=Anaesthesia.LOCAL_SEDATION,
        duration_min=45,
        discharge=Discharge.SAME_DAY,
    )


def test_procedure_record_codes():
    assert [str(c.code) for c in procedure_codes(record(level("T12"), level("L1"))).codes] == [
        "22513",
        "22515",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cement_volume_ml": 15.5}, "cement_volume_ml"),
        ({"cement_volume_ml": -1}, "cement_volume_ml"),
        ({"leakage": CementLeakage.ASYMPTOMATIC}, "leakage_site"),
        ({"leakage_site": LeakageSite.EPIDURAL}, "leakage_site"),
        ({"biopsy_taken": "yes"}, "biopsy_taken"),
    ],
)
def test_procedure_level_checks(kwargs, field):
    """§7: "cement volume (mL, 0–15), cement leakage (none/asymptomatic/symptomatic, with
    site)"."""
    with pytest.raises(ClinicalInputError) as exc:
        level(**kwargs)
    assert exc.value.field == field


def test_leakage_with_site_is_accepted():
    row = level(
        leakage=CementLeakage.SYMPTOMATIC, leakage_site=LeakageSite.VENOUS, cement_volume_ml=15
    )
    assert row.leakage_site is LeakageSite.VENOUS


def test_procedure_record_rejects_repeated_levels_and_bad_duration():
    with pytest.raises(ClinicalInputError, match="listed twice"):
        record(level("L1"), level("L1"))
    with pytest.raises(ClinicalInputError, match="duration_min"):
        ProcedureRecord(date(2026, 11, 20), (level(),), Anaesthesia.GENERAL, 0, Discharge.ADMITTED)


def test_section_12_codes():
    assert SNOMED_VERTEBRAL_COMPRESSION_FRACTURE == "42942008"
    assert "M80.08XA" in ICD10_CM and "M84.58XA" in ICD10_CM
    assert LOINC_PAIN_NRS == "72514-3"
