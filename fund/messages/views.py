"""The message threads' pages: writing in a thread (from the proposal or grant page, or the
thread's own page), attachments, sharing with reviewers, and the secretariat's list of threads
waiting for an answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fund import clock, permissions, storage
from fund.access import require
from fund.extensions import db
from fund.messages import queries, services
from fund.messages.forms import MessageForm, ShareForm
from fund.models import Grant, Message, MessageAttachment, Proposal
from fund.outbox import commit

bp = Blueprint("messages", __name__, url_prefix="/messages")

SUBJECTS = {"proposals": Proposal, "grants": Grant}


@bp.app_context_processor
def thread_helpers() -> dict:
    """`message_thread(subject)` for the thread include on the proposal and grant pages, and
    `information_overdue(proposal)` for the screening list's overdue marker."""
    return {
        "message_thread": thread_context,
        "information_overdue": lambda proposal: queries.is_overdue(proposal, clock.now()),
    }


def thread_context(subject: Proposal | Grant, form: MessageForm | None = None) -> dict:
    """What the thread include shows `current_user` about `subject`'s thread."""
    kind = "proposals" if isinstance(subject, Proposal) else "grants"
    return {
        "subject": subject,
        "messages": queries.thread(subject, current_user),
        "reads_all": permissions.can_read_thread(current_user, subject),
        "form": form
        if form is not None
        else (
            MessageForm(formdata=None)
            if permissions.can_write_message(current_user, subject)
            else None
        ),
        "post_url": url_for("messages.post", kind=kind, subject_id=subject.id),
        "can_share": lambda message: permissions.can_share_message(current_user, message),
        "share_form": ShareForm(formdata=None),
        "size_text": storage.size_text,
    }


def _subject_or_404(kind: str, subject_id: int) -> Proposal | Grant:
    """The proposal or grant whose thread `current_user` may read; 404 for anyone else."""
    subject = db.session.get(SUBJECTS[kind], subject_id)
    if subject is None or not permissions.can_read_thread(current_user, subject):
        abort(404, description=_("There is no message thread of yours at this address."))
    return subject


def subject_url(subject: Proposal | Grant) -> str:
    if isinstance(subject, Proposal):
        return url_for("proposals.detail", proposal_id=subject.id, _anchor="messages")
    return url_for("grants.detail", grant_id=subject.id, _anchor="messages")


def _render_thread(subject, form=None, status: int = 200):
    return render_template(
        "messages/thread.html",
        subject=subject,
        back_url=subject_url(subject),
        thread=thread_context(subject, form),
    ), status


@bp.get("/<any(proposals, grants):kind>/<int:subject_id>")
@login_required
def thread(kind: str, subject_id: int):
    """The thread on its own page (where a message that could not be sent is shown again)."""
    subject = _subject_or_404(kind, subject_id)
    if services.mark_read(subject, current_user, clock.now()):
        commit()
    return _render_thread(subject)


@bp.post("/<any(proposals, grants):kind>/<int:subject_id>")
@login_required
def post(kind: str, subject_id: int):
    """Write in the thread; the other side is told by e-mail."""
    subject = _subject_or_404(kind, subject_id)
    if not permissions.can_write_message(current_user, subject):
        abort(403, description=_("You can read this thread but not write in it."))
    form = MessageForm()
    if not form.validate():
        return _render_thread(subject, form, 400)
    try:
        services.post_message(
            subject,
            current_user,
            form.body.data,
            form.files(),
            clock.now(),
            from_secretariat=services.sender_is_secretariat(current_user),
        )
    except services.MessageError as error:
        db.session.rollback()
        form.attachments.errors = [error.message]
        return _render_thread(db.session.get(SUBJECTS[kind], subject_id), form, error.status)
    commit()
    flash(_("Your message is sent."), "success")
    return redirect(subject_url(subject))


def _message_or_404(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or not permissions.can_read_message(current_user, message):
        abort(404, description=_("There is no message of yours at this address."))
    return message


@bp.get("/<int:message_id>/files/<int:attachment_id>")
@login_required
def file(message_id: int, attachment_id: int):
    """A file sent with a message, to those who may read the message."""
    message = _message_or_404(message_id)
    attachment = db.session.get(MessageAttachment, attachment_id)
    if attachment is None or attachment.message_id != message.id:
        abort(404)
    return storage.send(attachment.file)


@bp.post("/<int:message_id>/share")
@login_required
def share(message_id: int):
    """Show a proposal's message to its reviewers, marked as shared."""
    message = _message_or_404(message_id)
    if not permissions.can_share_message(current_user, message):
        abort(403, description=_("Only the secretariat shares messages with reviewers."))
    if not ShareForm().validate():
        abort(400, description=_("The form had expired. Go back, reload the page and try again."))
    if services.share_with_reviewers(message, current_user, clock.now()):
        commit()
        flash(_("The message is shared with the proposal's reviewers."), "success")
    else:
        flash(_("The message was already shared with the reviewers."), "warning")
    return redirect(subject_url(message.subject))


@bp.get("/")
@require(permissions.can_read_message_inbox)
def index():
    """Threads waiting for the secretariat's answer, the longest waiting first."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(400, description=_("There is no such page."))
    rows, total = queries.waiting_threads(page)
    pages = max(1, -(-total // queries.PAGE_SIZE))
    return render_template(
        "messages/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        subject_url=subject_url,
    )
