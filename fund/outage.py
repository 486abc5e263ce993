"""Error pages that need nothing but the request: for when the database does not answer.

The usual error page extends base.html, which asks who is signed in (a query) and which roles
they hold (another). With the database down that lookup fails too, and the visitor would get the
web server's bare "Internal Server Error". The pages here make no query: once a request has lost
its database it counts as anonymous (so the language comes from the session or the browser), and
the template touches no user, role or form.
"""

from __future__ import annotations

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from fund.extensions import db

# What a lost, refused, dropped or exhausted database connection raises. Not every DBAPIError:
# a unique-key conflict or an out-of-range number is the request's fault, not an outage.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30


def is_database_down(error: BaseException | None) -> bool:
    """Whether `error`, or what it wraps (an InternalServerError's original exception, or the
    exception it was raised from), says the database cannot be reached."""
    for _depth in range(5):
        if error is None:
            return False
        if isinstance(error, DATABASE_DOWN):
            return True
        error = getattr(error, "original_exception", None) or error.__cause__
    return False


def database_lost() -> None:
    """Treat the rest of the request as anonymous, and drop its half-done transaction."""
    # Flask-Login keeps the request's user in g._login_user and calls the user loader (a query)
    # only while it is absent; its template context processor and the language selector ask
    # for it on every page. An anonymous user here means nothing asks the database again.
    g._login_user = current_app.login_manager.anonymous_user()
    roll_back_quietly()


def roll_back_quietly() -> None:
    """Drop the session's transaction, even when the connection under it is gone."""
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the pool replaces a dead connection on the next checkout
        pass


def database_unavailable():
    """503 with Retry-After and a page saying the service is briefly unavailable."""
    database_lost()
    title = _("The service is briefly unavailable")
    message = _(
        "We cannot reach our database for a moment. Nothing you saved before is lost. Please "
        "try again in a minute."
    )
    response = plain_error(503, title, message)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def plain_error(status: int, title: str, message: str):
    """An error response built without the database (JSON for clients that ask for it)."""
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(error=title, message=message)
    else:
        response = current_app.make_response(
            render_template("errors/plain.html", status=status, title=title, message=message)
        )
    response.status_code = status
    return response
