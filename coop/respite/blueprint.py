"""The respite blueprint, shared by views.py, views_own.py and views_hours.py (each adds its
routes), so none of them imports another to find it."""
from __future__ import annotations

from flask import Blueprint

from coop.core import roles as R

bp = Blueprint("respite", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)
