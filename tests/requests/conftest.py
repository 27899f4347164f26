"""Helpers for the hulpvragen tests: a request in any status, a valid posting form."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.core.clock import local_now
from coop.requests.models import FiveQuestionsAnswer, HelpRequest, RequestEvent


@pytest.fixture
def new_request(make, session):
    """new_request(resident, code="boodschappen", status="new", **columns) -> HelpRequest."""
    def build(resident, code="boodschappen", status="new", **kw):
        req = HelpRequest(village_id=resident.village_id, resident=resident,
                          category=make.category(resident.village, code),
                          description=kw.pop("description", "Boodschappen bij de Plus"),
                          status=status, urgency=kw.pop("urgency", "week"), flexible=kw.pop("flexible", True),
                          street=resident.street, house_number=resident.house_number, place=resident.place,
                          entered_by_id=resident.id, **kw)
        session.add(req)
        session.flush()
        return req
    return build


@pytest.fixture
def form_data(village, make):
    """A valid posting form as the browser sends it; override any field with keywords."""
    def build(**kw):
        data = {
            "form_token": secrets.token_urlsafe(24),
            "category_id": str(make.category(village, "boodschappen").id),
            "description": "Wie doet donderdag boodschappen voor mij?",
            "when": "day",
            "on_date": (local_now().date() + timedelta(days=2)).isoformat(),
            "part_of_day": "morning",
            "recurrence": "once",
            "urgency": "week",
            "own_address": "yes",
            "consent_contact": "y",
        }
        data.update(kw)
        return {k: v for k, v in data.items() if v is not None}
    return build


@pytest.fixture
def counts(session):
    """The number of rows the hulpvragen feature writes, to prove bad input writes nothing."""
    def read():
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (HelpRequest, RequestEvent, FiveQuestionsAnswer))
    return read


