"""Transitions, sign-off rules, versions and the refusals that must change nothing."""
from datetime import date

import pytest
from sqlalchemy import func, select

from coop.agreements import service
from coop.agreements.models import AGREED, DRAFT, PROPOSED, SUPERSEDED, AgreementEvent, RowComment, SignOff
from coop.core import roles as R
from coop.core.errors import DomainError
from tests.agreements.conftest import agree


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_new_agreement_is_a_draft_with_the_default_domains_and_six_parties(agreement):
    version = agreement.latest
    assert version.number == 1 and version.status == DRAFT
    assert len(version.rows) == len(service.DEFAULT_DOMAINS) == 14
    assert all(len(row.cells) == 6 for row in version.rows)
    assert [e.action for e in agreement.events] == ["create"]


def test_transitions_are_one_table_and_refuse_what_it_does_not_allow(agreement, coordinator):
    version = agreement.latest
    with pytest.raises(DomainError, match="concept"):
        service.apply_transition(version, "agree", by=None)
    with pytest.raises(DomainError, match="bestaat niet"):
        service.apply_transition(version, "jump", by=coordinator)
    assert version.status == DRAFT


def test_only_the_coordinator_proposes_and_only_the_gemeente_asks_for_changes(
        session, agreement, coordinator, municipality_user):
    version = agreement.latest
    with pytest.raises(DomainError, match="dorpsondersteuner"):
        service.propose(version, by=municipality_user)
    service.propose(version, by=coordinator)
    assert version.status == PROPOSED
    with pytest.raises(DomainError, match="gemeente"):
        service.request_changes(version, by=coordinator)
    service.request_changes(version, by=municipality_user, note="Maaltijden: wie betaalt?")
    assert version.status == DRAFT
    assert [e.action for e in agreement.events][-2:] == ["propose", "request_changes"]
    assert agreement.events[-1].note == "Maaltijden: wie betaalt?"


def test_agreeing_needs_both_sides_and_signing_twice_is_refused(
        session, agreement, coordinator, municipality_user):
    version = agreement.latest
    with pytest.raises(DomainError, match="voorgestelde versie"):
        service.sign(version, by=coordinator, name="Marieke van Dam")
    service.propose(version, by=coordinator)
    service.sign(version, by=coordinator, name="Marieke van Dam")
    assert version.status == PROPOSED  # one side is not enough
    session.flush()
    before = count(session, SignOff)
    with pytest.raises(DomainError, match="al getekend"):
        service.sign(version, by=coordinator, name="Marieke van Dam")
    assert count(session, SignOff) == before
    service.sign(version, by=municipality_user, name="A. El Amrani")
    assert version.status == AGREED and version.agreed_at is not None
    names = {(s.side, s.name) for s in version.sign_offs}
    assert names == {("cooperative", "Marieke van Dam"), ("municipality", "A. El Amrani")}
    assert all(s.signed_at is not None for s in version.sign_offs)
    assert agreement.events[-1].action == "agree"


def test_signing_needs_a_name(agreement, coordinator):
    service.propose(agreement.latest, by=coordinator)
    with pytest.raises(DomainError, match="naam"):
        service.sign(agreement.latest, by=coordinator, name="  ")


def test_asking_for_changes_drops_the_signatures_already_given(
        session, agreement, coordinator, municipality_user):
    version = agreement.latest
    service.propose(version, by=coordinator)
    service.sign(version, by=coordinator, name="Marieke van Dam")
    service.request_changes(version, by=municipality_user)
    session.flush()
    assert version.sign_offs == [] and count(session, SignOff) == 0


def test_an_agreed_version_is_never_edited_in_place(session, agreement, coordinator, municipality_user):
    version = agreement.latest
    agree(version, coordinator, municipality_user)
    session.flush()
    row = version.rows[0]
    before = [(c.party, c.role) for c in row.cells]
    with pytest.raises(DomainError, match="afgesproken en kan niet meer"):
        service.update_row(version, row.id, by=coordinator, domain="Anders", funding="", note="",
                           cells={"volunteer": ("does", "")})
    with pytest.raises(DomainError, match="afgesproken"):
        service.add_row(version, by=coordinator, domain="Nieuw")
    session.expire_all()
    assert row.domain == "Boodschappen" and [(c.party, c.role) for c in row.cells] == before


def test_a_revision_is_a_new_version_and_agreeing_it_supersedes_the_old(
        session, agreement, coordinator, municipality_user):
    first = agreement.latest
    agree(first, coordinator, municipality_user)
    second = service.start_revision(agreement, by=coordinator)
    session.flush()
    assert second.number == 2 and second.status == DRAFT
    assert [r.key for r in second.rows] == [r.key for r in first.rows]
    with pytest.raises(DomainError, match="al een versie in bewerking"):
        service.start_revision(agreement, by=coordinator)
    row = second.rows[0]
    service.update_row(second, row.id, by=coordinator, domain=row.domain, funding="Subsidie gemeente",
                       note="", cells={"volunteer": ("does", "wekelijks")})
    assert first.rows[0].cell("volunteer").role is None  # the agreed text is untouched
    assert agreement.in_force is first
    agree(second, coordinator, municipality_user)
    assert first.status == SUPERSEDED and second.status == AGREED
    assert agreement.in_force is second


def test_comments_belong_to_an_existing_row(session, agreement, coordinator, municipality_user):
    version = agreement.latest
    service.propose(version, by=coordinator)
    session.flush()
    before = (count(session, RowComment), count(session, AgreementEvent))
    with pytest.raises(DomainError, match="bestaat niet"):
        service.add_comment(version, 999999, by=municipality_user, text="Hoe zit dit?")
    with pytest.raises(DomainError, match="bestaat niet"):
        service.add_comment(version, "abc", by=municipality_user, text="Hoe zit dit?")
    assert (count(session, RowComment), count(session, AgreementEvent)) == before
    comment = service.add_comment(version, version.rows[5].id, by=municipality_user, text="Wie betaalt de maaltijden?")
    assert comment.side == "municipality" and comment.row.domain == "Maaltijden"


def test_rows_can_be_added_and_removed_in_a_draft(session, agreement, coordinator):
    version = agreement.latest
    row = service.add_row(version, by=coordinator, domain="Digitale hulp")
    session.flush()
    assert version.rows[-1] is row and len(row.cells) == 6
    service.remove_row(version, row.id, by=coordinator)
    session.flush()
    assert len(version.rows) == 14


def test_bad_roles_and_dates_are_refused(session, agreement, coordinator):
    version = agreement.latest
    row = version.rows[0]
    with pytest.raises(DomainError, match="rol"):
        service.update_row(version, row.id, by=coordinator, domain="Boodschappen", funding="", note="",
                           cells={"volunteer": ("boss", "")})
    with pytest.raises(DomainError, match="vóór"):
        service.update_details(version, by=coordinator, title="X", starts_on=date(2026, 5, 1),
                               ends_on=date(2026, 1, 1), review_on=date(2026, 6, 1),
                               cooperative_contact="", municipality_contact="")
    assert row.cell("volunteer").role is None and version.title == "Wie doet wat in Austerlitz"


def test_gemeente_of_another_municipality_may_not_see(make, agreement, municipality_user, other_village):
    assert service.may_see(agreement, municipality_user)
    stranger = make.user(other_village, R.MUNICIPALITY)
    assert not service.may_see(agreement, stranger)
    # Same village but another gemeente (the village moved gemeente): refused as well.
    moved = make.user(agreement.village, R.MUNICIPALITY)
    agreement.municipality_id = other_village.municipality_id
    assert not service.may_see(agreement, moved)


def test_agreements_due_for_review(session, agreement, coordinator, municipality_user):
    agree(agreement.latest, coordinator, municipality_user)
    session.flush()
    assert service.agreements_due_for_review(date(2026, 6, 10)) == [agreement]
    assert service.agreements_due_for_review(date(2026, 5, 1)) == []
    assert service.agreements_due_for_review(date(2026, 5, 1), days_ahead=61) == [agreement]
    assert service.agreements_due_for_review(date(2026, 7, 2)) == []
