"""What the accounts feature gives the scheduler: forgetting old login tries and sessions daily."""
from coop.auth.service import forget_old_records
from coop.core.registry import daily_job

daily_job(forget_old_records)
