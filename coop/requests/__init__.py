"""Hulpvragen: help requests, their intake (Schijf van Vijf) and lifecycle."""
