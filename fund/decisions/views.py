"""The chairs' pages: calls to decide on, the ranking (and its CSV), the decision page with
Award, Decline and Request revision, and the decision letter."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import audit, clock, confirmation, permissions, spreadsheets, workflow
from fund.decisions import (
    columns,
    comparison,
    confirmations,
    exports,
    queries,
    ranking_cells,
    ranking_forms,
    services,
)
from fund.decisions import ranking as ranking_queries
from fund.decisions.forms import AwardForm, DeclineForm, RevisionForm
from fund.extensions import db
from fund.models import CONCEPT_STAGE_STATES, Call, Decision, Proposal, ProposalVersion
from fund.outbox import commit
from fund.reviews import queries as review_queries
from fund.rules.envelope import envelope_left
from fund.rules.proposal_content import BUDGET_CATEGORY_LABELS
from fund.strategies import strategy_label

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


def _require_ranking_access() -> None:
    if not permissions.can_view_ranking(current_user):
        abort(403)


def _get_call_or_404(call_id: int) -> Call:
    _require_ranking_access()
    call = db.session.get(Call, call_id)
    if call is None or call.published_at is None:
        abort(404)
    return call


def _get_ranking_call_or_404(call_id: int) -> queries.RankingCall:
    """`_get_call_or_404` for the ranking, the call read as a plain row."""
    _require_ranking_access()
    call = queries.ranking_call(call_id)
    if call is None:
        abort(404)
    return call


def _get_proposal_for_chairs(proposal_id: int) -> Proposal:
    """The proposal for its decision page: 403 for anyone but the secretariat and chairs, and
    for a chair conflicted with its organisation."""
    _require_ranking_access()
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.state == "draft" or proposal.state in CONCEPT_STAGE_STATES:
        abort(404)
    if not permissions.can_view_review_summary(current_user, proposal):
        abort(403, _("You have declared a conflict of interest with this organisation."))
    return proposal


@bp.get("/")
@login_required
def index():
    """The calls, each with the number of proposals waiting for a decision."""
    _require_ranking_access()
    return render_template("decisions/index.html", calls=queries.calls_with_counts())


@bp.get("/calls/<int:call_id>")
@login_required
def ranking(call_id: int):
    """The call's proposals side by side: scores, spread, normalised score, tally, money."""
    call = _get_ranking_call_or_404(call_id)
    try:
        columns_shown = columns.choice_from_args(request.args)
    except columns.UnknownColumn as error:
        abort(400, str(error))
    if len(request.args.getlist("cols")) > 1:  # the Columns form's ticks: one `cols` for links
        args = dict(request.args.to_dict(), cols=columns_shown.as_arg(), call_id=call.id)
        return redirect(url_for(".ranking", **args))
    filters = ranking_queries.Filters.from_args(request.args)
    pagination, left = ranking_queries.ranking_page(
        call, current_user, filters, request.args.get("page", 1)
    )
    # the filters, sort and columns chosen: every link and form of the page keeps them
    kept = columns_shown.with_args(filters.as_args())
    return render_template(
        "decisions/ranking.html",
        call=call,
        pagination=pagination,
        left=left,
        filters=filters,
        columns=columns_shown,
        kept=kept,
        head_html=ranking_cells.head_html(columns_shown, filters, kept, call.id),
        state_options=ranking_forms.state_options(filters.state),
        strategy_options=ranking_forms.strategy_options(call.strategies, filters.strategy),
        column_checkboxes=ranking_forms.column_checkboxes(columns_shown),
        here=url_for(".ranking", call_id=call.id),
        download_urls=ranking_forms.download_urls(call.id, request.args.to_dict()),
        rows_html=ranking_cells.rows_writer(columns_shown, call),
    )


@bp.get("/calls/<int:call_id>/compare")
@login_required
def compare(call_id: int):
    """Two to four ticked proposals of the ranking side by side."""
    call = _get_call_or_404(call_id)
    try:
        ids = comparison.chosen_ids(request.args.getlist("proposal"))
        criteria, compared = comparison.compare(call, current_user, ids)
    except comparison.BadChoice as error:
        abort(400, str(error))
    except comparison.NotComparable as error:
        abort(404, str(error))
    return render_template(
        "decisions/compare.html",
        call=call,
        criteria=criteria,
        compared=compared,
        category_label=lambda code: str(BUDGET_CATEGORY_LABELS.get(code, code)),
    )


@bp.get("/calls/<int:call_id>/ranking.<any(csv, xlsx):fmt>")
@login_required
def ranking_export(call_id: int, fmt: str):
    """The ranking as shown (every page), as CSV or XLSX."""
    call = _get_call_or_404(call_id)
    rows, _left = ranking_queries.ranking(
        call, current_user, ranking_queries.Filters.from_args(request.args)
    )
    table = list(exports.ranking_rows(rows))
    filters = request.args.to_dict()
    audit.record_export(current_user, f"ranking of call {call.id}", fmt, len(table), filters)
    commit()
    return spreadsheets.download(
        exports.ranking_header(),
        table,
        fmt=fmt,
        filename=f"ranking-call-{call.id}",
    )


def render_decision_page(proposal: Proposal, forms: dict | None = None, status: int = 200):
    """Everything the chairs need on one page, with the decision forms."""
    forms = forms or {}
    amount = proposal.amount_requested
    pending = queries.pending_approvals(proposal.id)
    if pending:
        amount = pending[-1].amount
    page = render_template(
        "decisions/decide.html",
        proposal=proposal,
        call=proposal.call,
        version=db.session.scalars(
            db.select(ProposalVersion)
            .where(ProposalVersion.proposal_id == proposal.id)
            .order_by(ProposalVersion.number.desc())
            .limit(1)
        ).first(),
        row=ranking_queries.ranking_row(proposal, current_user),
        reviews=queries.reviews_for_chairs(proposal),
        show_names=permissions.can_see_reviewer_names(current_user, proposal.call),
        reviewer_numbers=review_queries.reviewer_numbers(proposal),
        history=queries.history(proposal),
        decisions=queries.decisions_of(proposal),
        pending=pending,
        left=envelope_left(proposal.call),
        actions={t.action for t in workflow.allowed_actions(proposal, current_user)},
        award_form=forms.get("award") or AwardForm(formdata=None, amount=amount, prefix="award"),
        decline_form=forms.get("decline") or DeclineForm(formdata=None, prefix="decline"),
        revision_form=forms.get("revision") or RevisionForm(formdata=None, prefix="revision"),
        strategy_label=strategy_label,
    )
    return page, status


@bp.get("/proposals/<int:proposal_id>")
@login_required
def decide(proposal_id: int):
    """The decision page."""
    return render_decision_page(_get_proposal_for_chairs(proposal_id))


@bp.post("/proposals/<int:proposal_id>/award")
@login_required
def award(proposal_id: int):
    """Approve an award; with the call's quorum of chairs it is made and the grant created."""
    proposal = _get_proposal_for_chairs(proposal_id)
    form = AwardForm(prefix="award")
    if not form.validate():
        return render_decision_page(proposal, {"award": form}, 400)
    if not confirmation.confirmed():
        return confirmation.ask(
            confirmations.award(proposal, current_user, form.amount.data, form.unnamed.data)
        )
    result = services.award(
        proposal,
        current_user,
        form.amount.data,
        form.reasons.data or "",
        clock.now(),
        unpublished_reason=(form.unpublished_reason.data or "") if form.unnamed.data else "",
    )
    commit()
    if result.decision is None:
        flash(
            _(
                "Your approval is recorded (%(n)d of %(needed)d). Another chair must approve "
                "the award too.",
                n=result.approvals,
                needed=result.needed,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Awarded. The grant %(reference)s is created and the letter sent.",
                reference=result.grant.reference,
            ),
            "success",
        )
    return redirect(url_for("decisions.decide", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int):
    """Decline the proposal with reasons; the letter goes to the organisation."""
    proposal = _get_proposal_for_chairs(proposal_id)
    form = DeclineForm(prefix="decline")
    if not form.validate():
        return render_decision_page(proposal, {"decline": form}, 400)
    if not confirmation.confirmed():
        return confirmation.ask(confirmations.decline(proposal, current_user, form.reasons.data))
    services.decline(proposal, current_user, form.reasons.data, clock.now())
    commit()
    flash(_("Declined. The letter has been sent to the organisation."), "success")
    return redirect(url_for("decisions.decide", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/request-revision")
@login_required
def request_revision(proposal_id: int):
    """Ask the organisation to revise the proposal, saying what must change."""
    proposal = _get_proposal_for_chairs(proposal_id)
    form = RevisionForm(prefix="revision")
    if not form.validate():
        return render_decision_page(proposal, {"revision": form}, 400)
    if not confirmation.confirmed():
        return confirmation.ask(
            confirmations.request_revision(proposal, current_user, form.reasons.data)
        )
    services.request_revision(proposal, current_user, form.reasons.data, clock.now())
    commit()
    flash(_("Revision requested. The letter has been sent to the organisation."), "success")
    return redirect(url_for("decisions.decide", proposal_id=proposal.id))


@bp.get("/<int:decision_id>/letter")
@login_required
def letter(decision_id: int):
    """A decision letter as sent: for the organisation, the secretariat and the chairs."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or not permissions.can_read_decision_letter(
        current_user, decision.proposal
    ):
        abort(404)
    return render_template("decisions/letter.html", decision=decision, proposal=decision.proposal)
