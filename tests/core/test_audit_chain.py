"""The audit log's hash chain: rows verify, a changed, removed or inserted row is found (by
`flask --app coop audit-verify` too), rows from before the chain get their hashes in the
migration, rows written by the release before are sealed by the next, and concurrent writers
of one village keep one unbroken chain. On real, committed databases of their own."""
from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text

from coop.core import audit
from coop.core.models import AuditLog, AuditSubject, User, Village
from coop.extensions import db
from tests.support.migrations import add_village, migrated_to_before

REVISION = "0019_audit_chain"


def _drop_triggers(connection) -> None:
    """Only an operator with the database's own rights can do this; the test plays one."""
    db.session.commit()  # PostgreSQL: DROP TRIGGER waits for every open transaction on the table
    on = {"postgresql": " ON {table}"}.get(connection.dialect.name, "")
    for table in ("audit_log", "audit_log_subjects"):
        for trigger in ("no_update", "no_delete"):
            connection.execute(text(f"DROP TRIGGER {table}_{trigger}{on.format(table=table)}"))


def _write(coordinator, residents, stranger, n=6):
    for i in range(n):
        audit.record("person.viewed", actor=coordinator, subject=residents[i % 3], detail=f"kijk {i}",
                     subjects=residents if i % 2 else ())
        audit.record("person.viewed", actor=stranger, subject=stranger)
    db.session.commit()


def _verify():
    with db.engine.connect() as connection:
        return audit.verify(connection)


def test_written_rows_verify_per_village(chain_app, people):
    village, other, coordinator, residents, stranger = people
    _write(coordinator, residents, stranger)
    result = _verify()
    assert result.broken is None and result.unhashed == 0
    assert set(result.heads) >= {village.id, other.id}
    rows = db.session.scalars(select(AuditLog).where(AuditLog.village_id == village.id).order_by(AuditLog.id)).all()
    assert rows[0].prev_hash == audit.GENESIS or rows[0].action == "person.created"
    assert all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))
    runner = chain_app.test_cli_runner()
    out = runner.invoke(args=["audit-verify"])
    assert out.exit_code == 0 and f"Logboek in orde: {result.rows} rijen" in out.output


@pytest.mark.parametrize("tamper", ["change", "delete", "insert", "subject", "swap"])
def test_a_tampered_row_is_found(chain_app, people, tamper):
    village, _other, coordinator, residents, stranger = people
    _write(coordinator, residents, stranger)
    ids = db.session.scalars(select(AuditLog.id).where(AuditLog.village_id == village.id)
                             .order_by(AuditLog.id)).all()
    middle, after = ids[len(ids) // 2], ids[len(ids) // 2 + 1]
    listed = next(i for i in ids if db.session.get(AuditLog, i).others)
    with db.engine.begin() as connection:
        _drop_triggers(connection)
        if tamper == "change":
            connection.execute(text("UPDATE audit_log SET detail = 'niets gezien' WHERE id = :i"), {"i": middle})
            expected = middle
        elif tamper == "delete":
            connection.execute(text("DELETE FROM audit_log_subjects WHERE audit_id = :i"), {"i": middle})
            connection.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": middle})
            expected = after
        elif tamper == "insert":
            # A forged row with a hash over its own fields, but outside the chain.
            row = connection.execute(select(AuditLog.__table__).where(AuditLog.id == middle)).mappings().one()
            forged = {**row, "id": None, "detail": "vervalst"}
            forged["row_hash"] = audit.chain_hash(forged["prev_hash"], forged, [])
            forged.pop("id")
            connection.execute(AuditLog.__table__.insert().values(**forged))
            expected = None  # the forged row itself, the newest in the table
        elif tamper == "subject":
            connection.execute(text("DELETE FROM audit_log_subjects WHERE audit_id = :i"), {"i": listed})
            expected = listed
        else:  # two rows' contents swapped
            a, b = (connection.execute(select(AuditLog.__table__.c.detail).where(AuditLog.id == i)).scalar()
                    for i in (middle, after))
            connection.execute(text("UPDATE audit_log SET detail = :d WHERE id = :i"), {"d": b, "i": middle})
            connection.execute(text("UPDATE audit_log SET detail = :d WHERE id = :i"), {"d": a, "i": after})
            expected = middle
    result = _verify()
    assert result.broken is not None
    db.session.commit()  # end this session's read snapshot: it looks at the table afresh
    if expected is None:
        expected = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    assert result.broken.id == expected and result.broken.village_id == village.id
    out = chain_app.test_cli_runner().invoke(args=["audit-verify"])
    assert out.exit_code == 1 and f"bij rij {expected}" in out.output


def test_a_row_of_the_release_before_is_sealed_by_the_next_one(chain_app, people):
    """During the rolling upgrade the old code writes rows without a hash (it does not know the
    columns); the next row written by the new code takes them into its hash."""
    village, _other, coordinator, residents, stranger = people
    _write(coordinator, residents, stranger, n=2)
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO audit_log (at, village_id, actor_id, action, subject_user_id, detail) "
                                "VALUES (:at, :v, :a, 'login', :a, '')"),
                           {"at": "2026-12-08 10:00:00.000000", "v": village.id, "a": coordinator.id})
    db.session.commit()  # SQLite: a transaction that read before another one wrote may not write
    audit.record("person.viewed", actor=coordinator, subject=residents[0])
    db.session.commit()
    result = _verify()
    assert result.broken is None and result.unhashed == 1
    old = db.session.scalar(select(AuditLog.id).where(AuditLog.row_hash.is_(None)))
    with db.engine.begin() as connection:
        _drop_triggers(connection)
        connection.execute(text("UPDATE audit_log SET action = 'person.viewed' WHERE id = :i"), {"i": old})
    assert _verify().broken.id == old + 1


def test_a_row_is_written_in_one_round_trip_on_postgresql(chain_app, people, backend):
    """PostgreSQL: the lock, the head and both inserts are one call of audit_log_append (0029),
    where the lock and the statement after it were two round trips for every page that shows a
    person. SQLite (one writer at a time, no lock): the head, the row, its people."""
    village, _other, coordinator, residents, _stranger = people
    db.session.commit()
    sent: list[str] = []
    listener = lambda _conn, _cur, statement, *_a: sent.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        # the people loaded (and the transaction begun) before counting
        [(p.id, p.village_id, p.roles) for p in (coordinator, *residents)]
        sent.clear()
        written = audit.record("person.viewed", actor=coordinator, subject=residents[0], subjects=residents)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    db.session.commit()
    if backend == "postgresql":
        assert len(sent) == 1 and "audit_log_append" in sent[0], sent
    else:
        assert len(sent) == 3 and "audit_log_subjects" in sent[2], sent
    row = db.session.get(AuditLog, written)
    assert row.village_id == village.id and row.subject_user_id == residents[0].id
    assert [s.user_id for s in row.others] == sorted(r.id for r in residents[1:])
    assert _verify().broken is None


def test_concurrent_writers_of_one_village_keep_one_chain(chain_app, people):
    village, _other, coordinator, residents, _stranger = people
    ids = (village.id, coordinator.id, residents[0].id)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with chain_app.app_context():
                for _ in range(15):
                    # SQLite: take the write lock at BEGIN, as every SQLite writer that must not
                    # lose a race does here; PostgreSQL: the advisory lock inside record() serialises.
                    db.session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
                    actor, subject = db.session.get(User, ids[1]), db.session.get(User, ids[2])
                    audit.record("person.viewed", actor=actor, subject=subject)
                    db.session.commit()
                db.session.remove()
        except BaseException as err:  # reported below, in the test's own thread
            errors.append(err)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    result = _verify()
    assert result.broken is None
    db.session.commit()  # a fresh look (SQLite keeps a transaction's first snapshot)
    count = db.session.scalar(select(db.func.count(AuditLog.id)).where(AuditLog.village_id == village.id,
                                                                       AuditLog.action == "person.viewed"))
    assert count == 60
    assert isinstance(db.session.get(Village, village.id), Village)


def test_rows_from_before_the_chain_get_their_hashes_in_the_migration(backend, workdir, request):
    with migrated_to_before(request, workdir, backend, REVISION):  # the schema before the chain
        with db.engine.begin() as connection:
            village_id = add_village(connection, "a")
            for i in range(5):
                connection.execute(text("INSERT INTO audit_log (at, village_id, action, detail, ip) "
                                        "VALUES (:at, :v, 'category.added', :d, :ip)"),
                                   {"at": f"2026-01-0{i + 1} 10:00:00.123456", "v": village_id if i % 2 else None,
                                    "d": f"code{i}", "ip": "10.0.0.1" if i == 3 else None})
        upgrade()
        rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert len(rows) == 5 and all(r.row_hash and r.prev_hash for r in rows)
        with db.engine.connect() as connection:
            result = audit.verify(connection)
        assert result.broken is None and result.rows == 5 and set(result.heads) == {None, village_id}
        # New rows go on from each chain's migrated head.
        audit.record("category.added", actor=None, village_id=village_id, detail="code5")
        db.session.commit()
        with db.engine.connect() as connection:
            assert audit.verify(connection).broken is None
        assert db.session.scalar(select(db.func.count()).select_from(AuditSubject)) == 0
