"""The core: villages, people and roles, the audit log, the access guard and the outbox.

Everything here sits low: it imports no feature package, and every feature imports it.
"""
