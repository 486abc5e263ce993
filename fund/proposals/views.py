"""Drafting a proposal: starting one, the form in sections, autosave, and its files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions, storage
from fund.extensions import csrf, db
from fund.models import Organisation, ProposalState
from fund.once import once_per_form
from fund.outbox import commit
from fund.proposals import drafts, editing, files, starting, stash
from fund.proposals.access import get_proposal_or_404
from fund.proposals.blueprint import bp
from fund.proposals.forms import ProposalForm


@bp.app_context_processor
def start_helpers() -> dict:
    """`proposal_start(call)` for the "Start a proposal" include on the call page."""
    return {"proposal_start": starting.start_options}


@bp.get("/new")
@login_required
def new():
    """Start a proposal to the call named by ?call_id=, after the eligibility check."""
    call = starting.call_or_404(request.args.get("call_id"))
    return render_template("proposals/new.html", call=call)


@bp.post("/start")
@login_required
@once_per_form("main.dashboard")
def start():
    """Create a draft for one of the user's organisations; an ineligible one is told why."""
    if not permissions.can_start_proposal(current_user):
        abort(
            403,
            description=_(
                "Only members of a registered organisation can start a "
                "proposal. Register your organisation, or ask to join it."
            ),
        )
    form = starting.start_form(current_user)
    call = starting.call_or_404(form.call_id.data)
    if not form.validate():
        return render_template("proposals/new.html", call=call, start_form=form), 400
    organisation = db.session.get(Organisation, form.organisation_id.data)
    if organisation is None or not permissions.is_member(current_user, organisation.id):
        abort(404)
    try:
        proposal = drafts.start_proposal(call, organisation, form.title.data, current_user)
    except drafts.NotEligible as refused:
        return render_template(
            "proposals/start_refused.html",
            call=call,
            organisation=organisation,
            problems=refused.problems,
        ), 400
    commit()
    flash(
        _(
            "Your draft is started. Save it as often as you like: nothing is sent until you "
            "submit it."
        ),
        "success",
    )
    if proposal.state == ProposalState.CONCEPT_DRAFT:  # a two-stage call asks for this first
        return redirect(url_for("proposals.edit_concept", proposal_id=proposal.id))
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@csrf.exempt
@stash.guard_post("proposals.edit")
def edit(proposal_id: int):
    """The proposal form. Every button saves the draft; Add and Remove change the rows too."""
    proposal = editing.load(get_proposal_or_404(proposal_id, permissions.can_edit_proposal))
    if request.method == "GET":
        restored = stash.restore(request.path)
        form = editing.form_for_get(proposal, restored, request.args.get("blank_lines"))
        more_rows = request.args.get("more_rows")
        return editing.render_form(proposal, form, more_rows=more_rows), 200
    form = ProposalForm(call=proposal.call)
    pressed = editing.pressed_button(request.form)
    if pressed.remove_line is not None:
        form.drop_line(pressed.remove_line)
    if not form.validate():
        if pressed.add_line:
            form.budget_lines.append_entry()
        return editing.render_form(proposal, form, more_rows=pressed.more_rows), 400
    now = clock.now()
    try:
        drafts.save_draft(
            proposal,
            form.draft_data(),
            current_user,
            expected_version=form.expected_version(),
            files=editing.draft_files(form, pressed),
            now=now,
        )
    except drafts.DraftConflict:
        db.session.rollback()
        return editing.render_conflict(proposal, form), 409
    except drafts.FileRefused as refused:
        db.session.rollback()
        editing.file_error(form, refused)
        return editing.render_form(proposal, form), 400
    except drafts.FilesNotStored:
        commit()  # the text is kept; only the file has to be sent again
        flash(editing.files_not_stored_message(now), "warning")
        return redirect(editing.after_save_url(proposal, form, pressed))
    commit()
    flash(_("Draft saved at %(time)s.", time=format_time(now, "short")), "success")
    return redirect(editing.after_save_url(proposal, form, pressed))


@bp.post("/<int:proposal_id>/autosave")
@csrf.exempt
@stash.guard_post("proposals.edit", json=True)
def autosave(proposal_id: int):
    """What the page's script sends every minute and before the page is left: JSON answers."""
    proposal = get_proposal_or_404(proposal_id, permissions.can_edit_proposal)
    form = ProposalForm(call=proposal.call)
    if not form.validate():
        return editing.json_errors(form), 400
    now = clock.now()
    try:
        drafts.save_draft(
            proposal,
            form.draft_data(),
            current_user,
            expected_version=form.expected_version(),
            now=now,
        )
    except drafts.DraftConflict:
        db.session.rollback()
        return editing.json_conflict(proposal), 409
    except drafts.FileRefused as refused:  # a file answer naming a file the draft lacks
        db.session.rollback()
        editing.file_error(form, refused)
        return editing.json_errors(form), 400
    commit()
    return {
        "saved": True,
        "lock_version": proposal.lock_version,
        "saved_at": now.isoformat(),
        "saved_at_text": format_time(now, "short"),
    }


@bp.get("/<int:proposal_id>/files/<int:file_id>")
@login_required
def file(proposal_id: int, file_id: int):
    """An attachment or the safeguarding policy of a proposal, to those who may see it."""
    proposal = get_proposal_or_404(proposal_id, permissions.can_view_proposal)
    stored = files.file_of(proposal, file_id)
    if stored is None:
        abort(404)
    return storage.send(stored)
