"""Call pages: the public list and each call's page; the secretariat creates, edits, opens and
closes calls."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from fund import clock, permissions
from fund.access import require
from fund.calls import copying, queries, rules, services
from fund.calls.form_fields import LOCAL_FORMAT, TRANCHE_LABELS
from fund.calls.forms import KEPT_UNLESS_SENT, PLACEHOLDER_HINTS, CallForm
from fund.calls.questions import concept_questions, questions
from fund.extensions import db
from fund.forms_def.definition import answerable as own_questions
from fund.forms_def.localise import LocalCall, missing_texts
from fund.i18n import lazy_gettext as _l
from fund.i18n import select_timezone
from fund.models import Call
from fund.numbers import parse_id
from fund.outbox import commit
from fund.strategies import strategy_label

bp = Blueprint("calls", __name__, url_prefix="/calls")

STATUS_LABELS = {
    queries.CallStatus.DRAFT: _l("Not published"),
    queries.CallStatus.UPCOMING: _l("Opening soon"),
    queries.CallStatus.OPEN: _l("Open"),
    queries.CallStatus.CLOSED: _l("Closed"),
}


@bp.app_template_filter("time_left")
def time_left(moment: datetime) -> str:
    """ "in 12 days", "in 5 hours": from the server's clock to `moment`."""
    # threshold=2: "12 days" rather than "2 weeks", "36 hours" rather than "2 days"
    return format_timedelta(
        moment - clock.now(), granularity="minute", threshold=2, add_direction=True
    )


def register_template_globals(state) -> None:
    """Globals, unlike context-processor names, are visible inside imported macros too."""
    state.app.jinja_env.globals.update(
        CallStatus=queries.CallStatus,
        call_status=queries.status,
        call_status_label=lambda status: STATUS_LABELS[status],
        strategy_label=strategy_label,
        tranche_label=lambda condition: TRANCHE_LABELS.get(condition, condition),
        visitor_timezone=lambda: str(get_timezone()),
        # A call's title in the reader's language (the main one's where not translated).
        call_title=lambda call: LocalCall(call, str(get_locale())).title,
    )


bp.record_once(register_template_globals)


def get_call_or_404(call_id: int) -> Call:
    """The call if the current user may see it: published ones for everyone, all for admins."""
    call = db.session.get(Call, call_id)
    if call is None or not permissions.can_view_call(current_user, call):
        abort(404)
    return call


@bp.get("/")
def index():
    """Open, coming and recently closed calls."""
    now = clock.now()
    return render_template("calls/index.html", calls=queries.public_calls(now), now=now)


@bp.get("/<int:call_id>")
def detail(call_id: int):
    """Everything an applicant needs before starting: purpose, rules, questions, rubric."""
    call = get_call_or_404(call_id)
    now = clock.now()
    local = LocalCall(call, str(get_locale()))
    return render_template(
        "calls/detail.html",
        call=local,
        questions=questions(local),
        concept_questions=concept_questions(local),
        now=now,
        status=queries.status(call, now),
        start_url=_start_url(call),
        missing=missing_texts(call) if permissions.can_manage_calls(current_user) else {},
        language_name=lambda code: current_app.config["LANGUAGES"].get(code, code),
    )


@bp.get("/manage")
@require(permissions.can_manage_calls)
def manage():
    """Every call, for the secretariat."""
    pagination = queries.managed_calls(page=parse_id(request.args.get("page")) or 1)
    return render_template(
        "calls/manage.html",
        pagination=pagination,
        now=clock.now(),
        submitted=queries.submitted_counts(pagination.items),
        statuses=queries.CallStatus,
    )


@bp.route("/new", methods=["GET", "POST"])
@require(permissions.can_manage_calls)
def create():
    """A new call, unpublished until "Open call"."""
    # "Copy from call ...": the form arrives pre-filled from that call and nothing is saved
    # until "Save call"; the choice travels with the form in a hidden field.
    source = _copy_source(request.values.get("copy_from"))
    if request.method == "GET":
        if source:
            values = copying.prefilled_values(source, select_timezone())
        else:
            values = {**rules.default_values(), "timezone": select_timezone()}
        form = CallForm(data=CallForm.data_from(values))
        form.use_rubric_rows(locked=False)
        return _form_page(form, None, source=source)
    form = CallForm()
    form.use_rubric_rows(locked=False)
    if "row_action" in request.form:
        return _change_rows(form, None, source)
    if form.validate():
        try:
            if source:
                call = copying.create_copy(current_user, form.values(), source)
            else:
                call = services.create_call(current_user, form.values())
        except services.CallInvalid as error:
            form.show_errors(error.errors)
        else:
            commit()
            flash(_("The call is saved. It is not public until you open it."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    return _form_page(form, None, status=400, source=source)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@require(permissions.can_manage_calls)
def edit(call_id: int):
    """Change a call; fields that shape submitted proposals are shown, not editable."""
    call = db.get_or_404(Call, call_id)
    locked = "criteria" in services.locked_fields(call)
    if request.method == "GET":
        form = CallForm(data=CallForm.data_from(rules.call_values(call)))
        form.use_rubric_rows(locked)
        return _form_page(form, call)
    form = CallForm()
    form.keep_only_sent(services.locked_fields(call), request.form)
    form.use_rubric_rows(locked, request.form)
    form.keep_unsent(KEPT_UNLESS_SENT, request.form, CallForm.data_from(rules.call_values(call)))
    if "row_action" in request.form:
        return _change_rows(form, call)
    if form.validate():
        try:
            services.update_call(call, current_user, form.values())
        except services.CallLocked as error:
            abort(400, description=str(error))
        except services.CallInvalid as error:
            form.show_errors(error.errors)
        else:
            commit()
            flash(_("The call is saved."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    return _form_page(form, call, status=400)


@bp.post("/<int:call_id>/copy")
@require(permissions.can_manage_calls)
def copy_into(call_id: int):
    """Replace the set-up of a call without submissions by another call's (see copying.py)."""
    call = db.get_or_404(Call, call_id)
    source = _copy_source(request.form.get("source"))
    if source is None:
        abort(400, description=_("Choose a call to copy from."))
    try:
        copying.copy_setup(call, source, current_user)
    except services.CallError as error:
        abort(400, description=str(error))
    commit()
    flash(
        _(
            "The set-up of “%(title)s” is copied onto this call. Check it, then save.",
            title=source.title,
        ),
        "success",
    )
    return redirect(url_for("calls.edit", call_id=call.id))


def _copy_source(value: str | None) -> Call | None:
    """The call named by a "Copy from call" choice; None when none was chosen, else 404."""
    if value is None or value == "":
        return None
    source = db.session.get(Call, parse_id(value) or 0)
    if source is None:
        abort(404, description=_("There is no such call to copy from."))
    return source


@bp.post("/<int:call_id>/open")
@require(permissions.can_manage_calls)
def open_call(call_id: int):
    """Publish the call; it takes proposals from its opening to its closing time."""
    return _act(call_id, services.open_call, _("The call is published."))


@bp.post("/<int:call_id>/close")
@require(permissions.can_manage_calls)
def close_call(call_id: int):
    """Close the call now."""
    return _act(
        call_id, services.close_call, _("The call is closed. No more proposals can be submitted.")
    )


def _act(call_id: int, action, done: str):
    call = db.get_or_404(Call, call_id)
    try:
        action(call, current_user, clock.now())
    except services.CallError as error:
        abort(400, description=str(error))
    commit()
    flash(done, "success")
    return redirect(url_for("calls.manage"))


def _change_rows(form: CallForm, call: Call | None, source: Call | None = None):
    """An "Add ..." or "Remove" button: show the form again with one row more or fewer."""
    if not form.change_rows(request.form["row_action"]):
        abort(400, description=_("These rows cannot be changed."))
    return _form_page(form, call, source=source)


def _form_page(form: CallForm, call: Call | None, status: int = 200, source: Call | None = None):
    locked = services.locked_fields(call) if call else ()
    fixed_opens = ""
    if call:
        local = call.opens_at.astimezone(ZoneInfo(call.timezone)).strftime(LOCAL_FORMAT)
        fixed_opens = f"{local.replace('T', ' ')} ({call.timezone})"
    return render_template(
        "calls/form.html",
        form=form,
        call=call,
        locked=locked,
        labels=rules.FIELD_LABELS,
        fixed_opens=fixed_opens,
        placeholders=PLACEHOLDER_HINTS,
        source=source,
        source_questions=list(own_questions(source.proposal_form)) if source else [],
        copy_sources=queries.copy_sources(call) if not locked else [],
    ), status


def _start_url(call: Call) -> str | None:
    """Where applicants start a proposal to the call (the proposals area owns that page)."""
    try:
        return url_for("proposals.new", call_id=call.id)
    except BuildError:
        return None
