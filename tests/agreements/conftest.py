from datetime import date

import pytest

from coop.agreements import service


@pytest.fixture
def agreement(session, village, coordinator):
    made = service.create_agreement(
        village, by=coordinator, title="Wie doet wat in Austerlitz", starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31), review_on=date(2026, 7, 1),
        cooperative_contact="Marieke van Dam, dorpsondersteuner",
        municipality_contact="Ahmed El Amrani, beleidsadviseur Wmo")
    # Commit (a savepoint, rolled back after the test): a refused request rolls back to here.
    session.commit()
    return made


def agree(version, coordinator, municipality_user):
    """Propose and have both sides sign: the version becomes agreed."""
    service.propose(version, by=coordinator)
    service.sign(version, by=coordinator, name=coordinator.full_name)
    service.sign(version, by=municipality_user, name=municipality_user.full_name)


