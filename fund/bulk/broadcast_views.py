"""The secretariat's broadcasts: past ones, a new one, its preview with the recipient count."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fund import confirmation, permissions
from fund.access import require
from fund.bulk import broadcasts
from fund.bulk.forms import broadcast_form
from fund.extensions import db
from fund.models import Call
from fund.outbox import commit

bp = Blueprint("broadcasts", __name__, url_prefix="/broadcasts")
admin_only = require(permissions.can_send_broadcasts)


def _languages() -> tuple[dict[str, str], str]:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    # the default language first: it is the one every recipient can fall back on
    return {default: languages[default], **languages}, default


def _form(**kwargs):
    languages, default = _languages()
    form = broadcast_form(languages, default, **kwargs)
    form.audience.choices = [(k, str(v)) for k, v in broadcasts.AUDIENCES.items()]
    calls = db.session.execute(
        select(Call.id, Call.title)
        .where(Call.published_at.is_not(None))
        .order_by(Call.closes_at.desc(), Call.id.desc())
    ).tuples()
    form.call_id.choices = [(0, _("No call (active grantees)"))] + [(i, t) for i, t in calls]
    return form, languages, default


def _texts(form, languages: dict[str, str], default: str) -> dict[str, broadcasts.Text]:
    """The texts given, by language; a language with a subject and no body (or the reverse)
    gets an error on the missing field."""
    texts = {}
    for code in languages:
        subject = (form[f"subject_{code}"].data or "").strip()
        body = (form[f"body_{code}"].data or "").strip()
        if subject and body:
            texts[code] = broadcasts.Text(subject, body)
        elif subject or body:
            missing = form[f"body_{code}"] if subject else form[f"subject_{code}"]
            missing.errors = [*missing.errors, _("Give both the subject and the message.")]
    return texts


@bp.get("/")
@admin_only
def index():
    """The broadcasts sent, newest first."""
    return render_template("bulk/broadcasts.html", sent=broadcasts.past_broadcasts())


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def new():
    """Write a broadcast; the first send shows a preview, the confirmed one sends it."""
    form, languages, default = _form()
    if not form.validate_on_submit():
        return _page(form, languages, 400 if form.errors else 200)
    call = db.session.get(Call, form.call_id.data) if form.call_id.data else None
    if form.audience.data in broadcasts.CALL_AUDIENCES and call is None:
        form.call_id.errors = [*form.call_id.errors, _("Choose the call for this audience.")]
    texts = _texts(form, languages, default)
    if form.errors:
        return _page(form, languages, 400)
    if form.audience.data not in broadcasts.CALL_AUDIENCES:
        call = None
    if request.form.get("edit") == "1":  # back from the preview, with everything typed
        return _page(form, languages, 200)
    people = broadcasts.recipients(form.audience.data, call)
    if not confirmation.confirmed():
        counts = {code: 0 for code in texts}
        for person in people:
            counts[broadcasts.text_for(person, texts, default)[0]] += 1
        return render_template(
            "bulk/broadcast_preview.html",
            form=form,
            audience=broadcasts.audience_label(form.audience.data, call),
            people=people,
            texts=texts,
            counts=counts,
            languages=languages,
            fields=[(k, v) for k, v in request.form.items(multi=True) if k != confirmation.MARKER],
        )
    if not people:
        abort(409, description=_("Nobody is in this audience now: nothing was sent."))
    sent = broadcasts.send(form.audience.data, call, texts, default, current_user)
    commit()
    flash(_("The broadcast is sent to %(num)d people.", num=sent), "success")
    return redirect(url_for(".index"))


def _page(form, languages, status: int):
    return render_template("bulk/broadcast_form.html", form=form, languages=languages), status
