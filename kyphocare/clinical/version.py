"""The version of the clinical rule set (shared/clinical-rules.md). Every result states it."""

RULES_VERSION = "2026.1"
