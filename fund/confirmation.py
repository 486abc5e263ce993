"""One confirmation step for the actions that cannot be undone (award, decline, screen out,
record a payment, close a grant, remove a reviewer ...).

The first POST of such a form changes nothing: the view answers with a page that says what will
happen, with the real figures, and a form carrying the same fields plus the `confirmed` marker.
Only that second POST acts. Without JavaScript the page is the step; with it,
fund/static/confirm.js fetches the same page and shows its text in a <dialog>.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template, request

from fund import workflow

MARKER = "confirmed"


@dataclass
class Confirmation:
    """What a confirmation step shows: a question, what will happen, warnings, and the button.

    `refusal` set means the action cannot be done as asked (over the envelope, say): the page
    says why, offers no button and answers with `status`.
    """

    title: str
    consequences: list[str]
    button: str
    cancel_url: str
    warnings: list[str] = field(default_factory=list)
    refusal: str | None = None
    status: int = 200

    def refuse(self, reason: str, status: int) -> Confirmation:
        """Nothing to confirm: the action cannot be done, for `reason` (answered with `status`)."""
        self.refusal, self.status = reason, status
        return self

    def ask_workflow(
        self, subject, action: str, actor, data: workflow.TransitionData | None = None
    ) -> bool:
        """Whether the workflow would apply `action` now; if not, this step says why."""
        refused = workflow.refusal(subject, action, actor, data)
        if refused is not None:
            self.refuse(refused.reason, refused.status)
        return refused is None


def confirmed() -> bool:
    """Whether this POST comes from the confirmation step (the only one that may act)."""
    return request.form.get(MARKER) == "1"


def ask(confirmation: Confirmation):
    """The confirmation page for this POST: the same URL, the same fields, plus the marker.

    The CSRF token travels among the fields: the first POST has just passed it, and it stays
    valid as long as the form it came from."""
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != MARKER]
    page = render_template(
        "confirm.html", confirmation=confirmation, action=request.path, fields=fields
    )
    return page, confirmation.status if confirmation.refusal else 200
