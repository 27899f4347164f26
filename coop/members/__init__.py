"""Leden en contributie: member households, SEPA direct debit, the yearly run, and the message to a group."""
