"""Answers to a proposal form's file questions, settled when a draft is saved.

The form carries the id of the file already stored for each file question (autosave sends it
too, so a save without the file keeps it). That id is trusted only if it is the file the draft
already gives that question: any other id, another proposal's file say, is refused. A new
upload is checked by kind and size as the question says and stored like an attachment; the
answer keeps the file's id, name and size, so pages show it without a query. A replaced file
is never deleted: a submitted version may still give it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund import storage
from fund.forms_def.definition import condition_met, file_extensions, file_questions
from fund.models import Proposal, User
from fund.proposals.draft_errors import FileRefused

MB = 1024 * 1024


def settle_file_answers(
    proposal: Proposal,
    before: dict[str, Any],
    answers: dict[str, Any],
    actor: User,
    *,
    uploads: dict[str, FileStorage] | None = None,
    remove: str | None = None,
) -> list[str]:
    """Put each file question's answer in `answers` (changed in place): the file kept, the
    new upload, or none when removed. `before` are the draft's answers before this save.
    Raises FileRefused for a forged id or a refused upload; returns the questions whose
    upload the storage could not take (their earlier file is kept)."""
    not_stored = []
    for question in file_questions(proposal.call.proposal_form):
        qid = question["id"]
        posted, kept = answers.pop(qid, None), before.get(qid)
        if posted is not None:
            if not isinstance(kept, dict) or kept.get("file_id") != posted.get("file_id"):
                raise FileRefused(
                    qid, _("That file is not part of this proposal. Choose your file again.")
                )
            answers[qid] = kept
        if remove == qid:
            answers.pop(qid, None)
        upload = (uploads or {}).get(qid)
        if not upload or not condition_met(question, answers):
            continue  # a hidden question takes no file, as it takes no other answer
        stored = _store(upload, question, proposal, actor)
        if stored is None:
            not_stored.append(qid)
        else:
            answers[qid] = {"file_id": stored.id, "name": stored.original_name, "size": stored.size}
    return not_stored


def _store(upload: FileStorage, question: dict, proposal: Proposal, actor: User):
    try:
        return storage.store(
            upload,
            organisation_id=proposal.organisation_id,
            uploaded_by_id=actor.id,
            extensions=file_extensions(question),
            max_bytes=question["limits"]["max_mb"] * MB,
        )
    except storage.UploadError as error:
        raise FileRefused(question["id"], str(error)) from None
    except storage.StorageUnavailable:
        return None
