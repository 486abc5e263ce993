"""The reviewer's pages: the queue, the conflict question, the review form; chairs' conflicts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from fund import clock, permissions, policies
from fund.access import require
from fund.extensions import db
from fund.forms_def.localise import LocalCall, reader_language
from fund.models import PolicyKind, Review, ReviewStatus, Role
from fund.outbox import commit
from fund.proposals.access import get_proposal_or_404
from fund.proposals.submission_views import display_helpers
from fund.reviews import conflicts, page, queries, services
from fund.reviews.forms import RECOMMENDATION_LABELS, ConflictForm, EmptyForm, ReviewForm
from fund.reviews.queue_rows import for_display

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

# The pages of one assignment: the undertaking is accepted before the first of them opens.
UNDERTAKING_FIRST = frozenset(
    {"reviews.detail", "reviews.no_conflict", "reviews.declare_conflict", "reviews.save"}
)


@bp.before_request
def undertaking_first():
    """A reviewer reads and accepts the confidentiality undertaking before their first review
    (and again after the secretariat publishes a new version)."""
    if request.endpoint not in UNDERTAKING_FIRST or not current_user.is_authenticated:
        return None
    if not permissions.has_role(current_user, Role.REVIEWER):
        return None  # not a reviewer: the page itself answers 404
    if policies.has_accepted(current_user, PolicyKind.REVIEWER_UNDERTAKING):
        return None
    target = url_for("policies.accept", slug="reviewer-undertaking", next=request.full_path)
    return redirect(target, 303)


def _own_review_or_404(review_id: int) -> Review:
    """The current user's own open assignment; 404 for anyone else's, removed or conflicted."""
    review = db.session.get(Review, review_id)
    if review is None or not permissions.can_open_review(current_user, review):
        abort(404, description=_("There is no review of yours at this address."))
    return review


def _proposal_url(proposal) -> str | None:
    try:
        return url_for("proposals.detail", proposal_id=proposal.id)
    except BuildError:  # the full proposal page comes with the proposals area
        return None


def _rubric(review: Review) -> list:
    """The call's criteria with their names, descriptions and score meanings in the reviewer's
    language where the call is given in it."""
    return LocalCall(review.proposal.call, reader_language()).criteria


def _render(review: Review, form=None, conflict_form=None, status: int = 200):
    if form is None and review.status is ReviewStatus.IN_PROGRESS:
        form = ReviewForm.for_criteria(_rubric(review), formdata=None)
        form.recommendation.data = review.recommendation
        form.comments_for_applicant.data = review.comments_for_applicant
        form.confidential_comments.data = review.confidential_comments
        for score in review.scores:
            form[f"score_{score.criterion_id}"].data = score.score
    saved = {s.criterion_id: s.score for s in review.scores}
    # What the reviewer sees chosen: saved, or just sent back with an error.
    chosen = saved if form is None else {c.id: f.data for c, f in form.score_fields()}
    # The proposal only after "No conflict", and only while the conflict rules allow it.
    show_proposal = review.no_conflict_at is not None and permissions.can_view_proposal(
        current_user, review.proposal
    )
    history = queries.history(review)
    snapshot = page.submitted_content(review.proposal) if show_proposal else None
    return render_template(
        "reviews/detail.html",
        review=review,
        proposal=review.proposal,
        form=form,
        conflict_form=conflict_form or ConflictForm(formdata=None),
        empty_form=EmptyForm(),
        history=history,
        today=clock.now().date(),
        recommendation_labels=RECOMMENDATION_LABELS,
        proposal_url=_proposal_url(review.proposal),
        scores=saved,
        scoring=page.scoring(review.proposal.call.criteria, chosen),
        can_edit=permissions.can_edit_review(current_user, review),
        show_proposal=show_proposal,
        snapshot=snapshot,
        since_reviewed=page.changes_since_reviewed(history, review.proposal, snapshot)
        if show_proposal
        else None,
        **display_helpers(review.proposal),
    ), status


@bp.get("/")
@require(lambda user: permissions.has_role(user, Role.REVIEWER))
def queue():
    """The reviewer's home: assignments to start, in progress and submitted."""
    reviews = queries.queue(
        current_user,
        request.args.get("start_page", 1),
        request.args.get("progress_page", 1),
        request.args.get("submitted_page", 1),
    )
    return render_template("reviews/queue.html", queue=for_display(reviews, clock.now().date()))


@bp.get("/<int:review_id>")
@login_required
def detail(review_id: int):
    """One assignment: the conflict question, then the review form, then the submitted review."""
    return _render(_own_review_or_404(review_id))


@bp.post("/<int:review_id>/no-conflict")
@login_required
def no_conflict(review_id: int):
    review = _own_review_or_404(review_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    conflicts.answer_no_conflict(review, current_user)
    commit()
    flash(_("Thank you. The proposal is now shown below."), "success")
    return redirect(url_for("reviews.detail", review_id=review.id))


@bp.post("/<int:review_id>/conflict")
@login_required
def declare_conflict(review_id: int):
    """Declaring a conflict ends the assignment; the proposal is hidden from then on."""
    review = _own_review_or_404(review_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        return _render(review, conflict_form=form, status=400)
    try:
        conflicts.declare_conflict(review, form.reason.data, current_user)
    except services.ReviewError as error:
        abort(error.status, description=error.message)
    commit()
    flash(
        _(
            "Your conflict of interest is recorded and the secretariat is told. The proposal "
            "is no longer on your list."
        ),
        "success",
    )
    return redirect(url_for("reviews.queue"))


@bp.post("/<int:review_id>")
@login_required
def save(review_id: int):
    """ "Save review" keeps a draft; "Submit review" checks it is complete and locks it."""
    review = _own_review_or_404(review_id)
    if review.submitted_at is not None:
        abort(409, description=_("This review was submitted and can no longer be changed."))
    if not permissions.can_edit_review(current_user, review):
        abort(
            409,
            description=_(
                "Answer the conflict-of-interest question first, while the proposal is in review."
            ),
        )
    form = ReviewForm.for_criteria(_rubric(review))
    submit = request.form.get("action") == "submit"
    if not form.validate_on_submit():
        return _render(review, form=form, status=400)
    try:
        services.save_review(review, form.review_data(), current_user, submit=submit)
    except services.ReviewError as error:
        db.session.rollback()
        for name, message in error.fields.items():
            if name in form and isinstance(message, str):
                form[name].errors = [*form[name].errors, message]
        flash(error.message, "error")
        return _render(db.session.get(Review, review_id), form=form, status=error.status)
    commit()
    flash(
        _("Your review is submitted. Thank you.")
        if submit
        else _("Your review is saved as a draft."),
        "success",
    )
    return redirect(url_for("reviews.detail", review_id=review.id))


@bp.get("/proposals/<int:proposal_id>")
@login_required
def summary(proposal_id: int):
    """The assignments and scores of one proposal (an aggregate): secretariat and chairs."""
    proposal = get_proposal_or_404(proposal_id, permissions.can_view_review_summary)
    reviews = queries.assignments(proposal)
    return render_template(
        "reviews/summary.html",
        proposal=proposal,
        reviews=reviews,
        averages={r.id: queries.weighted_average(r) for r in reviews},
        recommendation_labels=RECOMMENDATION_LABELS,
        conflict_form=ConflictForm(formdata=None),
        show_names=permissions.can_see_reviewer_names(current_user, proposal.call),
        numbers=queries.reviewer_numbers(proposal),
    )


@bp.post("/proposals/<int:proposal_id>/conflict")
@login_required
def chair_conflict(proposal_id: int):
    """A chair declares a conflict before deciding; the proposal is hidden from it afterwards."""
    proposal = get_proposal_or_404(proposal_id)
    if not permissions.can_declare_chair_conflict(current_user, proposal):
        abort(403)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400, description=_("Give the reason for the conflict of interest."))
    conflicts.record_conflict(current_user, proposal, form.reason.data, current_user)
    commit()
    flash(
        _(
            "Your conflict of interest is recorded; you will not see this proposal or take "
            "part in its decision."
        ),
        "success",
    )
    return redirect(url_for("main.dashboard"))
