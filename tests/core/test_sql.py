"""SQL spelled per database (coop/core/sql.py) gives the same answer on both."""
from __future__ import annotations

from sqlalchemy import literal, select

from coop.core.sql import greatest


def test_greatest_is_the_largest_argument(session):
    assert session.scalar(select(greatest(literal(2.5), literal(7.0), literal(3.0)))) == 7.0
    assert session.scalar(select(greatest(literal(1), literal(-4)))) == 1
