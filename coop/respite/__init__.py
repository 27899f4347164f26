"""Respijtzorg: relieving carers with volunteers from the village."""
