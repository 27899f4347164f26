"""Agreements (afspraken) between a village cooperative and its gemeente: who does what."""
