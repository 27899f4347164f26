"""Logging in and out, registering, password reset."""
