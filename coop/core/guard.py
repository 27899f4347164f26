"""The access guard. Every view declares who may use it; a test walks the URL map to check.

    @bp.get("/x")
    @roles_required(COORDINATOR, ADMIN)
    def x(): ...

`public` marks the few views anyone may open (login, reset, one-click answers).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import Select, bindparam, select

from coop.core import roles as R
from coop.extensions import db, login_manager

if TYPE_CHECKING:
    from coop.core.models import User

ANY_USER = "*"

View = TypeVar("View", bound=Callable[..., Any])
M = TypeVar("M")
P = ParamSpec("P")
T = TypeVar("T")


def _declare(view: View, roles: Iterable[str]) -> View:
    view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # a mark on the function object
    return view


def public(view: View) -> View:
    """Open to everyone, logged in or not."""
    return _declare(view, {"public"})


def roles_required(*roles: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Admit only logged-in users holding one of `roles` (ANY_USER: any logged-in user)."""
    for role in roles:
        if role != ANY_USER and role not in R.ALL:
            raise ValueError(f"unknown role {role}")

    def decorate(view: Callable[P, T]) -> Callable[P, T]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if ANY_USER not in roles and not current_user.has_role(*roles):
                abort(403)
            g.admitted_roles = roles  # the audit log writes down which of them the user acted in
            return view(*args, **kwargs)
        return _declare(guarded, roles)
    return decorate


def in_village(obj: object) -> bool:
    """True when `obj` belongs to the current user's village. Every role, the village's own
    admin included, stays in its village; only the platform role spans villages, and it reads
    no personal data."""
    return getattr(obj, "village_id", None) == current_user.village_id


def get_in_village_or_404(model: type[M], ident: int | str, options: Sequence[Any] = ()) -> M:
    """Load `model` by id, refusing one of another village with 404 (reveals nothing).
    `options`: loader options (what the page shows, loaded in the same query)."""
    if options:
        return one_in_village_or_404(by_id(model, *options), ident)
    obj = db.session.get(model, _ident_or_404(ident))
    if obj is None or not in_village(obj):
        abort(404)
    return obj


def by_id(model: type[M], *options: Any) -> Select[Any]:
    """The statement that loads one `model` by id with `options`, for one_in_village_or_404: a
    page read on every view builds it once, at import, instead of on each view."""
    # populate_existing: the options apply to an object the session holds already as well
    return (select(model).where(model.id == bindparam("ident")).options(*options)  # type: ignore[attr-defined]
            .execution_options(populate_existing=True))


def one_in_village_or_404(statement: Select[Any], ident: int | str) -> Any:
    """What `statement` (by_id) loads for `ident`, refusing one of another village with 404."""
    obj = db.session.scalars(statement, {"ident": _ident_or_404(ident)}).unique().one_or_none()
    if obj is None or not in_village(obj):
        abort(404)
    return obj


def _ident_or_404(ident: int | str) -> int:
    try:
        return int(ident)
    except (TypeError, ValueError):
        abort(404)


def village_id_for_query() -> int:
    """The village that lists and searches are scoped to."""
    return current_user.village_id


def may_see_gemeente_matters(user: User, village_id: int, municipality_id: int | None) -> bool:
    """Agreements and figures of a village: its own coordinators and admins, and the gemeente
    users of its municipality (a gemeente has several villages: Zeist has Austerlitz, Bosch en
    Duin, …; its users belong to one of them but read them all)."""
    if user.has_role(R.MUNICIPALITY) and municipality_id is not None \
            and user.village.municipality_id == municipality_id:
        return True  # the gemeente sees every village of its municipality
    return user.village_id == village_id and user.has_role(R.COORDINATOR, R.ADMIN)
