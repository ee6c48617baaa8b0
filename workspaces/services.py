"""Workspace rules: create, rename, trash, leave and order workspaces; members; invitations."""

import copy
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from core import operations
from core.selectors import instance_settings
from events import announce
from events.signals import item_trashed
from users.errors import BadTokenSignature
from users.models import User
from users.services import normalize_email, require_frontend_url
from workspaces import notifications
from workspaces.errors import (
    CannotDeleteYourselfFromWorkspace,
    MaxPendingInvitationsReached,
    OperationDenied,
    WorkspaceAlreadyTrashed,
    WorkspaceInvitationEmailMismatch,
    WorkspaceUserAlreadyExists,
    WorkspaceUserIsLastAdmin,
)
from workspaces.models import Role, Workspace, WorkspaceInvitation, WorkspaceUser
from workspaces.permissions import require_member
from workspaces.selectors import (
    invitation_lookup,
    membership_with_members,
    workspace_get,
    workspace_user_lookup,
)

INVITATION_TOKEN_SALT = "workspaces.invitation"


def _next_order(user: User) -> int:
    highest = WorkspaceUser.objects.filter(user=user).aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + 1


def _lock_workspace(workspace: Workspace) -> None:
    # Serializes role changes within one workspace, so two of them cannot remove every admin.
    Workspace.objects_and_trash.select_for_update().filter(id=workspace.id).first()


def _require_another_admin(membership: WorkspaceUser) -> None:
    others = WorkspaceUser.objects.filter(
        workspace_id=membership.workspace_id, permissions=Role.ADMIN
    ).exclude(id=membership.id)
    if not others.exists():
        raise WorkspaceUserIsLastAdmin()


# Workspaces.


@transaction.atomic
def workspace_create(*, user: User, name: str) -> WorkspaceUser:
    """Create a workspace with its creator as admin, placed last in the creator's order.

    Non-staff users may only while the instance allows global workspace creation.
    """
    setting = operations.SETTING_GATED[operations.CREATE_WORKSPACE]
    if not user.is_staff and not getattr(instance_settings(), setting):
        raise OperationDenied()
    return workspace_create_unchecked(user=user, name=name)


def workspace_create_unchecked(*, user: User, name: str) -> WorkspaceUser:
    """`workspace_create` without the instance setting's gate (a user's first workspace)."""
    workspace = Workspace.objects.create(name=name)
    membership = WorkspaceUser.objects.create(
        workspace=workspace, user=user, permissions=Role.ADMIN, order=_next_order(user)
    )
    announce("group_created", user=user, recipients=[user.id], workspace=workspace)
    return membership_with_members(membership=membership)


def workspace_update(*, user: User, workspace_id: int, name: str) -> Workspace:
    """Rename a workspace (admins only)."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace, operation=operations.WORKSPACE_UPDATE)
    workspace.name = name
    workspace.save(update_fields=["name"])
    announce("group_updated", workspace_id=workspace.id, user=user, workspace=workspace)
    return workspace


@transaction.atomic
def workspace_trash(*, user: User, workspace_id: int) -> None:
    """Move a workspace to the trash (admins only); from then on it behaves as nonexistent."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace, operation=operations.WORKSPACE_DELETE)
    # Conditional on "not trashed yet", so of two concurrent deletions only one succeeds.
    if not Workspace.objects.filter(id=workspace.id).update(trashed=True):
        raise WorkspaceAlreadyTrashed()
    item_trashed.send(
        sender=Workspace,
        trash_item_type="workspace",
        item=workspace,
        user=user,
        workspace_id=workspace.id,
        name=workspace.name,
    )
    members = list(workspace.memberships.values_list("user_id", flat=True))
    announce("group_deleted", user=user, recipients=members, workspace_id=workspace.id)


@transaction.atomic
def workspace_leave(*, user: User, workspace_id: int) -> None:
    """Leave a workspace; its last admin cannot."""
    workspace = workspace_get(workspace_id=workspace_id)
    membership = require_member(user=user, workspace=workspace)
    _lock_workspace(workspace)
    if membership.permissions == Role.ADMIN:
        _require_another_admin(membership)
    _membership_delete(membership, user=user)


@transaction.atomic
def workspaces_order(*, user: User, workspace_ids: list[int]) -> None:
    """Give the user's workspaces the listed positions (1..n); ids of others are ignored."""
    memberships = {
        membership.workspace_id: membership
        for membership in WorkspaceUser.objects.filter(user=user, workspace_id__in=workspace_ids)
    }
    for position, workspace_id in enumerate(workspace_ids, start=1):
        if workspace_id in memberships:
            memberships[workspace_id].order = position
    WorkspaceUser.objects.bulk_update(memberships.values(), ["order"])
    announce("groups_reordered", user=user, recipients=[user.id], workspace_ids=workspace_ids)


# Members.


@transaction.atomic
def workspace_user_update(*, user: User, workspace_user_id: int, permissions: str) -> WorkspaceUser:
    """Change a member's role (admins only); the last admin cannot be demoted."""
    membership = workspace_user_lookup(workspace_user_id=workspace_user_id)
    require_member(
        user=user, workspace=membership.workspace, operation=operations.WORKSPACE_USER_UPDATE
    )
    _lock_workspace(membership.workspace)
    if membership.permissions == Role.ADMIN and permissions != Role.ADMIN:
        _require_another_admin(membership)
    membership.permissions = permissions
    membership.save(update_fields=["permissions"])
    announce(
        "group_user_updated",
        workspace_id=membership.workspace_id,
        user=user,
        workspace_user=membership,
    )
    return membership


def workspace_user_delete(*, user: User, workspace_user_id: int) -> None:
    """Remove another member from a workspace (admins only); to remove yourself, leave."""
    membership = workspace_user_lookup(workspace_user_id=workspace_user_id)
    require_member(
        user=user, workspace=membership.workspace, operation=operations.WORKSPACE_USER_DELETE
    )
    if membership.user_id == user.id:
        raise CannotDeleteYourselfFromWorkspace()
    _membership_delete(membership, user=user)


def _membership_delete(membership: WorkspaceUser, *, user: User) -> None:
    """Delete a membership; the members and the removed user hear of it."""
    removed = copy.copy(membership)  # keeps its id for the event
    membership.delete()
    announce(
        "group_user_deleted",
        workspace_id=removed.workspace_id,
        user=user,
        recipients=[removed.user_id],
        workspace_user=removed,
    )


# Invitations.


def invitation_token(*, invitation: WorkspaceInvitation) -> str:
    """The signed token that the invitation link carries."""
    return signing.dumps(invitation.id, salt=INVITATION_TOKEN_SALT)


def invitation_get_by_token(*, token: str) -> WorkspaceInvitation:
    """The invitation a link's token names."""
    try:
        invitation_id = signing.loads(token, salt=INVITATION_TOKEN_SALT)
    except signing.BadSignature as exc:
        raise BadTokenSignature() from exc
    if not isinstance(invitation_id, int):
        raise BadTokenSignature()
    return invitation_lookup(invitation_id=invitation_id)


def require_invitation_email(*, invitation: WorkspaceInvitation, email: str) -> None:
    """Only the addressee may accept or reject an invitation."""
    if normalize_email(email) != invitation.email:
        raise WorkspaceInvitationEmailMismatch()


def _require_room_for_invitation(workspace: Workspace) -> None:
    limit = settings.MAX_PENDING_WORKSPACE_INVITES  # 0: no limit
    if limit and WorkspaceInvitation.objects.filter(workspace=workspace).count() >= limit:
        raise MaxPendingInvitationsReached()


def _send_invitation_email(invitation: WorkspaceInvitation, base_url: str) -> None:
    link = f"{base_url.rstrip('/')}/{invitation_token(invitation=invitation)}"
    inviter, workspace = invitation.invited_by.first_name, invitation.workspace.name
    message = f'{inviter} invited you to join the workspace "{workspace}".\n\n'
    if invitation.message:
        message += f"{invitation.message}\n\n"
    send_mail(
        # Names may hold line breaks, which a mail header must not.
        subject=" ".join(f"{inviter} invited you to {workspace}".split()),
        message=f"{message}Open this link to accept the invitation:\n{link}\n",
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_create(
    *,
    user: User,
    workspace_id: int,
    email: str,
    base_url: str,
    permissions: str = Role.MEMBER,
    message: str = "",
) -> WorkspaceInvitation:
    """Invite an email (admins only) and mail it the link; inviting it again updates the invite."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace, operation=operations.WORKSPACE_CREATE_INVITATION)
    require_frontend_url(base_url)
    email = normalize_email(email)
    if WorkspaceUser.objects.filter(workspace=workspace, user__username=email).exists():
        raise WorkspaceUserAlreadyExists()
    if not WorkspaceInvitation.objects.filter(workspace=workspace, email=email).exists():
        _require_room_for_invitation(workspace)
    invitation, created = WorkspaceInvitation.objects.update_or_create(
        workspace=workspace,
        email=email,
        defaults={"invited_by": user, "permissions": permissions, "message": message},
    )
    invited_user = User.objects.filter(username=email).first()
    if created and invited_user is not None:
        notifications.notification_create(
            type=notifications.INVITATION_CREATED,
            recipients=[invited_user],
            sender=user,
            data=notifications.invitation_notification_data(invitation),
        )
    _send_invitation_email(invitation, base_url)
    _announce_invitation("workspace_invitation_updated_or_created", invitation, user=user)
    return invitation


def _invitation_answered(*, user: User, invitation: WorkspaceInvitation, type: str) -> None:
    """Tell the inviter that the invited user answered; the invitation's notice is read."""
    notifications.invitation_notifications_read(user=user, invitation=invitation)
    notifications.notification_create(
        type=type,
        recipients=[invitation.invited_by],
        sender=user,
        workspace=invitation.workspace,
        data=notifications.invitation_notification_data(invitation),
    )


def _announce_invitation(event_type: str, invitation: WorkspaceInvitation, *, user: User) -> None:
    """Tell the invited user, when they have an account, about their invitation."""
    invited = list(User.objects.filter(username=invitation.email).values_list("id", flat=True))
    if invited:
        sent = copy.copy(invitation)  # keeps its id once the invitation is deleted
        sent.email_exists = True
        announce(event_type, user=user, recipients=invited, invitation=sent)


def invitation_update(*, user: User, invitation_id: int, permissions: str) -> WorkspaceInvitation:
    """Change the role an invitation grants (admins only)."""
    invitation = invitation_lookup(invitation_id=invitation_id)
    require_member(
        user=user, workspace=invitation.workspace, operation=operations.INVITATION_UPDATE
    )
    invitation.permissions = permissions
    invitation.save(update_fields=["permissions"])
    _announce_invitation("workspace_invitation_updated_or_created", invitation, user=user)
    return invitation


def invitation_delete(*, user: User, invitation_id: int) -> None:
    """Withdraw an invitation (admins only)."""
    invitation = invitation_lookup(invitation_id=invitation_id)
    require_member(
        user=user, workspace=invitation.workspace, operation=operations.INVITATION_DELETE
    )
    invitation.delete()


@transaction.atomic
def invitation_accept(*, user: User, invitation: WorkspaceInvitation) -> WorkspaceUser:
    """Join the invitation's workspace with its role; the invitation is used up.

    The caller has checked that the invitation is addressed to the user.
    """
    membership, _ = WorkspaceUser.objects.get_or_create(
        workspace_id=invitation.workspace_id,
        user=user,
        defaults={"permissions": invitation.permissions, "order": _next_order(user)},
    )
    _invitation_answered(user=user, invitation=invitation, type=notifications.INVITATION_ACCEPTED)
    _announce_invitation("workspace_invitation_accepted", invitation, user=user)
    invitation.delete()
    announce(
        "group_user_added",
        workspace_id=membership.workspace_id,
        user=user,
        workspace_user=membership,
    )
    return membership_with_members(membership=membership)


def invitation_accept_by_id(*, user: User, invitation_id: int) -> WorkspaceUser:
    """Accept an invitation addressed to the user's email."""
    invitation = invitation_lookup(invitation_id=invitation_id)
    require_invitation_email(invitation=invitation, email=user.email)
    return invitation_accept(user=user, invitation=invitation)


@transaction.atomic
def invitation_reject(*, user: User, invitation_id: int) -> None:
    """Decline an invitation addressed to the user's email."""
    invitation = invitation_lookup(invitation_id=invitation_id)
    require_invitation_email(invitation=invitation, email=user.email)
    _invitation_answered(user=user, invitation=invitation, type=notifications.INVITATION_REJECTED)
    _announce_invitation("workspace_invitation_rejected", invitation, user=user)
    invitation.delete()


# Accounts.


@transaction.atomic
def accounts_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the accounts scheduled for deletion whose grace delay has passed.

    A workspace that would be left without an admin goes to the trash with them.
    """
    now = now or timezone.now()
    delay = timedelta(days=instance_settings().account_deletion_grace_delay)
    expired = User.objects.filter(to_be_deleted=True, last_login__lt=now - delay)
    orphaned = Workspace.objects.annotate(
        admins_left=Count(
            "memberships",
            filter=Q(memberships__permissions=Role.ADMIN) & ~Q(memberships__user__in=expired),
        )
    ).filter(admins_left=0, memberships__user__in=expired)
    Workspace.objects.filter(id__in=orphaned.values("id")).update(trashed=True)
    coworkers = _coworkers_of(expired)
    _, deleted = expired.delete()
    for user_id, recipients in coworkers.items():
        announce("user_permanently_deleted", recipients=recipients, subject_id=user_id)
    return deleted.get(User._meta.label, 0)


def _coworkers_of(users: models.QuerySet) -> dict[int, list[int]]:
    """Per user, the other members of the (live) workspaces they belong to."""
    memberships = WorkspaceUser.objects.filter(workspace__trashed=False)
    of_users = list(memberships.filter(user__in=users).values_list("user_id", "workspace_id"))
    others = memberships.filter(workspace_id__in={workspace for _, workspace in of_users})
    members: dict[int, set[int]] = {}
    for workspace, member in others.exclude(user__in=users).values_list("workspace_id", "user_id"):
        members.setdefault(workspace, set()).add(member)
    coworkers: dict[int, set[int]] = {
        user_id: set() for user_id in users.values_list("id", flat=True)
    }
    for user_id, workspace in of_users:
        coworkers[user_id] |= members.get(workspace, set())
    return {user_id: sorted(ids) for user_id, ids in coworkers.items()}
