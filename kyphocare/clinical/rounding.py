"""Rounding as a clinician reads it: half up, on the decimal value that was entered."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def to_decimal(value: float | int | Fraction | Decimal) -> Decimal:
    """The decimal a person typed for ``value``.

    Floats are read through their shortest ``repr`` (``19.95`` stays ``19.95`` rather than the
    binary ``19.949999…``), so boundaries written in the rules behave as written.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def round_half_up(value: float | int | Fraction | Decimal, places: int = 1) -> float:
    """Round half away from zero to ``places`` decimals (19.95 → 20.0, 26.666… → 26.7)."""
    exponent = Decimal(1).scaleb(-places)
    return float(to_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP))
