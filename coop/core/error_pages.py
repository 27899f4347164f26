"""Error pages that cannot fail: Dutch, with the security headers, whatever the database does.

Every handler first rolls the request's session back (a failed transaction must not be touched
again: PostgreSQL refuses every query after an error until the rollback). Then it renders the
full page, with the user's menu and bell; if that fails too (the database is gone), the page
without anything of the user; and if even that fails, a fixed page. The headers come from the
after_request hook in coop/core/security.py, which runs for these responses as well.
"""
from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from coop.core.rollback import rollback_quietly

log = logging.getLogger(__name__)

FALLBACK = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Er ging iets mis</title>
<link rel="stylesheet" href="/static/css/coop.css"></head>
<body class="govuk-template__body"><main class="govuk-width-container govuk-main-wrapper">
<h1 class="govuk-heading-l">Er ging iets mis</h1>
<p class="govuk-body">Probeer het over een paar minuten nog eens. Lukt het dan nog niet, bel de
dorpsondersteuner.</p><p class="govuk-body"><a class="govuk-link" href="/">Naar de startpagina</a></p>
</main></body></html>"""


def bare_page() -> bool:
    """True while an error page is drawn without the user's details (they failed to load)."""
    return bool(g.get("bare_page"))


def error_response(code: int, **context: object) -> tuple[str, int]:
    """The error page for `code` as a (body, status) pair; never raises."""
    from coop.core.views import contact_villages

    rollback_quietly()
    for bare in (False, True):
        g.bare_page = bare
        try:
            # Logged out, the page names each village's coordinator phone (not when bare).
            villages = [] if bare else contact_villages()
            return render_template("errors/error.html", code=code, villages=villages, **context), code
        except Exception:
            log.exception("the %s page failed to render%s", code, " without the user" if bare else "")
            rollback_quietly()
    return FALLBACK, code


def init_app(app: Flask) -> None:
    # One handler for every HTTP error, 500 included (Flask hands an unhandled exception to it
    # as InternalServerError after logging it; with TESTING the exception reaches the test).
    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> HTTPException | tuple[str, int]:
        if err.code is None or err.code < 400:
            return err
        return error_response(err.code)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError) -> tuple[str, int]:
        return error_response(400, csrf=True)
