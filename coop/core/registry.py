"""What features add to the shared layout: navigation links and panels on the home page.

Features register at import time of their views module, so the layout needs no list of
features and a new feature touches no shared file.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coop.core.models import User

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
