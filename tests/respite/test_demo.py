from sqlalchemy import select

from coop.demo import build
from coop.respite import carerqol
from coop.respite.models import CarerProfile, RespiteRequest, RespiteShift


def test_demo_has_carers_a_booked_series_a_one_off_checkins_and_hours(session):
    ctx = build(echo=lambda *a: None)
    assert {p.user_id for p in session.scalars(select(CarerProfile))} == {c.id for c in ctx.carers}
    series, one_off, _open = session.scalars(select(RespiteRequest).order_by(RespiteRequest.id)).all()
    statuses = [s.status for s in series.shifts]
    assert statuses.count(RespiteShift.BOOKED) == 9 and statuses.count(RespiteShift.OPEN) == 1
    assert {s.volunteer_id for s in series.shifts if s.volunteer_id} == {ctx.volunteers[2].id}
    assert one_off.series is None and one_off.category.code == "respijt_zorg"
    assert [f.carer.id for f in carerqol.flagged_carers(ctx.village.id)] == [ctx.carers[1].id]
