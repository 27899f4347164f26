"""The coordinator's bellijst: the messages that must be phoned, and what came of each call."""
