"""A rollback that never raises, for the moments when something has already gone wrong.

Its own module so that both the transaction rule (coop/core/transaction.py) and the error pages
(coop/core/error_pages.py), which the transaction rule shows, can use it without importing
each other.
"""
from __future__ import annotations

import logging

from coop.extensions import db

log = logging.getLogger("coop.core.transaction")  # its messages belong to the transaction rule


def rollback_quietly() -> None:
    """Roll back, whatever state the session or its connection is in; never raises."""
    try:
        db.session.rollback()
    except Exception:
        log.exception("rollback failed; dropping the session")
        try:
            db.session.close()
        except Exception:
            log.exception("closing the session failed")
