"""What features add to the shared parts: the layout, the scheduler and the weekly digest.

- Navigation links and home-page panels: registered by each feature's views module (it is
  imported when its blueprint is wired in).
- Periodic rules (`periodic_rule`), daily jobs (`daily_job`) and sections of the coordinator's
  weekly digest (`digest_section`): registered by each feature's `rules.py` and `messages.py`,
  next to how its follow-ups are written (`coop.core.outbox.message_builder`). `create_app`
  imports those modules of every feature (`coop.feature_modules`), whether or not any page
  is ever opened: the scheduler process shows none.
- Groups of people a coordinator writes to at once (`recipient_groups`): registered by each
  feature's `messages.py` (members, a phone circle, an activity's sign-ups).

So the shared parts need no list of features, a new feature touches no shared file, and no
import runs upward (coop/followups, which runs the rules, imports no feature).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coop.core.models import User, Village

PanelContext = Callable[["User"], dict[str, Any]]


@dataclass(frozen=True)
class NavLink:
    label: str
    endpoint: str
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    template: str
    roles: frozenset[str]
    order: int = 50
    context: PanelContext | None = field(default=None, compare=False)


_nav: dict[str, NavLink] = {}
_panels: dict[str, HomePanel] = {}


def nav_link(label: str, endpoint: str, *roles: str, order: int = 50) -> None:
    _nav[endpoint] = NavLink(label, endpoint, frozenset(roles), order)


def home_panel(template: str, *roles: str, order: int = 50, context: PanelContext | None = None) -> None:
    _panels[template] = HomePanel(template, frozenset(roles), order, context)


def nav_for(user_roles: set[str]) -> list[NavLink]:
    return sorted((n for n in _nav.values() if n.roles & user_roles), key=lambda n: (n.order, n.label))


def panels_for(user_roles: set[str]) -> list[HomePanel]:
    return sorted((p for p in _panels.values() if p.roles & user_roles), key=lambda p: p.order)


# What a feature adds to a page of core, e.g. the privacy page's table of retention periods.
PageContext = Callable[["User | None"], dict[str, Any]]
_page_contexts: dict[str, list[PageContext]] = {}


def page_context(template: str, fn: PageContext) -> None:
    if fn not in _page_contexts.setdefault(template, []):
        _page_contexts[template].append(fn)


def context_for(template: str, user: User | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for fn in _page_contexts.get(template, []):
        found.update(fn(user))
    return found


# Panels a feature adds to another feature's page (a lower layer's page cannot name them): the
# page includes each template of `page_panels(page)` with its own context, e.g. what was
# reserved for a hulpvraag on the request's page.
_page_panels: dict[str, list[str]] = {}


def page_panel(page: str, template: str) -> None:
    if template not in _page_panels.setdefault(page, []):
        _page_panels[page].append(template)


def page_panels(page: str) -> list[str]:
    return list(_page_panels.get(page, []))


# --- the scheduler -------------------------------------------------------------------------

Rule = Callable[[datetime], int]  # rule(at) -> how many follow-ups it queued
_rules: list[Rule] = []
_daily: list[Rule] = []


def periodic_rule(fn: Rule) -> Rule:
    """Decorator: the scheduler runs `fn(at)` every minute, each rule in its own transaction."""
    if fn not in _rules:
        _rules.append(fn)
    return fn


def periodic_rules() -> list[Rule]:
    return list(_rules)


def daily_job(fn: Rule) -> Rule:
    """Decorator: the scheduler runs `fn(at)` once a night (retention), then commits."""
    if fn not in _daily:
        _daily.append(fn)
    return fn


def daily_jobs() -> list[Rule]:
    return list(_daily)


# --- the coordinator's weekly digest ---------------------------------------------------------

@dataclass(frozen=True)
class DigestSection:
    heading: str
    lines: list[str]
    empty: str | None = None  # shown when there are no lines; None: the heading alone


Section = Callable[["Village"], DigestSection | None]  # None: leave the section out
_sections: dict[Section, int] = {}


def digest_section(order: int = 50) -> Callable[[Section], Section]:
    """Decorator: `fn(village)` is a section of the weekly digest; lowest order first."""
    def register(fn: Section) -> Section:
        _sections[fn] = order
        return fn
    return register


def digest_sections(village: Village) -> list[DigestSection]:
    """The sections for `village`, in order, without the ones that have nothing to say."""
    ordered = sorted(_sections.items(), key=lambda item: item[1])  # stable: registration order
    return [s for s in (fn(village) for fn, _ in ordered) if s is not None]


# --- figures read with the login -------------------------------------------------------------

_WITH_LOGIN: dict[str, Callable[[], Any]] = {}
_WITH_LOGIN_PARAMS: dict[str, Callable[[], dict[str, Any]]] = {}


def read_with_login(name: str, column: Callable[[], Any],
                    params: Callable[[], dict[str, Any]] | None = None) -> None:
    """Read `column()` (a scalar subquery correlated to User.id) in the same query as the login
    on every request (coop/auth/sessions.py); the value is login_figure(name). The bell's unread
    count is one: every page shows it.

    The query is built once per process, so `column()` holds no value of the moment: what
    changes (today's date) is a bindparam whose value `params()` gives on each request."""
    _WITH_LOGIN[name] = column
    if params is not None:
        _WITH_LOGIN_PARAMS[name] = params


def with_login() -> dict[str, Callable[[], Any]]:
    return dict(_WITH_LOGIN)


def with_login_params() -> dict[str, Any]:
    """This request's values of the bindparams in the figures read with the login."""
    values: dict[str, Any] = {}
    for params in _WITH_LOGIN_PARAMS.values():
        values.update(params())
    return values


def login_figure(name: str) -> Any | None:
    """A figure read with this request's login, or None when it was not (then ask the database)."""
    from flask import g, has_request_context
    return g.get("login_figures", {}).get(name) if has_request_context() else None


# --- groups of people to write to at once ----------------------------------------------------

@dataclass(frozen=True)
class RecipientGroup:
    """People the coordinator can send one message to: all members, a phone circle, the
    sign-ups of an activity. `key` is stable in a form ("leden", "cirkel-3"); `label` is Dutch."""
    key: str
    label: str
    people: Callable[[], list[User]] = field(compare=False)


GroupSource = Callable[["Village"], list[RecipientGroup]]
_group_sources: list[GroupSource] = []


def recipient_groups(fn: GroupSource) -> GroupSource:
    """Decorator: `fn(village)` lists a feature's groups in that village (registered in the
    feature's `messages.py`, so every process knows them)."""
    if fn not in _group_sources:
        _group_sources.append(fn)
    return fn


def groups_for(village: Village) -> list[RecipientGroup]:
    """Every feature's groups in `village`, in registration order."""
    return [group for source in _group_sources for group in source(village)]
