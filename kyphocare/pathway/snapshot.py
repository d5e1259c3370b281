"""Turn the clinical core's frozen dataclasses into JSON for storage and back into dates.

A snapshot keeps exactly what a clinician was shown, with the rules version that produced it.
"""

import dataclasses
import datetime
import enum


def to_data(value):
    """Dataclasses → dicts, enums → their values, dates → ISO strings, tuples/sets → lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(to_data(k)): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_data(v) for v in value)
    return value


def day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
