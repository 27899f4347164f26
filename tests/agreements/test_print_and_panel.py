"""The agreement for the gemeente: no empty action panel, and a print that says CONCEPT until agreed."""
from __future__ import annotations

from coop.agreements import service as agreements


def test_the_gemeente_sees_no_empty_action_panel_on_a_draft(client_as, coordinator, municipality_user, agreement):
    assert "Wat kan er nu?" in client_as(coordinator).get(f"/afspraken/{agreement.id}").text
    assert "Wat kan er nu?" not in client_as(municipality_user).get(f"/afspraken/{agreement.id}").text
    agreements.propose(agreement.latest, by=coordinator)
    assert "Wat kan er nu?" in client_as(municipality_user).get(f"/afspraken/{agreement.id}").text


def test_a_draft_agreement_prints_as_concept(client_as, municipality_user, agreement):
    page = client_as(municipality_user).get(f"/afspraken/{agreement.id}/versie/1/afdrukken").text
    assert "coop-print-agreement--concept" in page and '<p class="coop-print-mark"><strong>CONCEPT</strong>' in page


def test_an_agreed_agreement_prints_without_a_mark(session, client_as, coordinator, municipality_user, agreement):
    version = agreement.latest
    agreements.propose(version, by=coordinator)
    agreements.sign(version, by=coordinator, name="Marieke van Dam")
    agreements.sign(version, by=municipality_user, name="Ahmed El Amrani")
    assert version.status == "agreed"
    page = client_as(municipality_user).get(f"/afspraken/{agreement.id}/versie/1/afdrukken").text
    assert "coop-print-mark" not in page and 'class="govuk-template__body coop-print-agreement"' in page
