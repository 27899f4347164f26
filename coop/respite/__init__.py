"""Respijtzorg: relieving carers with volunteers from the village (issue 6)."""
