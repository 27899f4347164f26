"""SQL spelled per database (coop/core/sql.py) gives the same answer on both."""
from __future__ import annotations

from sqlalchemy import literal, select

from coop.core.sql import greatest


def test_greatest_is_the_largest_argument(session):
    assert session.scalar(select(greatest(literal(2.5), literal(7.0), literal(3.0)))) == 7.0
    assert session.scalar(select(greatest(literal(1), literal(-4)))) == 1


def test_one_of_binds_each_value_and_leaves_nothing_to_render_at_execution(session, make, village):
    from coop.core.models import User
    from coop.core.sql import one_of
    people = [make.user(village, first_name=name) for name in ("Bep", "Kees", "Anna")]
    stmt = select(User.first_name).where(one_of(User.first_name, ["Kees", "Anna"])).order_by(User.first_name)
    assert session.scalars(stmt).all() == ["Anna", "Kees"]
    assert session.scalars(select(User.id).where(one_of(User.id, [people[0].id]))).all() == [people[0].id]
    # an in_() of a list is filled in at each execution; one_of() leaves nothing for that
    assert select(User.id).where(User.first_name.in_(["Kees"])).compile(session.get_bind()).post_compile_params
    assert not stmt.compile(session.get_bind()).post_compile_params



def test_written_puts_the_number_in_the_statements_text(session, make, village):
    from coop.core.models import User
    from coop.core.sql import written
    names = [make.user(village, first_name=name).first_name for name in ("Anna", "Bep", "Kees")]
    stmt = select(User.first_name).where(User.village_id == village.id).order_by(User.first_name)
    assert session.scalars(stmt.limit(written(2)).offset(written(1))).all() == sorted(names)[1:3]
    rendered = str(stmt.limit(written(2)).offset(written(1)).compile(
        session.get_bind(), compile_kwargs={"render_postcompile": True}))
    assert "LIMIT 2 OFFSET 1" in rendered, rendered
