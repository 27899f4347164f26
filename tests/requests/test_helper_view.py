"""What a helper may see of a request (data minimisation)."""
from __future__ import annotations

from datetime import UTC, date

import pytest

from coop.core.errors import DomainError
from coop.requests import service


def test_before_accepting_only_first_name_street_task_and_time(new_request, resident, volunteer):
    req = new_request(resident, consent_contact=True, flexible=False, on_date=date(2030, 3, 5), part_of_day="morning")
    view = service.helper_view(req, volunteer)
    assert view["first_name"] == "Bep" and view["street"] == "Dorpsstraat"
    assert view["task"] == "Boodschappen bij de Plus" and view["category"] == "Boodschappen"
    assert view["when"] == "dinsdag 5 maart, ochtend"
    assert view["contact_shared"] is False
    text = repr(view)
    assert "Jansen" not in text and "+316" not in text
    assert "phone" not in view and "full_name" not in view and "address" not in view


def test_after_accepting_with_consent_full_contact(new_request, resident, volunteer):
    req = new_request(resident, consent_contact=True)
    view = service.helper_view(req, volunteer, accepted=True)
    assert view["full_name"] == "Bep Jansen" and view["phone"] == resident.phone
    assert view["address"] == req.address_line and view["contact_shared"] is True


def test_after_accepting_without_consent_still_no_contact(new_request, resident, volunteer):
    req = new_request(resident, consent_contact=False)
    view = service.helper_view(req, volunteer, accepted=True)
    assert "phone" not in view and "full_name" not in view and view["contact_shared"] is False


def test_helper_of_another_village_sees_nothing(new_request, resident, make, other_village):
    stranger = make.volunteer(other_village)
    req = new_request(resident, consent_contact=True)
    with pytest.raises(DomainError):
        service.helper_view(req, stranger, accepted=True)


def test_when_text_for_a_weekly_time_window(new_request, resident):
    from datetime import datetime
    req = new_request(resident, flexible=False, on_date=date(2030, 3, 5), recurrence="weekly",
                      window_start=datetime(2030, 3, 5, 9, 0, tzinfo=UTC),
                      window_end=datetime(2030, 3, 5, 11, 0, tzinfo=UTC))
    assert service.when_text(req) == "dinsdag 5 maart, 10:00–12:00 · elke week"  # shown in Amsterdam time
