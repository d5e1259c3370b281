"""Decision versus recommendation, and the non-surgical reassessment window.

Rule (clinical-rules §6.5): "Follow-up at 2–4 weeks (CCP: after either treatment a visit at
2–4 weeks); re-run the assessment then." Which decisions follow which recommendation is a
[product rule] (kyphocare/clinical/decision.py).
"""

from datetime import date

import pytest

from kyphocare.clinical import Recommendation
from kyphocare.clinical.decision import (
    DecisionChoice,
    decision_differs,
    reassessment_window,
)

K, N, R = DecisionChoice.KYPHOPLASTY, DecisionChoice.NON_SURGICAL, DecisionChoice.REFERRAL


@pytest.mark.parametrize(
    ("recommendation", "follows"),
    [
        (Recommendation.APPROPRIATE, {K}),
        (Recommendation.UNCERTAIN, {K, N, R}),  # "The clinician decides"
        (Recommendation.NOT_INDICATED, {N}),  # "favour non-surgical management"
        (Recommendation.INCOMPLETE, set()),  # a fact needed to decide is missing
        (Recommendation.CONTRAINDICATED, {N, R}),
        (Recommendation.SPECIALIST_REVIEW, {R}),  # cancer: "after specialist review"
        (Recommendation.OUT_OF_SCOPE, {R}),  # high-energy trauma: "refer to spine surgery"
    ],
)
def test_which_decisions_follow_each_recommendation(recommendation, follows):
    for choice in DecisionChoice:
        assert decision_differs(recommendation, choice) is (choice not in follows)


@pytest.mark.parametrize(
    ("decided", "start", "end"),
    [
        (date(2026, 11, 21), date(2026, 12, 5), date(2026, 12, 19)),
        (date(2026, 12, 31), date(2027, 1, 14), date(2027, 1, 28)),
    ],
)
def test_reassessment_two_to_four_weeks_after_the_decision(decided, start, end):
    """§6.5: "Follow-up at 2–4 weeks" — day 14 to day 28 inclusive."""
    window = reassessment_window(decided)
    assert (window.start, window.end) == (start, end)
