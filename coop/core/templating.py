"""What every template gets: Dutch formatting, the navigation, the current village."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from coop.core import dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.transaction import PASSING_MESSAGE
from coop.core.validation import display_phone
from coop.extensions import login_manager


def tel_link(e164: str | None) -> Markup:
    """A phone number as a link that dials it on a phone (every number on every page and mail)."""
    if not e164:
        return Markup("")
    return Markup('<a class="govuk-link" href="tel:{}">{}</a>').format(e164, display_phone(e164))


# A Dutch number as people type it in free text: 06-12345678, 0343 123456, +31 6 1234 5678.
PHONE_IN_TEXT = re.compile(r"(?<![\w+-])(?:\+31|0)(?:[ -]?\d){9}(?!\w)")


def tel_in_text(text: str | None) -> Markup:
    """Free text (e.g. who to call in an emergency) with every phone number in it a tel: link."""
    if not text:
        return Markup("")
    out, last = [], 0
    for found in PHONE_IN_TEXT.finditer(text):
        digits = re.sub(r"[ -]", "", found.group())
        e164 = digits if digits.startswith("+") else "+31" + digits[1:]
        out += [escape(text[last:found.start()]),
                Markup('<a class="govuk-link" href="tel:{}">{}</a>').format(e164, found.group())]
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def fixed_url(endpoint: str, **values: Any) -> str:
    """url_for for a URL that depends on nothing but its arguments and where the app is mounted
    (a page of the menu, a static file, named in a template): built once per app. Every page
    draws some thirty of them in its layout, and building one costs more than drawing a row of
    the inbox. Not for a URL with a record's id: each would be kept."""
    built: dict[tuple, str] = current_app.extensions.setdefault("fixed_urls", {})
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    url = built.get(key)
    if url is None:
        url = built[key] = url_for(endpoint, **values)
    return url


def init_app(app: Flask) -> None:
    # The user loader and the way to the login page are the auth package's (coop/auth/sessions.py).
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    dutch.register_filters(app.jinja_env)
    app.jinja_env.filters["phone"] = display_phone
    app.jinja_env.filters["tel"] = tel_link
    app.jinja_env.filters["tel_in_text"] = tel_in_text
    app.jinja_env.globals["fixed_url"] = fixed_url

    @app.context_processor
    def layout() -> dict[str, object]:
        # An error page drawn after the user's details failed to load shows none of them.
        signed_in = not g.get("bare_page") and current_user.is_authenticated
        return {
            "signed_in": signed_in,
            "save_failed": g.get("save_failed", False),
            "save_failed_message": PASSING_MESSAGE,
            "nav_links": registry.nav_for(current_user.roles if signed_in else set()),
            "page_panels": registry.page_panels,
            "role_labels": R.LABELS,
            "R": R,
            "today": local_now().date(),
        }
