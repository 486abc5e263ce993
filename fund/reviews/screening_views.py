"""The secretariat's pages: screening per call, reviewer assignment, recording conflicts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from fund import audit, clock, confirmation, permissions, spreadsheets, workflow
from fund.access import require
from fund.extensions import db
from fund.models import Call, Proposal, ProposalState, Review, User
from fund.outbox import commit
from fund.reviews import assignment, confirmations, conflicts, exports, queries, services
from fund.reviews.forms import (
    AddReviewerForm,
    DueDateForm,
    EmptyForm,
    ReassignForm,
    RecordConflictForm,
    ScreenInForm,
    ScreeningFilterForm,
    ScreenOutForm,
)
from fund.reviews.screening_rows import screening_rows

bp = Blueprint("screening", __name__, url_prefix="/screening")
admin_only = require(permissions.can_screen)


def _errors(form) -> str:
    return "; ".join(
        f"{form[name].label.text}: {error}"
        for name, errors in form.errors.items()
        if name in form
        for error in errors
    ) or _("The form had expired.")


def _filters():
    form = ScreeningFilterForm(request.args, states=queries.LISTED_STATES)
    if not form.validate():
        abort(400, description=_errors(form))
    return form, {
        "country": form.country.data or "",
        "strategy": form.strategy.data or "",
        "state": form.state.data or "",
    }


@bp.get("/")
@admin_only
def calls():
    """Every call, with how many proposals wait for screening."""
    return render_template("screening/calls.html", rows=queries.screening_calls())


@bp.get("/calls/<int:call_id>")
@admin_only
def proposals(call_id: int):
    """The call's proposals past the draft, filterable by country, strategy and state."""
    call = queries.screening_call(call_id)
    if call is None:
        abort(404)
    form, filters = _filters()
    pagination = queries.screening_page(call, page=form.page.data or 1, **filters)
    counts = queries.reviewer_counts([p.id for p in pagination.items])
    return render_template(
        "screening/proposals.html",
        call=call,
        form=form,
        pagination=pagination,
        rows=screening_rows(
            pagination.items, call, current_user, counts, clock.now(), ScreenInForm().hidden_tag()
        ),
        due_form=DueDateForm(formdata=None),
        filters=filters,
    )


@bp.get("/calls/<int:call_id>/proposals.<any(csv, xlsx):fmt>")
@admin_only
def export(call_id: int, fmt: str):
    """The filtered list as CSV or XLSX."""
    call = db.get_or_404(Call, call_id)
    _form, filters = _filters()
    rows = list(exports.screening_rows(call, queries.screening_rows(call, **filters)))
    audit.record_export(current_user, f"proposals of call {call.id}", fmt, len(rows), filters)
    commit()
    return spreadsheets.download(
        exports.screening_header(call),
        rows,
        fmt=fmt,
        filename=f"call-{call.id}-proposals",
    )


def _back(proposal: Proposal):
    target = request.form.get("back")
    if target == "assignments":
        return redirect(url_for("screening.assignments", proposal_id=proposal.id))
    return redirect(url_for("screening.proposals", call_id=proposal.call_id))


@bp.post("/proposals/<int:proposal_id>/screen-in")
@admin_only
def screen_in(proposal_id: int):
    """Screen in, once confirmed: the proposal goes to review."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not ScreenInForm().validate_on_submit():
        abort(400)
    if not confirmation.confirmed():
        return confirmation.ask(confirmations.screen_in(proposal, current_user))
    workflow.transition(proposal, "screen_in", current_user)
    commit()
    flash(_("%(title)s is screened in and ready for reviewers.", title=proposal.title), "success")
    return redirect(url_for("screening.assignments", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/screen-out", methods=["GET", "POST"])
@admin_only
def screen_out(proposal_id: int):
    """Screen out with a reason, once confirmed; the applicant receives it by e-mail."""
    proposal = db.get_or_404(Proposal, proposal_id)
    form = ScreenOutForm()
    if form.validate_on_submit():
        if not confirmation.confirmed():
            return confirmation.ask(
                confirmations.screen_out(proposal, current_user, form.reason.data)
            )
        workflow.transition(proposal, "screen_out", current_user, comment=form.reason.data)
        commit()
        flash(
            _("%(title)s is screened out; the applicant is told why.", title=proposal.title),
            "success",
        )
        return redirect(url_for("screening.proposals", call_id=proposal.call_id))
    return render_template("screening/screen_out.html", proposal=proposal, form=form), (
        400 if form.errors else 200
    )


@bp.get("/proposals/<int:proposal_id>/assignments")
@admin_only
def assignments(proposal_id: int):
    """The proposal's reviewers: add, reassign, remove, assign automatically, record conflicts."""
    proposal = db.get_or_404(Proposal, proposal_id)
    return _render_assignments(proposal)


def _render_assignments(proposal: Proposal, status: int = 200, **forms):
    reviews = queries.assignments(proposal)
    round_ = max((r.round for r in reviews), default=1)
    excluded = services.ineligible_reviewer_ids(proposal) | {
        r.reviewer_id for r in reviews if r.round == round_ and r.removed_at is None
    }
    choices = [(u.id, u.name) for u in queries.reviewer_choices(excluded)]
    add_form = forms.get("add_form") or AddReviewerForm(formdata=None)
    add_form.reviewer_id.choices = choices
    conflict_form = forms.get("conflict_form") or RecordConflictForm(formdata=None)
    conflict_form.user_id.choices = [(u.id, u.name) for u in queries.people_for_conflicts()]
    reassign_form = ReassignForm(formdata=None)
    reassign_form.reviewer_id.choices = choices
    return render_template(
        "screening/assignments.html",
        proposal=proposal,
        reviews=reviews,
        round=round_,
        add_form=add_form,
        auto_form=forms.get("auto_form") or DueDateForm(formdata=None),
        reassign_form=reassign_form,
        conflict_form=conflict_form,
        empty_form=EmptyForm(),
        open_for_changes=proposal.state == ProposalState.IN_REVIEW,
        needed=proposal.call.reviewers_per_proposal,
    ), status


def _apply(proposal: Proposal, action, success: str, nothing_done: str | None = None):
    """Run one assignment service, commit and go back; a refusal is flashed with its status.
    An action that answers False found it already done (`nothing_done` says so)."""
    try:
        done = action()
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_assignments(db.session.get(Proposal, proposal.id), error.status)
    commit()
    if done is False and nothing_done:
        flash(nothing_done, "warning")
    else:
        flash(success, "success")
    return _back(proposal)


@bp.post("/proposals/<int:proposal_id>/assignments")
@admin_only
def add_reviewer(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    form = AddReviewerForm()
    form.reviewer_id.validate_choice = False  # any id; the service checks who may review
    if not form.validate_on_submit():
        return _render_assignments(proposal, 400, add_form=form)
    reviewer = db.session.get(User, form.reviewer_id.data)
    if reviewer is None:
        abort(400, description=_("Choose a reviewer from the list."))
    return _apply(
        proposal,
        lambda: assignment.add_reviewer(proposal, reviewer, form.due_on.data, current_user),
        _("%(name)s is asked to review this proposal.", name=reviewer.name),
        _("%(name)s is already assigned to this proposal.", name=reviewer.name),
    )


@bp.post("/proposals/<int:proposal_id>/auto-assign")
@admin_only
def auto_assign(proposal_id: int):
    """Fill this proposal up to the call's number of reviewers."""
    proposal = db.get_or_404(Proposal, proposal_id)
    form = DueDateForm()
    if not form.validate_on_submit():
        return _render_assignments(proposal, 400, auto_form=form)
    return _apply(
        proposal,
        lambda: assignment.auto_assign([proposal], form.due_on.data, current_user) > 0,
        _("Reviewers assigned automatically."),
        _("The proposal already has every reviewer it needs: nobody was added."),
    )


@bp.post("/calls/<int:call_id>/auto-assign")
@admin_only
def auto_assign_call(call_id: int):
    """Fill every proposal in review of the call up to its number of reviewers."""
    call = db.get_or_404(Call, call_id)
    form = DueDateForm()
    if not form.validate_on_submit():
        abort(400, description=_errors(form))
    try:
        added = assignment.auto_assign(
            assignment.proposals_in_review(call.id), form.due_on.data, current_user
        )
    except services.ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("screening.proposals", call_id=call.id))
    commit()
    flash(_("%(num)d assignment(s) made.", num=added), "success")
    return redirect(url_for("screening.proposals", call_id=call.id))


def _review_or_404(review_id: int) -> Review:
    return db.get_or_404(Review, review_id)


@bp.post("/assignments/<int:review_id>/remove")
@admin_only
def remove(review_id: int):
    """End a reviewer's assignment, once confirmed."""
    review = _review_or_404(review_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not confirmation.confirmed():
        return confirmation.ask(confirmations.remove_reviewer(review))
    name = review.reviewer.name
    return _apply(
        review.proposal,
        lambda: assignment.remove_reviewer(review, current_user),
        _("%(name)s no longer reviews this proposal.", name=name),
    )


@bp.post("/assignments/<int:review_id>/reassign")
@admin_only
def reassign(review_id: int):
    review = _review_or_404(review_id)
    form = ReassignForm()
    form.reviewer_id.validate_choice = False
    if not form.validate_on_submit():
        abort(400, description=_errors(form))
    new = db.session.get(User, form.reviewer_id.data)
    if new is None:
        abort(400, description=_("Choose a reviewer from the list."))
    return _apply(
        review.proposal,
        lambda: assignment.reassign_reviewer(review, new, form.due_on.data, current_user),
        _("The review is reassigned to %(name)s.", name=new.name),
    )


@bp.post("/proposals/<int:proposal_id>/conflicts")
@admin_only
def record_conflict(proposal_id: int):
    """The secretariat records a conflict for a reviewer or chair."""
    proposal = db.get_or_404(Proposal, proposal_id)
    form = RecordConflictForm()
    form.user_id.validate_choice = False
    if not form.validate_on_submit():
        return _render_assignments(proposal, 400, conflict_form=form)
    person = db.session.get(User, form.user_id.data)
    if person is None:
        abort(400, description=_("Choose a person from the list."))
    return _apply(
        proposal,
        lambda: conflicts.record_conflict(person, proposal, form.reason.data, current_user),
        _("The conflict of interest of %(name)s is recorded.", name=person.name),
    )
