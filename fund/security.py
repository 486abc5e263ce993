"""HTTP security headers and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, request, session

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


HSTS = "max-age=31536000; includeSubDomains"


def set_headers(response: Response) -> Response:
    """Add the security headers DESIGN.md section 6 asks for."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Cookies that only travel over HTTPS are worth little if the first visit is plain HTTP.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if _private(response):
        response.headers["Cache-Control"] = "no-store"
    return response


def _private(response: Response) -> bool:
    """A page or file for a signed-in user: no browser or proxy cache may keep it (a shared
    computer's back button, a proxy). Static files stay cacheable; they are the same for all.

    Read from the session, not `current_user`: loading the user needs the database, and this
    runs on error pages too, when the database may be down.
    """
    if request.endpoint == "static":
        return False
    return "_user_id" in session


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target
