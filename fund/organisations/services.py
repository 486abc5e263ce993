"""Writes for organisations and their members. Services flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund import storage
from fund.auth.services import find_link, issue_link, normalise_email, use_link
from fund.extensions import db
from fund.models import AuditEvent, LinkPurpose, Membership, Organisation, User
from fund.notifications import public_url, queue_email
from fund.permissions import forget_memberships, is_member


class OrganisationError(Exception):
    """A request about an organisation that cannot be met; the message is for the user."""


class PolicyNotStored(Exception):
    """The organisation's details are saved (flushed) but the upload folder could not take the
    policy file; the caller commits the details and asks for the file again."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.name)
        self.organisation = organisation


# The organisation's own details, as forms send them.
DETAIL_FIELDS = (
    "name",
    "country_code",
    "org_type",
    "registration_scheme",
    "registration_number",
    "website",
    "budget_band",
    "safeguarding_review_date",
    "safeguarding_focal_point",
)


def _apply(organisation: Organisation, details: dict) -> None:
    for key in DETAIL_FIELDS:
        if key in details:
            value = details[key]
            setattr(organisation, key, value.strip() or None if isinstance(value, str) else value)
    organisation.name = (organisation.name or "").strip()


def create_organisation(
    creator: User, details: dict, policy: FileStorage | None = None
) -> Organisation:
    """A new organisation with `creator` as its first member (PolicyNotStored: see there)."""
    organisation = Organisation()
    _apply(organisation, details)
    organisation.memberships.append(Membership(user_id=creator.id))
    db.session.add(organisation)
    db.session.flush()
    stored = attach_policy(organisation, policy, creator) if policy else True
    _audit(organisation, "create", creator, organisation.name)
    forget_memberships(creator)
    db.session.flush()
    if not stored:
        raise PolicyNotStored(organisation)
    return organisation


def update_organisation(
    organisation: Organisation, actor: User, details: dict, policy: FileStorage | None = None
) -> None:
    """Change an organisation's details (and its safeguarding policy file, if one is given).

    PolicyNotStored, raised once the details are flushed, means only the file must be sent
    again."""
    _apply(organisation, details)
    stored = attach_policy(organisation, policy, actor) if policy else True
    _audit(organisation, "update", actor, "")
    db.session.flush()
    if not stored:
        raise PolicyNotStored(organisation)


def attach_policy(organisation: Organisation, policy: FileStorage, actor: User) -> bool:
    """Store the safeguarding policy file; raises storage.UploadError when it is not acceptable.

    False when the storage could not take the file (the organisation keeps its old one)."""
    try:
        stored = storage.store(policy, organisation_id=organisation.id, uploaded_by_id=actor.id)
    except storage.StorageUnavailable:
        return False
    organisation.safeguarding_policy_file_id = stored.id
    db.session.flush()
    return True


def invite(organisation: Organisation, email: str, inviter: User) -> None:
    """E-mail a one-time invitation to join `organisation`."""
    email = normalise_email(email)
    if any(m.user.email == email for m in organisation.memberships):
        raise OrganisationError(_("%(email)s is already a member.", email=email))
    token = issue_link(
        LinkPurpose.INVITATION, email, organisation_id=organisation.id, created_by=inviter
    )
    queue_email(
        email,
        "invitation",
        locale=inviter.locale,
        organisation=organisation.name,
        inviter=inviter.name,
        link=public_url("organisations.accept_invitation", token=token),
    )
    _audit(organisation, "invite", inviter, email)


def invitation(token: str):
    """The pending invitation for `token` (AccountError if used, expired or unknown)."""
    return find_link(LinkPurpose.INVITATION, token)


def accept_invitation(token: str, user: User) -> Organisation:
    """Join the organisation of an invitation; the account must use the invited address.

    Knowing an e-mail address is not enough to join: the invitation link went to that address,
    and the signed-in account must be the one that owns it.
    """
    link = find_link(LinkPurpose.INVITATION, token)
    if normalise_email(user.email) != link.email:
        raise OrganisationError(
            _(
                "This invitation was sent to %(email)s. Log in with that address to accept it.",
                email=link.email,
            )
        )
    used = use_link(LinkPurpose.INVITATION, token)
    # The link reached this mailbox, which proves the address as a verification link would.
    user.email_verified_at = user.email_verified_at or used.used_at
    organisation = link.organisation
    if not is_member(user, organisation.id):
        organisation.memberships.append(Membership(user_id=user.id))
        _audit(organisation, "join", user, user.email)
    db.session.flush()
    forget_memberships(user)
    return organisation


def _audit(organisation: Organisation, action: str, actor: User, comment: str) -> None:
    db.session.add(
        AuditEvent(
            subject_type="organisation",
            subject_id=organisation.id,
            action=action,
            actor_id=actor.id,
            comment=comment,
        )
    )
