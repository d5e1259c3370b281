"""Does a clinician's decision follow the tool's recommendation? [product rule]

Source: the CCP (Hirsch, Beall et al., Spine J 2018;18:2152) — after a recommendation the
clinician decides; the non-surgical branch is reviewed at 2–4 weeks (clinical-rules §6.5).
This mapping is a transparent choice of ours: a decision outside the set that matches the
recommendation asks the clinician for a reason; it never blocks the decision.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .appropriateness import Recommendation
from .dates import DateWindow, window


class DecisionChoice(StrEnum):
    KYPHOPLASTY = "kyphoplasty"
    NON_SURGICAL = "non_surgical"
    REFERRAL = "referral"


#: The decisions that follow each recommendation. `uncertain` leaves the choice open (the CCP
#: rated such scenarios uncertain: the clinician decides); `incomplete` matches no decision,
#: because a fact the rules need is still missing.
MATCHING_DECISIONS: dict[Recommendation, frozenset[DecisionChoice]] = {
    Recommendation.APPROPRIATE: frozenset({DecisionChoice.KYPHOPLASTY}),
    Recommendation.UNCERTAIN: frozenset(DecisionChoice),
    Recommendation.NOT_INDICATED: frozenset({DecisionChoice.NON_SURGICAL}),
    Recommendation.INCOMPLETE: frozenset(),
    Recommendation.CONTRAINDICATED: frozenset(
        {DecisionChoice.NON_SURGICAL, DecisionChoice.REFERRAL}
    ),
    Recommendation.SPECIALIST_REVIEW: frozenset({DecisionChoice.REFERRAL}),
    Recommendation.OUT_OF_SCOPE: frozenset({DecisionChoice.REFERRAL}),
}

#: CCP: after either treatment, a visit at 2–4 weeks (§6.5).
REASSESSMENT_DAYS = (14, 28)


def decision_differs(recommendation: Recommendation, choice: DecisionChoice) -> bool:
    """True when the decision is not one that follows the recommendation (a reason is asked)."""
    return choice not in MATCHING_DECISIONS[recommendation]


def reassessment_window(decided_on: date) -> DateWindow:
    """Non-surgical management is reassessed 2–4 weeks after the decision (CCP, §6.5)."""
    return window(decided_on, *REASSESSMENT_DAYS)
