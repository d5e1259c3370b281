"""§11 questionnaires: pain NRS, RMDQ and ODI."""

import pytest

from kyphocare.clinical import (
    RMDQ_ITEM_NUMBERS,
    ClinicalInputError,
    OdiBand,
    check_nrs,
    odi_band,
    score_odi,
    score_rmdq,
)


def test_nrs_is_an_integer_0_to_10():
    """ "Pain NRS: integer 0–10 (0 no pain, 10 worst imaginable)"."""
    assert check_nrs(0) == 0 and check_nrs(10) == 10
    for bad in (-1, 11, 5.0, True, "5", None):
        with pytest.raises(
            ClinicalInputError, match="pain_nrs: must be a whole number from 0 to 10"
        ):
            check_nrs(bad)


def test_rmdq_has_24_statement_numbers_and_no_text():
    assert tuple(range(1, 25)) == RMDQ_ITEM_NUMBERS


def test_rmdq_score_is_number_ticked():
    """ "score = number ticked (0–24); an unticked statement counts as no"."""
    assert score_rmdq([1, 4, 7]).score == 3
    assert score_rmdq([]).score == 0
    full = score_rmdq(range(24, 0, -1))
    assert (full.score, full.max, full.ticked[0]) == (24, 24, 1)


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        ([0], r"ticked\[0\]: must be a whole number from 1 to 24, got 0"),
        ([25], r"ticked\[0\]: must be a whole number from 1 to 24, got 25"),
        ([3, 3], r"ticked\[1\]: statement 3 is ticked twice"),
        ([True], r"ticked\[0\]: must be a whole number"),
    ],
)
def test_rmdq_rejects_bad_numbers(ticked, message):
    with pytest.raises(ClinicalInputError, match=message):
        score_rmdq(ticked)


def test_odi_documented_example():
    """clinical-cli.md: [0, 1, 2, null, 3, 2, 1, 0, 2, 1] → 26.7 %, 9 answered, moderate.
    "score % = sum / (5 × sections answered) × 100, one decimal"."""
    result = score_odi([0, 1, 2, None, 3, 2, 1, 0, 2, 1])
    assert (result.score_pct, result.answered, result.band) == (26.7, 9, OdiBand.MODERATE)


def test_odi_with_8_sections_answered_is_scored():
    """ "computed only when ≥ 8 sections are answered"."""
    result = score_odi([5, 5, 5, 5, 5, 5, 5, 5, None, None])
    assert (result.score_pct, result.answered, result.band) == (100.0, 8, OdiBand.BED_BOUND)


def test_odi_with_7_sections_answered_is_refused():
    with pytest.raises(ClinicalInputError) as exc:
        score_odi([1, 1, 1, 1, 1, 1, 1, None, None, None])
    assert exc.value.field == "sections"
    assert "only 7 of 10 sections answered" in exc.value.message
    assert "at least 8" in exc.value.message


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ([1] * 9, "must have exactly 10 entries"),
        ([1] * 9 + [6], r"sections\[9\]: must be a whole number from 0 to 5"),
        ([1] * 9 + [1.5], r"sections\[9\]"),
    ],
)
def test_odi_rejects_bad_sections(sections, message):
    with pytest.raises(ClinicalInputError, match=message):
        score_odi(sections)


@pytest.mark.parametrize(
    ("pct", "band"),
    [
        # "0–20 minimal, 21–40 moderate, 41–60 severe, 61–80 crippled, 81–100 bed-bound"
        (0, OdiBand.MINIMAL),
        (20.0, OdiBand.MINIMAL),
        (20.1, OdiBand.MODERATE),
        (40.0, OdiBand.MODERATE),
        (40.1, OdiBand.SEVERE),
        (60.0, OdiBand.SEVERE),
        (61.0, OdiBand.CRIPPLED),
        (80.0, OdiBand.CRIPPLED),
        (81.0, OdiBand.BED_BOUND),
        (100, OdiBand.BED_BOUND),
    ],
)
def test_odi_bands(pct, band):
    assert odi_band(pct) is band


def test_odi_rounds_half_up():
    # 8 answered, sum 1 → 2.5 %; 9 answered sum 1 → 2.222… → 2.2; 9 answered sum 4 → 8.888… → 8.9
    assert score_odi([1, 0, 0, 0, 0, 0, 0, 0, None, None]).score_pct == 2.5
    assert score_odi([1, 0, 0, 0, 0, 0, 0, 0, 0, None]).score_pct == 2.2
    assert score_odi([4, 0, 0, 0, 0, 0, 0, 0, 0, None]).score_pct == 8.9
