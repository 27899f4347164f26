"""What the privacy feature gives the scheduler: retention per kind of data, nightly."""
from coop.core.registry import daily_job
from coop.privacy.retention import apply_retention_periods

daily_job(apply_retention_periods)
