"""§1 Vertebral levels: "T1–T12 and L1–L5 (17 levels; T12 is adjacent to L1). Cervical and sacral
levels are out of scope for this pathway: input naming them is rejected with a clear message." """

import pytest

from kyphocare.clinical import LEVELS, ClinicalInputError, Level, Region, parse_level, parse_levels


def test_seventeen_levels_in_anatomical_order_with_regions():
    assert [str(lv) for lv in LEVELS] == [f"T{i}" for i in range(1, 13)] + [
        f"L{i}" for i in range(1, 6)
    ]
    assert len(LEVELS) == 17
    assert {lv.region for lv in LEVELS[:12]} == {Region.THORACIC}
    assert {lv.region for lv in LEVELS[12:]} == {Region.LUMBAR}


def test_t12_is_adjacent_to_l1():
    assert Level.T12.is_adjacent_to(Level.L1)
    assert not Level.T11.is_adjacent_to(Level.L1)


@pytest.mark.parametrize("text", ["L1", "l1", " t12 "])
def test_parse_accepts_names_regardless_of_case_and_spaces(text):
    assert parse_level(text) in (Level.L1, Level.T12)


@pytest.mark.parametrize("text", ["C5", "S1", "T13", "L6", "X", ""])
def test_parse_rejects_cervical_sacral_and_unknown_levels(text):
    with pytest.raises(ClinicalInputError) as exc:
        parse_level(text, "fractures[0].level")
    assert str(exc.value) == (
        f"fractures[0].level: {text!r} is not a thoracic or lumbar level (T1–T12, L1–L5)"
    )


def test_parse_rejects_non_text():
    with pytest.raises(ClinicalInputError, match="level: must be a level name"):
        parse_level(5)


def test_parse_levels_rejects_repeats_and_empty():
    assert parse_levels(["T12", "L1"]) == (Level.T12, Level.L1)
    with pytest.raises(ClinicalInputError, match=r"levels\[1\]: 'L1' is listed twice"):
        parse_levels(["L1", "l1"])
    with pytest.raises(ClinicalInputError, match="levels: must list at least one level"):
        parse_levels([])
