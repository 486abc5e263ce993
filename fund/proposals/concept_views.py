"""A two-stage call's concept note: the applicant's form and its submission."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions
from fund.extensions import csrf, db
from fund.forms_def.definition import questions
from fund.outbox import commit
from fund.proposals import concept, drafts, stash
from fund.proposals.access import get_proposal_or_404
from fund.proposals.blueprint import bp
from fund.proposals.concept_forms import ConceptForm
from fund.proposals.editing import custom_fields
from fund.proposals.submission import SubmissionRefused
from fund.proposals.submission_views import render_detail


def _render(proposal, form: ConceptForm, status: int = 200, conflict: bool = False):
    errors = [(f.id, str(f.label.text), str(m)) for f in form for m in f.errors]
    labels = {q["id"]: q["label"] for q in questions(form.custom.definition)}
    errors += [(qid, labels[qid], message) for qid, message in form.custom.errors.items()]
    page = render_template(
        "proposals/concept_edit.html",
        proposal=proposal,
        call=proposal.call,
        form=form,
        errors=errors,
        custom=custom_fields(form),
        conflict=conflict,
    )
    return page, status


@bp.route("/<int:proposal_id>/concept/edit", methods=["GET", "POST"])
@csrf.exempt
@stash.guard_post("proposals.edit_concept")
def edit_concept(proposal_id: int):
    """The concept-note form; Save draft stores it, nothing is sent until it is submitted."""
    proposal = get_proposal_or_404(proposal_id, permissions.can_edit_concept)
    if request.method == "GET":
        restored = stash.restore(request.path)
        if restored is not None:
            form = ConceptForm(formdata=restored, call=proposal.call)
        else:
            form = ConceptForm(obj=proposal, formdata=None, call=proposal.call)
            form.lock_version.data = str(proposal.lock_version)
        return _render(proposal, form)
    form = ConceptForm(call=proposal.call)
    if not form.validate():
        return _render(proposal, form, 400)
    now = clock.now()
    try:
        concept.save_concept(
            proposal,
            form.concept_data(),
            current_user,
            expected_version=form.expected_version(),
            now=now,
        )
    except drafts.DraftConflict:
        db.session.rollback()
        form.lock_version.data = str(proposal.lock_version)
        return _render(proposal, form, 409, conflict=True)
    commit()
    flash(_("Draft saved at %(time)s.", time=format_time(now, "short")), "success")
    return redirect(url_for("proposals.edit_concept", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/concept/submit")
@login_required
def submit_concept(proposal_id: int):
    """Submit the concept note; every problem is listed at once when it cannot be yet."""
    proposal = get_proposal_or_404(proposal_id)
    try:
        concept.submit_concept_note(proposal, current_user, clock.now())
    except SubmissionRefused as refused:
        db.session.rollback()
        return render_detail(proposal, refused.problems, 400)
    commit()
    flash(
        _(
            "Your concept note has been submitted. Its reference is %(reference)s; we will "
            "write to every member of your organisation when it has been read.",
            reference=proposal.reference,
        ),
        "success",
    )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
