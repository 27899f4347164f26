"""The administrator's pages: villages, task categories, the audit log."""
