"""Plain-words labels for keys shown to patients and to clinicians."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """Two wordings of one key: ``patient`` (plain, short) and ``clinician`` (precise)."""

    patient: str
    clinician: str
