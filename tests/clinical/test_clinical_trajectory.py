"""§9 expected course and meaningful improvement."""

import math

import pytest

from kyphocare.clinical import (
    ClinicalInputError,
    Instrument,
    expected_course,
    expected_odi,
    expected_pain,
    expected_rmdq,
    fraction_remaining,
    meaningful_improvement_threshold,
    nrs_meaningful_improvement,
    odi_meaningful_improvement,
    rmdq_meaningful_improvement,
)


@pytest.mark.parametrize(
    ("day", "fraction"),
    # "| day | 0 | 2 | 7 | 30 | 90 | 180 | 365 | fraction | 1.00 | 0.55 | 0.40 | 0.38 | 0.31 |
    # 0.29 | 0.28 |"
    [(0, 1.0), (2, 0.55), (7, 0.40), (30, 0.38), (90, 0.31), (180, 0.29), (365, 0.28)],
)
def test_pain_fraction_at_the_table_days(day, fraction):
    assert fraction_remaining(Instrument.NRS, day) == pytest.approx(fraction)


def test_interpolation_is_linear_in_log_1_plus_day():
    """ "Interpolate linearly in log(1 + day)"."""
    x = (math.log(1 + 14) - math.log(8)) / (math.log(31) - math.log(8))
    assert fraction_remaining(Instrument.NRS, 14) == pytest.approx(0.40 + (0.38 - 0.40) * x)
    assert expected_pain(8, 14) == pytest.approx(8 * (0.40 + (0.38 - 0.40) * x))


def test_after_365_days_the_last_fraction_holds():
    assert fraction_remaining(Instrument.NRS, 1000) == 0.28


def test_rmdq_and_odi_courses():
    """RMDQ "1.00 (d0), 0.68 (d3), 0.50 (d30), 0.46 (d180), 0.43 (d365)"; ODI "1.00, 0.52 (d30),
    0.43 (d90), 0.43 (d365)"."""
    assert expected_rmdq(20, 3) == pytest.approx(13.6)
    assert expected_rmdq(20, 365) == pytest.approx(8.6)
    assert expected_odi(60, 30) == pytest.approx(31.2)
    assert expected_odi(60, 200) == pytest.approx(25.8)


def test_expected_course_days_and_rounding():
    course = expected_course(Instrument.NRS, 8)
    assert [p.day for p in course.points] == [0, 2, 7, 14, 30, 60, 90, 180, 365]
    assert [p.value for p in course.points][:3] == [8.0, 4.4, 3.2]
    assert "EVOLVE" in course.source


def test_negative_day_and_out_of_range_baseline_are_rejected():
    with pytest.raises(ClinicalInputError, match="day"):
        expected_pain(8, -1)
    with pytest.raises(ClinicalInputError, match="baseline"):
        expected_pain(11, 3)


@pytest.mark.parametrize(
    ("baseline", "current", "meaningful"),
    [
        # "NRS −2 points or −30 %"
        (8, 6, True),  # −2 points
        (8, 7, False),  # −1 point, 12.5 %
        (3, 2, True),  # −1 point but 33 %
        (10, 8, True),
        (10, 9, False),
        (0, 0, False),
    ],
)
def test_nrs_meaningful_improvement(baseline, current, meaningful):
    result = nrs_meaningful_improvement(baseline, current)
    assert result.meaningful_improvement is meaningful
    assert result.explanation.endswith("met." if meaningful else "not met.")


def test_exactly_30_percent_counts():
    # 10 → 7 is −3 points anyway; RMDQ 20 → 14 is −6; RMDQ 10 → 7 is −3 points and exactly 30 %.
    assert rmdq_meaningful_improvement(10, 7).meaningful_improvement
    assert not rmdq_meaningful_improvement(10, 8).meaningful_improvement


def test_rmdq_meaningful_improvement_by_points():
    """ "RMDQ −5 points or −30 %"."""
    assert rmdq_meaningful_improvement(24, 19).meaningful_improvement
    assert not rmdq_meaningful_improvement(24, 20).meaningful_improvement


def test_odi_meaningful_improvement_is_10_points():
    """ "ODI −10 points"."""
    assert odi_meaningful_improvement(50.0, 40.0).meaningful_improvement
    assert not odi_meaningful_improvement(50.0, 40.1).meaningful_improvement
    assert odi_meaningful_improvement(50.0, 40.0).change == -10.0


def test_meaningful_change_line():
    assert meaningful_improvement_threshold(Instrument.NRS, 8) == 6
    assert meaningful_improvement_threshold(Instrument.NRS, 3) == pytest.approx(2.1)
    assert meaningful_improvement_threshold(Instrument.ODI, 60) == 50
