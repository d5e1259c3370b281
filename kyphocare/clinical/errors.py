"""The one exception the clinical core raises for bad input."""

from __future__ import annotations


class ClinicalInputError(ValueError):
    """Bad input to a clinical rule.

    ``field`` names the input (a dotted path such as ``fractures[0].level`` once placed inside
    a larger object); ``message`` says what is wrong and what is allowed. ``str()`` gives
    ``"<field>: <message>"``.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def within(self, prefix: str) -> ClinicalInputError:
        """The same error with its field placed under ``prefix`` (e.g. ``fractures[0]``)."""
        if not prefix:
            return self
        if not self.field:
            return ClinicalInputError(prefix, self.message)
        joiner = "" if self.field.startswith("[") else "."
        return ClinicalInputError(f"{prefix}{joiner}{self.field}", self.message)
