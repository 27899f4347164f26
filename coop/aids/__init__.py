"""Uitleen hulpmiddelen: the cooperative's stock of aids, lending them to residents, returns,
reservations from a hulpvraag's Schijf van Vijf, and reminders when a loan is due."""
