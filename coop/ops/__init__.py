"""Running coop: health and readiness checks, the scheduler's heartbeat, backups, static files."""
