"""Vertebral levels in scope for the pathway (clinical-rules §1)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .errors import ClinicalInputError
from .validation import show


class Region(StrEnum):
    """Spinal region of a level."""

    THORACIC = "thoracic"
    LUMBAR = "lumbar"


class Level(StrEnum):
    """A thoracic or lumbar vertebra, T1–T12 then L1–L5, in anatomical order.

    Source: clinical-rules §1 — "T1–T12 and L1–L5 (17 levels; T12 is adjacent to L1).
    Cervical and sacral levels are out of scope for this pathway".
    """

    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"
    T5 = "T5"
    T6 = "T6"
    T7 = "T7"
    T8 = "T8"
    T9 = "T9"
    T10 = "T10"
    T11 = "T11"
    T12 = "T12"
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"

    @property
    def region(self) -> Region:
        """``thoracic`` for T1–T12, ``lumbar`` for L1–L5."""
        return Region.THORACIC if self.value.startswith("T") else Region.LUMBAR

    @property
    def position(self) -> int:
        """Position from the top: T1 is 0, T12 is 11, L1 is 12, L5 is 16."""
        return _ORDER.index(self)

    def is_adjacent_to(self, other: Level) -> bool:
        """True when the two levels are neighbours (T12 and L1 are neighbours)."""
        return abs(self.position - other.position) == 1


_ORDER: tuple[Level, ...] = tuple(Level)

#: The 17 levels in anatomical order.
LEVELS: tuple[Level, ...] = _ORDER

_ALLOWED = "(T1–T12, L1–L5)"


def parse_level(text: object, field: str = "level") -> Level:
    """The :class:`Level` named by ``text`` (case and surrounding spaces ignored).

    Source: clinical-rules §1 — cervical and sacral levels are out of scope; "input naming them
    is rejected with a clear message", e.g. ``'C5' is not a thoracic or lumbar level
    (T1–T12, L1–L5)``.
    """
    if isinstance(text, Level):
        return text
    if not isinstance(text, str):
        raise ClinicalInputError(
            field, f"must be a level name such as 'L1' {_ALLOWED}, got {show(text)}"
        )
    name = text.strip().upper()
    try:
        return Level(name)
    except ValueError:
        raise ClinicalInputError(
            field, f"{text!r} is not a thoracic or lumbar level {_ALLOWED}"
        ) from None


def parse_levels(values: Iterable[object], field: str = "levels") -> tuple[Level, ...]:
    """One or more distinct levels, in the order given; errors name ``<field>[i]``."""
    parsed: list[Level] = []
    for i, raw in enumerate(values):
        level = parse_level(raw, f"{field}[{i}]")
        if level in parsed:
            raise ClinicalInputError(
                f"{field}[{i}]", f"'{level}' is listed twice; list each level once"
            )
        parsed.append(level)
    if not parsed:
        raise ClinicalInputError(field, "must list at least one level")
    return tuple(parsed)
