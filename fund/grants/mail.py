"""Who hears about a grant or a report, and the links their e-mail carries."""

from __future__ import annotations

from typing import Any

from fund.i18n import lazy_gettext as _l
from fund.models import Grant, ProgressReport, ReportKind, Role
from fund.notifications import organisation_members, public_url, queue_email, users_with_role

KIND_NAMES = {ReportKind.INTERIM: _l("interim report"), ReportKind.FINAL: _l("final report")}


def reference(grant: Grant) -> str:
    return grant.reference or f"#{grant.id}"


def grant_url(grant: Grant) -> str:
    return public_url("grants.detail", grant_id=grant.id)


def amendment_url(amendment: Any) -> str:
    return public_url("amendments.detail", amendment_id=amendment.id)


def report_url(report: ProgressReport) -> str:
    return public_url("reports.detail", report_id=report.id)


def tell_grantee(grant: Grant, event: str, *, dedupe_key: str | None = None, **context: Any):
    """Queue `event` for every active member of the grantee organisation."""
    for member in organisation_members(grant.organisation_id):
        queue_email(
            member,
            event,
            grant=grant,
            reference=reference(grant),
            url=grant_url(grant),
            dedupe_key=f"{dedupe_key}:{member.id}" if dedupe_key else None,
            **context,
        )


def tell_secretariat(event: str, **context: Any) -> None:
    for admin in users_with_role(Role.ADMIN):
        queue_email(admin, event, **context)


def report_context(report: ProgressReport) -> dict[str, Any]:
    return {
        "report": report,
        "kind": KIND_NAMES.get(report.kind, report.kind),
        "due": report.due_on.isoformat(),
        "report_url": report_url(report),
    }
