"""The inbox's counts per status come from request_status_counts, which triggers on
help_requests keep (0030_request_status_counts): every request added, moved through the states,
moved to another village or removed counts, by the app's services and by plain SQL alike, on
both databases. The migration fills the counts from the requests already there."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import delete, func, select, text, update

from coop.extensions import db
from coop.requests import queries, service
from coop.requests.models import STATUSES, HelpRequest
from tests.support.migrations import add_village, migrated_to_before

REVISION = "0030_request_status_counts"


def _counted(village_id: int) -> dict[str, int]:
    """The numbers as a count over every request would give them."""
    counts = {status: 0 for status in STATUSES}
    counts.update(dict(db.session.execute(select(HelpRequest.status, func.count())
                                          .where(HelpRequest.village_id == village_id)
                                          .group_by(HelpRequest.status)).all()))
    return counts


def test_the_counts_follow_every_request_through_its_states(session, make, new_request):
    village, other = make.village(), make.village("Langbroek")
    coordinator = make.user(village, "coordinator")
    residents = [make.user(village) for _ in range(3)]
    assert queries.counts_per_status(village.id) == _counted(village.id) == dict.fromkeys(STATUSES, 0)

    requests = [new_request(r) for r in residents] + [new_request(residents[0], status="searching")]
    new_request(make.user(other))
    service.start_intake(requests[0], by=coordinator)
    service.start_search(requests[0], by=coordinator)
    service.cancel(requests[1], by=coordinator)
    session.flush()
    expected = dict.fromkeys(STATUSES, 0) | {"new": 1, "searching": 2, "cancelled": 1}
    assert queries.counts_per_status(village.id) == _counted(village.id) == expected
    assert queries.counts_per_status(other.id) == dict.fromkeys(STATUSES, 0) | {"new": 1}

    service.undo_cancel(requests[1], by=coordinator)  # back to new
    session.execute(update(HelpRequest).where(HelpRequest.id == requests[3].id).values(status="done"))
    session.execute(update(HelpRequest).where(HelpRequest.id == requests[2].id).values(village_id=other.id))
    session.execute(update(HelpRequest).where(HelpRequest.id == requests[0].id).values(urgency="today"))
    session.execute(delete(HelpRequest).where(HelpRequest.id == requests[1].id))
    expected = dict.fromkeys(STATUSES, 0) | {"searching": 1, "done": 1}
    assert queries.counts_per_status(village.id) == _counted(village.id) == expected
    assert queries.counts_per_status(other.id) == _counted(other.id) == dict.fromkeys(STATUSES, 0) | {"new": 2}


def test_the_inbox_shows_the_kept_counts(session, make, new_request, client_as, village):
    coordinator = make.user(village, "coordinator")
    for status in ("new", "new", "matched", "referred"):
        new_request(make.user(village), status=status)
    page = client_as(coordinator).get("/hulpvragen").get_data(as_text=True)
    assert "nieuw: <strong>2</strong>" in page and "gekoppeld: <strong>1</strong>" in page
    assert "doorverwezen: <strong>1</strong>" in page and "afgerond: <strong>0</strong>" in page


def test_the_migration_counts_the_requests_already_there(backend, workdir, request):
    with migrated_to_before(request, workdir, backend, REVISION):
        with db.engine.begin() as connection:
            a, b = add_village(connection, "a"), add_village(connection, "b")
            connection.execute(text(
                "INSERT INTO users (village_id, first_name, last_name, active, session_version, created_at) "
                "VALUES (:v, 'Bep', 'Jansen', true, 1, '2026-01-01 10:00:00')"), {"v": a})
            resident = connection.execute(text("SELECT id FROM users")).scalar_one()
            connection.execute(text(
                "INSERT INTO task_categories (village_id, code, name, description, rule, active, sort_order, "
                "members_only) "
                "VALUES (:v, 'boodschappen', 'Boodschappen', '', 'open', true, 0, false)"), {"v": a})
            category = connection.execute(text("SELECT id FROM task_categories")).scalar_one()
            for village_id, status in ((a, "new"), (a, "new"), (a, "done"), (b, "searching")):
                connection.execute(text(
                    "INSERT INTO help_requests (village_id, resident_id, category_id, description, status, urgency, "
                    "flexible, recurrence, consent_contact, channel, created_at, status_changed_at) VALUES "
                    "(:v, :r, :c, 'Boodschappen', :s, 'week', true, 'once', false, 'web', "
                    "'2026-01-02 10:00:00', '2026-01-02 10:00:00')"),
                    {"v": village_id, "r": resident, "c": category, "s": status})
        upgrade()
        assert queries.counts_per_status(a) == dict.fromkeys(STATUSES, 0) | {"new": 2, "done": 1}
        assert queries.counts_per_status(b) == dict.fromkeys(STATUSES, 0) | {"searching": 1}
        # and from here on the triggers keep them
        db.session.execute(update(HelpRequest).where(HelpRequest.village_id == a, HelpRequest.status == "new")
                           .values(status="matched"))
        db.session.commit()
        assert queries.counts_per_status(a) == dict.fromkeys(STATUSES, 0) | {"matched": 2, "done": 1}
