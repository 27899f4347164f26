"""Response headers, the Content-Security-Policy with its per-response nonce, cookies."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request, session
from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request itself came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        try:
            return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)
        except RuntimeError:  # outside a request
            return bool(app.config["SESSION_COOKIE_SECURE"])


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _tile_origin(app: Flask) -> str:
    """The img-src source for the map tiles, for every form TILE_URL takes: absolute
    (https://tile.example/{z}/{x}/{y}.png), with subdomains ({s}.tile.example), with a port,
    protocol-relative (//tile.example/…) or on our own site (/tiles/…: 'self' covers it)."""
    url = app.config["TILE_URL"]
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.netloc:
        return ""
    host = parts.netloc.rsplit("@", 1)[-1]
    if "{s}" in urlsplit(url).netloc:
        # {s}.tile.example: Leaflet picks subdomains a, b, c; one wildcard covers them.
        host = "*." + host.split(".", 1)[1] if "." in host else "*"
    return f"{parts.scheme}://{host}" if parts.scheme else host


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    tiles = _tile_origin(app)

    @app.after_request
    def headers(response: Response) -> Response:
        # Runs for every response Flask makes, error pages included (a 404, a CSRF refusal, a
        # 500 from deep inside a view): nothing here may touch the database or fail.
        nonce = g.get("csp_nonce")
        script = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
        style = "style-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
        response.headers["Content-Security-Policy"] = "; ".join([
            "default-src 'self'", script, style,
            f"img-src 'self' data: {tiles}".strip(),
            "font-src 'self'", "connect-src 'self'", "object-src 'none'",
            "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
        ])
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
        if request.is_secure:  # behind a proxy: X-Forwarded-Proto, trusted with PROXY_HOPS
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if _personal(response):
            response.headers["Cache-Control"] = "no-store"
        elif response.mimetype == "text/html" and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


# Downloads that hold personal data whoever asks for them (a calendar feed opened by its token):
# the subtypes of text/… for spreadsheets and calendars.
DOWNLOADS = frozenset({"csv", "calendar"})


def _personal(response: Response) -> bool:
    """Whether no browser, proxy or shared computer may keep a copy: every response to a
    logged-in user but the static files (which keep their own caching), and every CSV and
    calendar download. Read from the cookie only, never from the database."""
    if request.endpoint == "static":
        return False
    kind, _, subtype = (response.mimetype or "").partition("/")
    if kind == "text" and subtype in DOWNLOADS:
        return True
    return bool(session.get("_user_id"))  # Flask-Login's key: set while someone is logged in
