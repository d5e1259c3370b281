"""§4 fracture age and §5 morphometry, Genant grade and height restoration."""

from datetime import date, timedelta

import pytest

from kyphocare.clinical import (
    AgeCategory,
    ClinicalInputError,
    FractureType,
    GenantGrade,
    Morphometry,
    age_category,
    fracture_age,
    genant_grade,
    grade_morphometry,
    height_restoration,
)

AS_OF = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # "acute < 42 days (6 weeks); subacute 42–84 days (6–12 weeks); chronic > 84 days."
        (0, AgeCategory.ACUTE),
        (41, AgeCategory.ACUTE),
        (42, AgeCategory.SUBACUTE),
        (84, AgeCategory.SUBACUTE),
        (85, AgeCategory.CHRONIC),
    ],
)
def test_fracture_age_boundaries(days, expected):
    age = fracture_age(AS_OF - timedelta(days=days), AS_OF)
    assert age.days == days
    assert age.category is expected
    assert age_category(days) is expected
    assert str(expected) in age.explanation


def test_onset_after_assessment_date_is_rejected():
    with pytest.raises(ClinicalInputError, match="onset: must be on or before"):
        fracture_age(AS_OF + timedelta(days=1), AS_OF)


def grade_for(ha, hp=20.0, hm=None):
    return grade_morphometry(Morphometry(ha=ha, hm=hm if hm is not None else hp, hp=hp))


@pytest.mark.parametrize(
    ("ha", "loss", "grade"),
    [
        # "< 20 % → 0 (normal); 20 ≤ x < 25 → 1 (mild); 25 ≤ x < 40 → 2 (moderate); ≥ 40 → 3"
        # "height loss = ... as a percentage rounded to one decimal"; the grade follows the
        # rounded percentage (SPEC-NOTE).
        (16.012, 19.9, GenantGrade.NORMAL),  # 19.94 → 19.9
        (16.02, 19.9, GenantGrade.NORMAL),
        (16.01, 20.0, GenantGrade.MILD),  # 19.95 → 20.0
        (16.0, 20.0, GenantGrade.MILD),
        (15.02, 24.9, GenantGrade.MILD),
        (15.01, 25.0, GenantGrade.MODERATE),  # 24.95 → 25.0
        (15.0, 25.0, GenantGrade.MODERATE),
        (12.02, 39.9, GenantGrade.MODERATE),
        (12.01, 40.0, GenantGrade.SEVERE),  # 39.95 → 40.0
        (12.0, 40.0, GenantGrade.SEVERE),
    ],
)
def test_height_loss_and_grade_boundaries(ha, loss, grade):
    result = grade_for(ha)
    assert result.height_loss_pct == loss
    assert result.genant_grade is grade
    assert result.type is FractureType.WEDGE


@pytest.mark.parametrize(
    ("pct", "grade"),
    [
        (19.9, 0),
        (19.95, 1),
        (20, 1),
        (24.9, 1),
        (24.95, 2),
        (25, 2),
        (39.9, 2),
        (39.95, 3),
        (40, 3),
    ],
)
def test_genant_grade_from_a_percentage(pct, grade):
    assert genant_grade(pct) == grade


def test_documented_example_is_wedge_30_8_grade_2():
    """clinical-cli.md: ha 18, hm 21, hp 26, above 27, below 28 → 30.8 %, grade 2."""
    result = grade_morphometry(Morphometry(18.0, 21.0, 26.0, 27.0, 28.0))
    assert result.height_loss_pct == 30.8
    assert result.genant_grade is GenantGrade.MODERATE
    assert result.type is FractureType.WEDGE
    assert (result.wedge_pct, result.biconcave_pct, result.crush_pct) == (30.8, 19.2, 5.5)


def test_biconcave_type():
    result = grade_morphometry(Morphometry(ha=24.0, hm=15.0, hp=25.0))
    assert result.type is FractureType.BICONCAVE
    assert result.height_loss_pct == 40.0


def test_crush_type_needs_an_adjacent_height():
    """ "crush reduction = 1 − hp/ref, where ref = mean of the given hp_above/hp_below
    (only when at least one is given)"."""
    with_ref = grade_morphometry(Morphometry(ha=18.0, hm=18.0, hp=18.0, hp_above=27.0))
    assert with_ref.type is FractureType.CRUSH
    assert with_ref.height_loss_pct == 33.3
    without = grade_morphometry(Morphometry(ha=18.0, hm=18.0, hp=18.0))
    assert without.crush_pct is None
    assert without.height_loss_pct == 0.0
    assert without.type is FractureType.WEDGE


def test_ties_favour_wedge_then_biconcave_then_crush():
    """ "type = the reduction that is largest (wedge, biconcave, crush); ties favour that order"."""
    assert grade_morphometry(Morphometry(15, 15, 20)).type is FractureType.WEDGE
    assert grade_morphometry(Morphometry(11.25, 15, 15, 20)).type is FractureType.WEDGE
    assert grade_morphometry(Morphometry(15, 11.25, 15, 20)).type is FractureType.BICONCAVE
    assert grade_morphometry(Morphometry(20, 20, 15, 20)).type is FractureType.CRUSH


def test_negative_reduction_counts_as_zero():
    """ "a negative value is 0"."""
    result = grade_morphometry(Morphometry(ha=30.0, hm=30.0, hp=25.0))
    assert result.height_loss_pct == 0.0
    assert result.wedge_pct < 0
    assert result.genant_grade is GenantGrade.NORMAL


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("ha", {"ha": 0, "hm": 20, "hp": 20}),
        ("hm", {"ha": 20, "hm": 60, "hp": 20}),
        ("hp", {"ha": 20, "hm": 20, "hp": -1}),
        ("hp_above", {"ha": 20, "hm": 20, "hp": 20, "hp_above": 61}),
        ("hp_below", {"ha": 20, "hm": 20, "hp": 20, "hp_below": True}),
    ],
)
def test_heights_must_be_between_0_and_60_mm(field, kwargs):
    """ "All > 0 and < 60"."""
    with pytest.raises(ClinicalInputError) as exc:
        Morphometry(**kwargs)
    assert exc.value.field == field
    assert "greater than 0 and less than 60" in exc.value.message


def test_height_restoration_in_mm_and_percent_of_lost_height():
    """ "absolute change in mm for ha/hm/hp, and percentage of the lost height regained"."""
    before = Morphometry(ha=18.0, hm=21.0, hp=26.0, hp_above=27.0, hp_below=28.0)
    after = Morphometry(ha=23.0, hm=24.0, hp=26.5)
    result = height_restoration(before, after)
    ha, hm, hp = result.dimensions
    assert (ha.change_mm, hm.change_mm, hp.change_mm) == (5.0, 3.0, 0.5)
    # reference = mean adjacent posterior height 27.5: ha lost 9.5, regained 5 → 52.6 %
    assert ha.lost_mm == 9.5 and ha.regained_pct == 52.6
    assert hp.lost_mm == 1.5 and hp.regained_pct == 33.3
    assert result.height_loss_before_pct == 30.8
    assert result.height_loss_after_pct == 13.2  # 1 − 23/26.5


def test_height_restoration_without_adjacent_heights_uses_posterior_height():
    result = height_restoration(Morphometry(15.0, 20.0, 20.0), Morphometry(18.0, 20.0, 20.0))
    ha, hm, hp = result.dimensions
    assert ha.regained_pct == 60.0
    assert hm.regained_pct is None  # nothing lost
    assert hp.lost_mm is None and hp.regained_pct is None
