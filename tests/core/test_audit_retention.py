"""The audit log's retention: the nightly job removes rows past the village's period from the
start of its chain, `audit-verify` still checks every row kept (also when rows are written
after, or when every row went), and the database refuses every other DELETE, any UPDATE, and
a start moved back. On real, committed databases of their own (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from coop.core import audit, clock
from coop.core.models import AuditChainStart, AuditLog, AuditSubject
from coop.extensions import db
from coop.privacy import retention
from coop.privacy.models import RetentionSettings

# The database lets only rows older than five years by its own clock go: the test writes rows
# in the past, by the app's clock, and removes them now.
NOW = datetime.now(UTC).replace(microsecond=0)


def _write_at(when, coordinator, residents, stranger, n=3):
    clock.freeze(when)
    for i in range(n):
        audit.record("person.viewed", actor=coordinator, subject=residents[i % 3], detail=f"kijk {i}",
                     subjects=residents)
        audit.record("person.viewed", actor=stranger, subject=stranger)
    db.session.commit()
    clock.freeze(None)


def _ids(village_id):
    db.session.commit()  # a fresh snapshot
    return db.session.scalars(select(AuditLog.id).where(AuditLog.village_id == village_id).order_by(AuditLog.id)).all()


def _verify():
    with db.engine.connect() as connection:
        return audit.verify(connection)


def _run_retention(at):
    retention.apply_retention_periods(at)
    db.session.commit()


def test_rows_past_the_period_go_and_the_chain_still_verifies(chain_app, people):
    village, other, coordinator, residents, stranger = people
    _write_at(NOW - timedelta(days=6 * 365), coordinator, residents, stranger)  # past five years
    old = _ids(village.id)
    _write_at(NOW - timedelta(days=2 * 365), coordinator, residents, stranger)
    kept = [i for i in _ids(village.id) if i not in old]
    # The other village keeps its rows for ten years.
    db.session.add(RetentionSettings(village_id=other.id, audit_years=10))
    db.session.commit()
    stranger_rows = len(_ids(other.id))

    _run_retention(NOW)

    assert _ids(village.id) == kept
    assert len(_ids(other.id)) == stranger_rows
    assert db.session.scalar(select(func.count()).select_from(AuditSubject)
                             .where(AuditSubject.audit_id.in_(old))) == 0
    start = db.session.get(AuditChainStart, village.id)
    assert start.first_id == old[-1] + 1 and start.removed == len(old)
    assert start.start_hash == db.session.get(AuditLog, kept[0]).prev_hash
    result = _verify()
    assert result.broken is None and result.starts[village.id][:2] == (old[-1] + 1, len(old))
    out = chain_app.test_cli_runner().invoke(args=["audit-verify"])
    assert out.exit_code == 0 and f"begint bij rij {old[-1] + 1}; {len(old)} oudere rijen verwijderd" in out.output

    # New rows build on the chain as it stands; running the job again removes nothing more.
    _write_at(NOW + timedelta(hours=1), coordinator, residents, stranger, n=1)
    _run_retention(NOW + timedelta(hours=2))
    assert _verify().broken is None
    assert db.session.get(AuditChainStart, village.id).removed == len(old)


def test_when_every_row_went_the_next_builds_on_the_last_removed(chain_app, people):
    village, _other, coordinator, residents, stranger = people
    _write_at(NOW - timedelta(days=7 * 365), coordinator, residents, stranger)
    last_hash = db.session.get(AuditLog, _ids(village.id)[-1]).row_hash
    _run_retention(NOW)
    assert _ids(village.id) == []
    _write_at(NOW, coordinator, residents, stranger, n=1)
    first = db.session.get(AuditLog, _ids(village.id)[0])
    assert first.prev_hash == last_hash
    assert _verify().broken is None


def test_a_row_removed_after_the_start_is_found(chain_app, people):
    """The start says where the chain begins; a kept row removed by someone who dropped the
    triggers still breaks the chain."""
    village, _other, coordinator, residents, stranger = people
    _write_at(NOW - timedelta(days=6 * 365), coordinator, residents, stranger)
    _write_at(NOW - timedelta(days=365), coordinator, residents, stranger)
    _run_retention(NOW)
    first, second = _ids(village.id)[:2]
    from tests.core.test_audit_chain import _drop_triggers
    with db.engine.begin() as connection:
        _drop_triggers(connection)
        connection.execute(text("DELETE FROM audit_log_subjects WHERE audit_id = :i"), {"i": first})
        connection.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": first})
    result = _verify()
    assert result.broken is not None and result.broken.id == second


def test_the_database_refuses_every_other_removal(chain_app, people):
    village, _other, coordinator, residents, stranger = people
    _write_at(NOW - timedelta(days=6 * 365), coordinator, residents, stranger)
    _write_at(NOW - timedelta(days=365), coordinator, residents, stranger)
    _run_retention(NOW)
    kept = _ids(village.id)[0]
    refused = [
        ("DELETE FROM audit_log_subjects WHERE audit_id = :i", {"i": kept}),
        ("DELETE FROM audit_log WHERE id = :i", {"i": kept}),
        ("UPDATE audit_log SET detail = 'niets' WHERE id = :i", {"i": kept}),
        ("UPDATE audit_chain_starts SET first_id = first_id - 1 WHERE chain = :v", {"v": village.id}),
        ("UPDATE audit_chain_starts SET removed = 0 WHERE chain = :v", {"v": village.id}),
        ("DELETE FROM audit_chain_starts WHERE chain = :v", {"v": village.id}),
    ]
    for statement, params in refused:
        with pytest.raises(DBAPIError, match="append-only|only move forward"), db.engine.begin() as connection:
            connection.execute(text(statement), params)
    # Nor can a start be moved over rows younger than five years to let them go.
    with pytest.raises(DBAPIError, match="only move forward"), db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_chain_starts SET first_id = first_id + 3, removed_before = :at "
                                "WHERE chain = :v"), {"at": NOW - timedelta(days=365), "v": village.id})
    with pytest.raises(DBAPIError, match="only move forward"), db.engine.begin() as connection:
        connection.execute(text("INSERT INTO audit_chain_starts (chain, first_id, start_hash, removed, "
                                "removed_before, at) VALUES (:v, 999999, :h, 0, :at, :at)"),
                           {"v": _other.id, "h": audit.GENESIS, "at": NOW - timedelta(days=365)})
    assert _verify().broken is None
    assert len(_ids(village.id)) == 3  # the three of last year
