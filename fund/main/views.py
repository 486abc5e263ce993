"""The home page, the signed-in user's dashboard, language choice and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from fund import clock, storage
from fund.auth.services import set_locale
from fund.calls import queries as call_queries
from fund.extensions import csrf, db
from fund.main.dashboard import panels
from fund.outbox import commit
from fund.security import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """What the fund is, the calls open now, and where to start."""
    return render_template("main/index.html", open_calls=call_queries.open_calls(clock.now()))


@bp.get("/dashboard")
@login_required
def dashboard():
    """The signed-in user's starting point: one panel for each of its roles."""
    # the user itself, not the request's proxy: the panels ask it for its roles a dozen times
    user = current_user._get_current_object()
    return render_template("main/dashboard.html", **panels(user, clock.now()))


@bp.post("/language")
def set_language():
    """Switch the interface language, for this visit and for the account if signed in."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            set_locale(current_user, locale)
            commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.get("/upload-too-large")
def upload_too_large():
    """The app's own "upload is too large" page (413), in the visitor's language: nginx shows it
    in place of a request whose body is over its limit (deploy/nginx/fund.conf, error_page)."""
    abort(413)


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """A real round trip to the database and a probe file written to the upload folder; 503
    when either fails."""
    database = "ok" if _database_answers() else "unreachable"
    uploads = "ok" if storage.writable() else "unwritable"
    healthy = database == uploads == "ok"
    body = jsonify(status="ok" if healthy else "error", database=database, uploads=uploads)
    return body, 200 if healthy else 503


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # whatever stops the round trip means "not healthy": 503, never 500
        current_app.logger.exception("health check: database unreachable")
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection is gone; the session is discarded anyway
            pass
        return False
    return True
