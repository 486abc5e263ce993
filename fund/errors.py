"""Friendly error pages: every error gets a clear message and its 4xx or 5xx status."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from fund import outage
from fund.extensions import db
from fund.workflow import TransitionRefused


def _titles() -> dict[int, str]:
    return {
        400: _("Something in the request was not right"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("This page cannot be used that way"),
        409: _("This has changed meanwhile"),
        410: _("This link no longer works"),
        413: _("The upload is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }


def _explanations() -> dict[int, str]:
    return {
        403: _("If you think you should see it, ask the fund's secretariat."),
        404: _("Check the address, or start again from the home page."),
        409: _("Reload the page to see where things stand, then try again."),
        413: _("Files may be at most the size shown next to the upload field."),
        429: _("Wait a minute, then try again."),
        500: _("Nothing you saved before is lost. Please try again in a moment."),
    }


def _title(status: int) -> str:
    return _titles().get(status, _titles()[500] if status >= 500 else _titles()[400])


def render_error(status: int, message: str | None = None):
    """The error page for `status`, with `message` if there is a more specific one."""
    try:
        title, body = _title(status), message or _explanations().get(status, "")
        if request.accept_mimetypes.best == "application/json":
            return {"error": title, "message": body}, status
        return render_template(
            "errors/error.html", status=status, title=title, message=body
        ), status
    except Exception as failure:  # the page itself failed (e.g. no database to find the user)
        return _render_plain(status, message, failure)


def _render_plain(status: int, message: str | None, failure: Exception):
    """The same error on the page that needs no database; 503 if the database was the cause."""
    if outage.is_database_down(failure):
        current_app.logger.warning("database unavailable while showing a %d page", status)
        return outage.database_unavailable()
    current_app.logger.exception("the %d page failed; showing the plain one", status)
    outage.database_lost()
    return outage.plain_error(status, _title(status), message or _explanations().get(status, ""))


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _(
                "The form had expired or was sent from elsewhere. Go back, reload the page and "
                "send it again."
            ),
        )

    @app.errorhandler(TransitionRefused)
    def transition_refused(error: TransitionRefused):
        db.session.rollback()
        return render_error(error.status, error.reason)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded):
        # Its description is the limit itself ("10 per 1 minute"): untranslated, not for people.
        return render_error(429)

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # Two identical requests at the same moment: a unique key (or another constraint) let
        # the first through and stopped this one. The data is right; the user gets what a
        # second click gets, not a server error.
        db.session.rollback()
        app.logger.info("integrity error answered with 409: %s", error.orig)
        return render_error(
            409,
            _(
                "This was done meanwhile, by another click or another person. Reload the page "
                "to see where things stand."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if outage.is_database_down(error):  # e.g. a 500 wrapping a failure after the view
            return database_down(error)
        # A description given to abort() is ours and translated; werkzeug's defaults are not.
        custom = error.description != type(error).description
        return render_error(error.code or 500, error.description if custom else None)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if outage.is_database_down(error):
            return database_down(error)
        outage.roll_back_quietly()
        app.logger.exception("unhandled error")
        return render_error(500)

    def database_down(error: Exception):
        # Whether it came from the view or the user loader: a 503 the visitor may retry.
        app.logger.warning("database unavailable: %s", error)
        return outage.database_unavailable()

    for database_error in outage.DATABASE_DOWN:
        app.register_error_handler(database_error, database_down)
