"""Small checks shared by the rule inputs (and by any interface that builds them).

Each check raises :class:`ClinicalInputError` naming the field and saying what is allowed.
``bool`` is never accepted as a number; an ``int`` is accepted wherever a float is allowed.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from .errors import ClinicalInputError

K = TypeVar("K", bound=StrEnum)


def parse_key(kind: type[K], key: object, field: str, noun: str) -> K:
    """The member of ``kind`` for ``key``, or an error naming the field and listing the keys."""
    if isinstance(key, kind):
        return key
    if isinstance(key, str):
        try:
            return kind(key)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in kind)
    raise ClinicalInputError(field, f"unknown {noun} {show(key)}; allowed: {allowed}")


def show(value: object) -> str:
    """A short, JSON-flavoured rendering of a bad value for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _between(lo: float | None, hi: float | None, *, lo_open: bool, hi_open: bool) -> str:
    if lo is not None and hi is not None:
        if lo_open and hi_open:
            return f"greater than {lo:g} and less than {hi:g}"
        if lo_open:
            return f"greater than {lo:g} and at most {hi:g}"
        if hi_open:
            return f"from {lo:g} up to (not including) {hi:g}"
        return f"from {lo:g} to {hi:g}"
    if lo is not None:
        return f"greater than {lo:g}" if lo_open else f"{lo:g} or more"
    if hi is not None:
        return f"less than {hi:g}" if hi_open else f"{hi:g} or less"
    return "any value"


def check_int(field: str, value: object, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number in ``[lo, hi]`` (bounds inclusive)."""
    allowed = f"a whole number {_between(lo, hi, lo_open=False, hi_open=False)}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClinicalInputError(field, f"must be {allowed}, got {show(value)}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ClinicalInputError(field, f"must be {allowed}, got {show(value)}")
    return value


def check_number(
    field: str,
    value: object,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """A finite number within the bounds (open or closed as given); ints are accepted."""
    allowed = f"a number {_between(lo, hi, lo_open=lo_open, hi_open=hi_open)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClinicalInputError(field, f"must be {allowed}, got {show(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ClinicalInputError(field, f"must be {allowed}, got {show(value)}")
    too_low = lo is not None and (number <= lo if lo_open else number < lo)
    too_high = hi is not None and (number >= hi if hi_open else number > hi)
    if too_low or too_high:
        raise ClinicalInputError(field, f"must be {allowed}, got {show(value)}")
    return number


def check_bool(field: str, value: object) -> bool:
    """``True`` or ``False``."""
    if not isinstance(value, bool):
        raise ClinicalInputError(field, f"must be true or false, got {show(value)}")
    return value


def check_optional_bool(field: str, value: object) -> bool | None:
    """``True``, ``False`` or ``None`` (not recorded)."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ClinicalInputError(field, f"must be true, false or null, got {show(value)}")
    return value


def check_date(field: str, value: object) -> date:
    """A calendar date (not a date-time)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ClinicalInputError(field, f"must be a date (YYYY-MM-DD), got {show(value)}")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(field: str, value: object) -> date:
    """A date from an ISO ``YYYY-MM-DD`` string."""
    if not isinstance(value, str):
        raise ClinicalInputError(field, f"must be a date as 'YYYY-MM-DD', got {show(value)}")
    if not _ISO_DATE.fullmatch(value):
        raise ClinicalInputError(field, f"must be a date as 'YYYY-MM-DD', got {show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ClinicalInputError(
            field, f"must be a real date as 'YYYY-MM-DD', got {show(value)}"
        ) from None
