"""Notifications: created by the workspace services, listed and read by their recipients."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from users.models import User
from workspaces.errors import NotificationDoesNotExist
from workspaces.models import Notification, NotificationRecipient, Workspace, WorkspaceInvitation
from workspaces.permissions import require_member

INVITATION_CREATED = "workspace_invitation_created"
INVITATION_ACCEPTED = "workspace_invitation_accepted"
INVITATION_REJECTED = "workspace_invitation_rejected"


def notification_create(
    *,
    type: str,
    recipients: Iterable[User],
    sender: User | None = None,
    workspace: Workspace | None = None,
    data: dict,
) -> Notification:
    """A notification for the recipients; with no workspace it reaches them everywhere."""
    notification = Notification.objects.create(
        type=type, sender=sender, workspace=workspace, data=data
    )
    NotificationRecipient.objects.bulk_create(
        NotificationRecipient(
            notification=notification,
            recipient=recipient,
            workspace_id=workspace.id if workspace else None,
        )
        for recipient in recipients
    )
    return notification


def invitation_notification_data(invitation: WorkspaceInvitation) -> dict:
    return {
        "invitation_id": invitation.id,
        "invited_to_workspace_id": invitation.workspace_id,
        "invited_to_workspace_name": invitation.workspace.name,
    }


def invitation_notifications_read(*, user: User, invitation: WorkspaceInvitation) -> None:
    """The invitation was answered: its notification to the invited user is read."""
    NotificationRecipient.objects.filter(
        recipient=user,
        notification__type=INVITATION_CREATED,
        notification__data__invitation_id=invitation.id,
    ).update(read=True)


def _recipient_rows(*, user: User, workspace: Workspace) -> QuerySet[NotificationRecipient]:
    """The user's notifications shown in the workspace: its own and the direct ones."""
    return NotificationRecipient.objects.filter(
        Q(workspace_id=workspace.id) | Q(workspace_id=None), recipient=user, cleared=False
    )


def notifications_list(*, user: User, workspace: Workspace) -> QuerySet[NotificationRecipient]:
    """The member's notifications in the workspace, newest first."""
    require_member(user=user, workspace=workspace)
    return (
        _recipient_rows(user=user, workspace=workspace)
        .select_related("notification__sender")
        .order_by("-created_on", "-id")
    )


def notification_mark_read(
    *, user: User, workspace: Workspace, notification_id: int, read: bool
) -> NotificationRecipient:
    """Mark one of the member's notifications read or unread."""
    require_member(user=user, workspace=workspace)
    row = (
        _recipient_rows(user=user, workspace=workspace)
        .select_related("notification__sender")
        .filter(notification_id=notification_id)
        .first()
    )
    if row is None:
        raise NotificationDoesNotExist()
    row.read = read
    row.save(update_fields=["read"])
    return row


def notifications_mark_all_read(*, user: User, workspace: Workspace) -> None:
    require_member(user=user, workspace=workspace)
    _recipient_rows(user=user, workspace=workspace).filter(read=False).update(read=True)


def notifications_clear(*, user: User, workspace: Workspace) -> None:
    """Hide all the member's notifications of the workspace (and the direct ones)."""
    require_member(user=user, workspace=workspace)
    _recipient_rows(user=user, workspace=workspace).update(cleared=True, read=True)


def unread_direct_count(*, user: User) -> int:
    """Unread notifications addressed to the user outside any workspace (the auth payload's)."""
    return NotificationRecipient.objects.filter(
        recipient=user, workspace_id=None, read=False, cleared=False
    ).count()


def unread_counts_by_workspace(*, user_id: int, workspace_ids: Iterable[int]) -> dict[int, int]:
    """Unread notifications of each workspace, for the workspaces list (one query)."""
    rows = (
        NotificationRecipient.objects.filter(
            recipient_id=user_id, workspace_id__in=list(workspace_ids), read=False, cleared=False
        )
        .values("workspace_id")
        .annotate(unread=Count("id"))
    )
    return {row["workspace_id"]: row["unread"] for row in rows}
