"""Response headers, the Content-Security-Policy with its per-response nonce, cookies."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
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
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
