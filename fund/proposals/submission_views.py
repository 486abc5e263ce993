"""The proposal page, its printable versions and withdrawing (submitting is on the
check-your-answers page: review_views.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, notifications, permissions, storage, workflow
from fund.forms_def import display
from fund.forms_def.localise import LocalCall, localise, reader_language, reading_language
from fund.messages import services as message_services
from fund.models import Proposal, ProposalState
from fund.outbox import commit
from fund.proposals import queries, submission
from fund.proposals.access import get_proposal_or_404
from fund.proposals.blueprint import bp
from fund.rules import concept_content
from fund.rules import proposal_content as content
from fund.strategies import strategy_label

REASON_MAX = 2000


# Absolute links in e-mail (the receipt links to the proposal page).
bp.add_app_template_global(notifications.public_url, "public_url")


def display_helpers(proposal: Proposal) -> dict[str, Any]:
    """What the content templates need to show a snapshot in the reader's language."""
    return {
        "file_url": lambda file_id: (
            queries.optional_url("proposals.file", proposal_id=proposal.id, file_id=file_id)
            if file_id
            else None
        ),
        "field_labels": content.FIELD_LABELS,
        "strategy_label": strategy_label,
        "category_label": lambda value: str(content.BUDGET_CATEGORY_LABELS.get(value, value)),
        "answer_text": display.answer_text,
        "table_view": display.table_view,
        "size_text": storage.size_text,
        # A frozen form read in the reader's language: the call's translations as they stand
        # (the ids they are keyed by never change), else the template's texts in the reader's
        # language, else the main language's.
        "localized_form": lambda form: localise(
            form, proposal.call.translations, reading_language(proposal.call, reader_language())
        ),
        "core_values": content.CORE_VALUES,
    }


def render_detail(proposal: Proposal, problems: list | None = None, status: int = 200):
    """The proposal page, with the problems that stopped a step (a concept note's submission)
    if there are any."""
    is_member = permissions.is_member(current_user, proposal.organisation_id)
    call, now = proposal.call, clock.now()
    concept_draft = proposal.state == ProposalState.CONCEPT_DRAFT
    page = render_template(
        "proposals/detail.html",
        proposal=proposal,
        snapshot=content.snapshot(proposal, form=queries.frozen_form(proposal)),
        # an invited organisation's full draft is its own; others read the concept note only
        full_content=permissions.shows_full_proposal(current_user, proposal) and not concept_draft,
        concept_note=(
            proposal.concept_note if permissions.can_view_concept(current_user, proposal) else None
        ),
        concept_draft=concept_content.snapshot(proposal, now) if concept_draft else None,
        status=queries.status_label(proposal.state),
        internal_state=None if is_member else workflow.state_label(proposal.state),
        next_step=queries.next_step(proposal.state, call.closes_at, now, call.concept_closes_at),
        deadline=queries.when(call.concept_closes_at if concept_draft else call.closes_at),
        buttons=queries.buttons(proposal, current_user),
        edit_url=queries.edit_url(proposal, current_user),
        versions=queries.versions(proposal),
        problems=problems or [],
        when=queries.when,
        timedelta=timedelta,
        **display_helpers(proposal),
    )
    return page, status


@bp.get("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    """Where the proposal stands, what it needs next, its content, its versions and its
    messages (opening the page marks the other side's messages read)."""
    proposal = get_proposal_or_404(proposal_id)
    if message_services.mark_read(proposal, current_user, clock.now()):
        commit()
    return render_detail(proposal)


@bp.route("/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(proposal_id: int):
    """Ask for confirmation, then withdraw the proposal (until a decision is made)."""
    proposal = get_proposal_or_404(proposal_id)
    refused = workflow.refusal(proposal, "withdraw", current_user)
    if refused is not None:
        abort(refused.status, refused.reason)
    if request.method == "GET":
        return _withdraw_page(proposal)
    reason = request.form.get("reason", "").strip()
    if len(reason) > REASON_MAX:
        return _withdraw_page(
            proposal, reason, _("Keep the reason to %(n)d characters.", n=REASON_MAX)
        ), 400
    submission.withdraw_proposal(proposal, current_user, reason, clock.now())
    commit()
    flash(
        _("The proposal has been withdrawn. Every member of your organisation has been told."),
        "success",
    )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


def _withdraw_page(proposal: Proposal, reason: str = "", error: str | None = None) -> str:
    return render_template(
        "proposals/withdraw.html",
        proposal=proposal,
        reason=reason,
        error=error,
        reason_max=REASON_MAX,
    )


@bp.get("/<int:proposal_id>/versions/<int:number>")
@login_required
def version(proposal_id: int, number: int):
    """A frozen version as submitted, laid out for printing, with what changed since the last."""
    proposal = get_proposal_or_404(proposal_id)
    frozen = queries.get_version_or_404(proposal, number)
    previous = queries.previous_version(frozen)
    # the changed answers' questions named in the reader's language, as the version itself is
    read = LocalCall(proposal.call, reader_language()).read
    changes = content.diff(previous.content, frozen.content, read) if previous else []
    return render_template(
        "proposals/version.html",
        proposal=proposal,
        version=frozen,
        snapshot=frozen.content,
        previous=previous,
        changes=changes,
        when=queries.when,
        **display_helpers(proposal),
    )
